"""The committed JSON Schema: up to date, and agreeing with the loader on the examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from compiler.definitions.schema import DEFAULT_SCHEMA_PATH, render_schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / DEFAULT_SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == render_schema(), "schema is stale: run `make schema` and commit the result"


def test_examples_validate_against_the_schema() -> None:
    schema = json.loads(render_schema())
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "definitions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # YAML 1.1 (what safe_load speaks) turns unquoted ISO timestamps into datetimes; editors see text
        errors = [e.message for e in validator.iter_errors(json.loads(json.dumps(data, default=str)))]
        assert errors == [], path.name


def test_schema_rejects_an_unknown_field() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(render_schema()))
    assert not validator.is_valid({"monitors": [{"name": "x", "treshold": 1}]})
    assert not validator.is_valid({"alerts": []})
