"""The OpenAPI specs travel with the sandbox (issue 10): trimmed, yet covering every route it serves."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.openapi import SPEC_DIR, SPEC_FILES, load_spec
from compiler.sandbox.pagerduty import common
from compiler.sandbox.specs import trim

# Routes the sandbox serves that the vendor's spec does not document (with the evidence it exists).
UNDOCUMENTED = {
    # Legacy whole-integration read/write: served by Datadog, read by the Terraform provider, absent from the spec.
    ("datadog-v1", "GET", "/api/v1/integration/pagerduty"),
    ("datadog-v1", "PUT", "/api/v1/integration/pagerduty"),
    # The PagerDuty spec has no DELETE for service integrations; the API and the Terraform provider use it.
    ("pagerduty", "DELETE", "/services/{}/integrations/{}"),
}


def _shape(template: str) -> str:
    return re.sub(r"\{[^}/]+\}", "{}", template.rstrip("/"))


def _served() -> list[tuple[str, str, str]]:
    out = [("events", "POST", "/enqueue")]
    for r in datadog.ROUTER.routes:
        out.append(("datadog-v2" if r.template.startswith("/api/v2/") else "datadog-v1", r.method, r.template))
    out += [("pagerduty", r.method, r.template) for r in pagerduty.ROUTER.routes]
    return out


@pytest.mark.parametrize(("api", "method", "template"), _served(), ids=str)
def test_every_served_route_has_its_operation_in_the_packaged_spec(api: str, method: str, template: str) -> None:
    if (api, method, _shape(template)) in UNDOCUMENTED:
        return
    spec = load_spec(SPEC_DIR / SPEC_FILES[api])
    documented = {(m.upper(), _shape(p)) for p, item in spec["paths"].items() for m in item if m != "parameters"}
    assert (method, _shape(template)) in documented, f"{method} {template} is not in the trimmed {api} spec"


def test_undocumented_allowances_are_still_needed() -> None:
    served = {(api, m, _shape(t)) for api, m, t in _served()}
    for api, method, shape in UNDOCUMENTED:
        spec = load_spec(SPEC_DIR / SPEC_FILES[api])
        documented = {(m.upper(), _shape(p)) for p, item in spec["paths"].items() for m in item}
        assert (method, shape) not in documented, f"{method} {shape} is documented now: drop the allowance"
    assert served  # the allowances may name routes other helpers are still adding


def test_packaged_specs_are_small_gzip_json_with_their_origin() -> None:
    total = 0
    for name, file in SPEC_FILES.items():
        raw = (SPEC_DIR / file).read_bytes()
        total += len(raw)
        spec = json.loads(gzip.decompress(raw))
        origin = spec["info"]["x-alertc-trimmed"]
        assert origin["source"] == trim.SOURCES[name] and re.fullmatch(r"[0-9a-f]{64}", origin["sha256"])
    assert total < 200_000  # the full documents are 8.6 MB


FULL = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1", "description": "long prose"},
    "paths": {
        "/kept/{id}": {
            "get": {
                "summary": "s",
                "x-menu-order": 3,
                "responses": {
                    "200": {"$ref": "#/components/responses/Ok"},
                    "404": {"content": {"application/json": {"schema": {"$ref": "#/components/responses/Err/x"}}}},
                },
            }
        },
        "/dropped": {"get": {"responses": {"200": {"$ref": "#/components/responses/Unused"}}}},
    },
    "components": {
        "responses": {
            "Ok": {
                "description": "d",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A~1B"}}},
            },
            "Err": {"x": {"type": "object"}},
            "Unused": {"description": "never reached"},
        },
        "schemas": {
            "A/B": {
                "type": "object",
                "description": "prose",
                "example": {"a": 1},
                "properties": {"description": {"$ref": "#/components/schemas/C"}, "example": {"type": "string"}},
            },
            "C": {"type": "string", "enum": ["x"]},
            "Orphan": {"type": "string"},
        },
    },
}


def test_trim_keeps_the_ref_closure_and_names_and_drops_annotations() -> None:
    out = trim.trim(FULL, r"^/kept/")
    assert list(out["paths"]) == ["/kept/{id}"]
    assert out["paths"]["/kept/{id}"]["get"] == {
        "responses": {
            "200": {"$ref": "#/components/responses/Ok"},
            "404": {"content": {"application/json": {"schema": {"$ref": "#/components/responses/Err/x"}}}},
        }
    }
    assert set(out["components"]["responses"]) == {"Ok", "Err"}  # deep pointer keeps its component
    assert set(out["components"]["schemas"]) == {"A/B", "C"}  # `~1` unescaped, reached through a property
    ab = out["components"]["schemas"]["A/B"]
    assert set(ab) == {"type", "properties"}
    assert set(ab["properties"]) == {"description", "example"}  # property *names* survive
    assert out["info"] == {"title": "T", "version": "1", "x-alertc-trimmed": {}}


def test_trim_output_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    trim.write_gz(trim.trim(FULL, r"^/kept/"), first)
    trim.write_gz(trim.trim(json.loads(json.dumps(FULL)), r"^/kept/"), second)
    assert first.read_bytes() == second.read_bytes()


def test_time_zone_list_is_packaged_beside_the_specs() -> None:
    world = SimpleNamespace(accepted_time_zones=common.read_time_zone_file(SPEC_DIR / "pagerduty-time-zones.tsv"))
    assert common.check_time_zone(world, "Etc/UTC") == "Etc/UTC"  # type: ignore[arg-type]
    with pytest.raises(Exception, match="time zone"):
        common.check_time_zone(world, "UTC")  # type: ignore[arg-type]  # a valid IANA name PagerDuty refuses
