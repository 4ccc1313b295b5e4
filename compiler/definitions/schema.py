"""The JSON Schema of a definitions file, for editors (yaml-language-server).

Generated from the same pydantic models the loader validates with, so the
autocompletion an editor offers cannot disagree with what ``validate`` accepts
for single-file rules; cross-file rules (references) stay with ``validate``.
"""

from __future__ import annotations

import json
from typing import Any

from compiler.definitions.definition_set import DefinitionsFile

SCHEMA_ID = "https://alertc.dev/schema/definitions.schema.json"
DEFAULT_SCHEMA_PATH = "schema/definitions.schema.json"


def definitions_schema() -> dict[str, Any]:
    schema = DefinitionsFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def render_schema() -> str:
    """Stable text: sorted keys, two-space indent, trailing newline (diff-friendly)."""
    return json.dumps(definitions_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
