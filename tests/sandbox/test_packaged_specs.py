"""The OpenAPI specs travel with the sandbox (issue 10): trimmed, yet covering every route it serves."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.errors import ApiError
from compiler.sandbox.openapi import SPEC_DIR, SPEC_FILES, SpecValidator, load_spec
from compiler.sandbox.pagerduty import common
from compiler.sandbox.routing import Request, Response, dispatch, route
from compiler.sandbox.specs import trim


def _documented(api: str) -> set[tuple[str, str]]:
    spec = load_spec(SPEC_DIR / SPEC_FILES[api])
    return {(m.upper(), trim.shape(p)) for p, item in spec["paths"].items() for m in item if m in trim.METHODS}


def test_the_packaged_specs_hold_exactly_the_operations_the_routers_serve() -> None:
    """`trim.py` derives what it keeps from the routers: nothing served is missing, nothing else is kept."""
    for api, served in trim.operations().items():
        assert _documented(api) == served, api


def test_a_served_route_missing_from_the_spec_is_reported_not_accepted(tmp_path: Path) -> None:
    """A documented route whose operation the packaged spec lacks answers 500 naming it (issue 21), where the
    gate used to accept any body."""
    world = SimpleNamespace(validator=SpecValidator())
    probe = route("POST", "/api/v1/not-in-the-spec", lambda *_: Response(200))
    req = Request.parse("POST", "/api/v1/not-in-the-spec", {}, b'{"anything": 1}')
    with pytest.raises(ApiError) as exc:
        dispatch(world, req, (probe, {}), {}, "datadog-v1", lambda errors: ApiError(400, errors))  # type: ignore[arg-type]
    assert exc.value.status == 500
    assert "operation not in the packaged datadog-v1 spec" in exc.value.body["errors"][0]


def test_undocumented_routes_are_really_absent_from_the_vendor_spec() -> None:
    """A route declared undocumented (with its evidence) must not be in the trimmed spec: when a vendor
    documents it, the declaration goes."""
    for router, api_of in ((datadog.ROUTER, _dd_api), (pagerduty.ROUTER, lambda _: "pagerduty")):
        for r in router.routes:
            if r.undocumented:
                assert (r.method, trim.shape(r.template)) not in _documented(api_of(r.template)), r.template


def _dd_api(template: str) -> str:
    return "datadog-v2" if template.startswith("/api/v2/") else "datadog-v1"


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
    out = trim.trim(FULL, {("GET", "/kept/{}")})
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
    trim.write_gz(trim.trim(FULL, {("GET", "/kept/{}")}), first)
    trim.write_gz(trim.trim(json.loads(json.dumps(FULL)), {("GET", "/kept/{}")}), second)
    assert first.read_bytes() == second.read_bytes()


def test_time_zone_list_is_packaged_beside_the_specs() -> None:
    world = SimpleNamespace(accepted_time_zones=common.read_time_zone_file(SPEC_DIR / "pagerduty-time-zones.tsv"))
    assert common.check_time_zone(world, "Etc/UTC") == "Etc/UTC"  # type: ignore[arg-type]
    with pytest.raises(Exception, match="time zone"):
        common.check_time_zone(world, "UTC")  # type: ignore[arg-type]  # a valid IANA name PagerDuty refuses
