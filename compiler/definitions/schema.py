"""The JSON Schema of a definitions file, for editors (yaml-language-server), and how alertc writes one.

Generated from the same pydantic models the loader validates with, so the
autocompletion an editor offers cannot disagree with what ``validate`` accepts
for single-file rules; cross-file rules (references) stay with ``validate``.
The project file and the banner configuration write theirs the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from compiler.definitions.definition_set import DefinitionsFile

SCHEMA_ID = "https://alertc.dev/schema/definitions.schema.json"
DEFAULT_SCHEMA_PATH = "schema/definitions.schema.json"


def json_schema(model: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """What ``model`` validates, as a draft 2020-12 JSON Schema that editors find by ``schema_id``."""
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = schema_id
    return schema


def schema_text(schema: Mapping[str, Any]) -> str:
    """Stable text: sorted keys, two-space indent, trailing newline (diff-friendly)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def definitions_schema() -> dict[str, Any]:
    return json_schema(DefinitionsFile, SCHEMA_ID)


def render_schema() -> str:
    return schema_text(definitions_schema())
