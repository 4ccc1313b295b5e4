"""The owner section: the ownership scope every object compiled from these definitions carries."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from compiler.definitions.section import Single

OWNER: Single[str] = Single(
    Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")],
    description="The alertc ownership scope of these definitions (a tag-safe slug, e.g. 'identity'): alertc "
    "manages only objects carrying it, and never changes another scope's.",
)
