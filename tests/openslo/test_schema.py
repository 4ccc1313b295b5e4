"""The vendored OpenSLO v1 schema: byte for byte what its README says, live, and overridden only where needed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource

from compiler.openslo import schema
from compiler.openslo.export import export_documents
from tests.openslo.support import EXAMPLE_SETS, load

SCHEMAS = Path(schema.__file__).resolve().parent / "schemas"


def test_the_vendored_files_are_the_ones_the_readme_records() -> None:
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    recorded = {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)}
    present = {
        str(path.relative_to(SCHEMAS)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(SCHEMAS.rglob("*.json"))
    }

    assert present == recorded
    assert "Apache License" in (SCHEMAS / "LICENSE").read_text(encoding="utf-8")


def _unpatched() -> Draft7Validator:
    documents = [schema._load(p) for p in ["openslo.schema.json"]]
    documents += [schema._load(f"parts/{p.name}") for p in sorted((SCHEMAS / "v1" / "parts").iterdir())]
    registry: Registry[Any] = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in documents)
    return Draft7Validator(registry.contents(schema.ROOT_ID), registry=registry)


def test_each_override_is_still_needed_by_what_alertc_exports() -> None:
    slo = next(d for d in export_documents(load(EXAMPLE_SETS["identity"]))["SLO"] if "alertPolicies" in d["spec"])

    assert list(_unpatched().iter_errors(slo)) != []  # the published schema wants bare names
    assert schema.problems(slo) == []
    assert len(schema.OVERRIDES) == 1


def test_the_schema_rejects_what_the_specification_forbids() -> None:
    good = {
        "apiVersion": "openslo/v1",
        "kind": "AlertCondition",
        "metadata": {"name": "fast-burn"},
        "spec": {
            "severity": "page",
            "condition": {"kind": "burnrate", "op": "gt", "threshold": 2, "lookbackWindow": "1h", "alertAfter": "5m"},
        },
    }
    assert schema.problems(good) == []
    for broken in (
        {**good, "apiVersion": "openslo/v2"},
        {**good, "metadata": {"name": "Fast Burn"}},
        {k: v for k, v in good.items() if k != "spec"},
        {**good, "spec": {**good["spec"], "condition": {**good["spec"]["condition"], "lookbackWindow": "1 hour"}}},
    ):
        assert schema.problems(broken) != [], broken
