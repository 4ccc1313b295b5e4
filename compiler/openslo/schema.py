"""The OpenSLO v1 JSON schema (vendored in ``schemas/``), and the one place it disagrees with the specification.

The OpenSLO project published JSON schemas for v1 from 2022 until March 2024 and
then removed them as a proof of concept; they are the only machine-readable v1
schema there is, so exports are validated against them (``schemas/README.md``
says where they come from). Where the schema contradicts the specification
text, the text wins and ``OVERRIDES`` says so: the schema, for instance, wants
an SLO's ``alertPolicies`` to be bare names, while the specification, its SDK and
its own examples write ``{alertPolicyRef: name}`` or an inline policy.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource

ROOT_ID = "https://openslo.com/schemas/v1/openslo.schema.json"
NAME_ID = "https://openslo.com/schemas/v1/parts/name.schema.json"


@dataclass(frozen=True)
class Override:
    """A replacement of one part of the vendored schema, and why the specification overrides it there."""

    file: str  # relative to schemas/v1
    path: tuple[str, ...]  # keys down to the replaced value
    value: Any
    reason: str


OVERRIDES = (
    Override(
        "parts/slo-spec.schema.json",
        ("properties", "spec", "properties", "alertPolicies", "items"),
        {
            "oneOf": [
                {"$ref": NAME_ID},
                {
                    "type": "object",
                    "required": ["alertPolicyRef"],
                    "properties": {"alertPolicyRef": {"$ref": NAME_ID}},
                    "additionalProperties": False,
                },
                {"type": "object", "required": ["kind", "metadata", "spec"]},
            ]
        },
        "The specification (SLO notes: 'An alert policy can be defined inline or can refer to an Alert Policies "
        "object, in which case ... alertPolicyRef') and the SDK's examples write objects; the schema only names.",
    ),
)


def _load(name: str) -> dict[str, Any]:
    document = json.loads((files("compiler.openslo") / "schemas" / "v1" / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _patched(name: str, document: dict[str, Any]) -> dict[str, Any]:
    for override in OVERRIDES:
        if override.file != name:
            continue
        document = copy.deepcopy(document)
        parent = document
        for key in override.path[:-1]:
            parent = parent[key]
        parent[override.path[-1]] = override.value
    return document


@cache
def _registry() -> Registry[Any]:
    parts = files("compiler.openslo") / "schemas" / "v1" / "parts"
    names = ["openslo.schema.json", *sorted(f"parts/{p.name}" for p in parts.iterdir() if p.name.endswith(".json"))]
    resources = []
    for name in names:
        document = _patched(name, _load(name))
        resources.append((document["$id"], Resource.from_contents(document)))
    return Registry().with_resources(resources)


@cache
def validator(kind: str | None = None) -> Draft7Validator:
    """A validator of one OpenSLO v1 object against the vendored schema (with ``OVERRIDES`` applied).

    The schema is the general part and a ``oneOf`` over the seven kinds, each branch pinning ``kind``; for an
    object of a known kind, validating against the general part and that kind's branch is the same check,
    five to ten times faster (the other branches are not tried) and with errors that name the real problem.
    """
    registry = _registry()
    root = registry.contents(ROOT_ID)
    general, kinds = root["allOf"]
    branches = {branch["allOf"][0]["properties"]["kind"]["const"]: branch for branch in kinds["oneOf"]}
    if kind not in branches:
        return Draft7Validator(root, registry=registry)
    return Draft7Validator({"allOf": [general, branches[kind]]}, registry=registry)


def problems(document: dict[str, Any]) -> list[str]:
    """What the schema finds wrong with one object (empty when it is valid), each with its path."""
    kind = document.get("kind")
    check = validator(kind if isinstance(kind, str) else None)
    out = []
    for error in sorted(check.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(document)"
        out.append(f"{where}: {error.message}")
    return out
