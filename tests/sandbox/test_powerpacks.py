"""v2 powerpacks, as datadog-api-client-python's recorded `powerpack` scenarios answer, driven by the official
client's `PowerpackApi` where it can send the body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client.v2.api.powerpack_api import PowerpackApi

from compiler.sandbox import SandboxHandle, start_embedded
from tests.sandbox.conftest import datadog_client
from tests.sandbox.test_recorded_rules import call

GROUP = {
    "definition": {
        "layout_type": "ordered",
        "show_title": True,
        "title": "Sample Powerpack",
        "type": "group",
        "widgets": [{"definition": {"content": "test", "type": "note"}}],
    },
    "layout": {"height": 3, "width": 12, "x": 0, "y": 0},
    "live_span": "1h",
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_embedded(Path(tmp_path_factory.mktemp("powerpacks")) / "state") as handle:
        yield handle


def _body(**attrs: Any) -> dict[str, Any]:
    return {"data": {"type": "powerpack", "attributes": {"name": "Sample", **attrs}}}


def test_the_life_cycle_numbers_widgets_on_every_write(sandbox: SandboxHandle) -> None:
    status, made = call(sandbox, "POST", "/api/v2/powerpacks", _body(group_widget=GROUP, tags=["tag:sample"]))
    assert status == 200 and made["data"]["type"] == "powerpack"
    attrs = made["data"]["attributes"]
    assert attrs["template_variables"] is None and attrs["tags"] == ["tag:sample"] and "description" not in attrs
    [widget] = attrs["group_widget"]["definition"]["widgets"]
    assert isinstance(widget["id"], int) and attrs["group_widget"]["live_span"] == "1h"
    assert made["data"]["relationships"]["author"]["data"]["type"] == "users"
    assert made["included"][0]["type"] == "users"
    one = f"/api/v2/powerpacks/{made['data']['id']}"
    status, changed = call(sandbox, "PATCH", one, _body(group_widget=GROUP, description="d"))
    assert status == 200 and changed["data"]["attributes"]["description"] == "d"
    assert changed["data"]["attributes"]["tags"] == []
    assert changed["data"]["attributes"]["group_widget"]["definition"]["widgets"][0]["id"] != widget["id"]
    with datadog_client(sandbox) as api:
        read = PowerpackApi(api).get_powerpack(made["data"]["id"])
        assert read.to_dict()["data"]["attributes"]["description"] == "d"
        listed = PowerpackApi(api).list_powerpacks(page_limit=1)
        assert listed.to_dict()["meta"]["pagination"]["limit"] == 1
    assert call(sandbox, "DELETE", one) == (204, None)
    assert call(sandbox, "DELETE", one) == (404, {"errors": [f"Powerpack with ID {made['data']['id']} not found"]})
    assert call(sandbox, "GET", "/api/v2/powerpacks/made-up-id") == (
        404,
        {"errors": ["Powerpack has invalid UUID made-up-id not found"]},
    )


def test_datadogs_own_refusals(sandbox: SandboxHandle) -> None:
    assert call(sandbox, "POST", "/api/v2/powerpacks", _body()) == (
        400,
        {"errors": ["API input validation failed: {'group_widget': ['Missing data for required field.']}"]},
    )
    wrong = {"definition": {"layout_type": "ordered", "type": "group1", "widgets": []}}
    status, answer = call(sandbox, "POST", "/api/v2/powerpacks", _body(group_widget=wrong))
    assert status == 400
    assert answer["errors"][0].startswith("Invalid group widget for powerpack. Error: 'group1' is not one of ['group']")


def test_the_list_pages_by_offset(sandbox: SandboxHandle) -> None:
    for _ in range(3):
        assert call(sandbox, "POST", "/api/v2/powerpacks", _body(group_widget=GROUP))[0] == 200
    status, page = call(sandbox, "GET", "/api/v2/powerpacks?page%5Blimit%5D=2&page%5Boffset%5D=2")
    assert status == 200 and len(page["data"]) == 1
    assert page["meta"]["pagination"] == {
        "offset": 2,
        "first_offset": 0,
        "prev_offset": 0,
        "next_offset": 4,
        "last_offset": None,
        "limit": 2,
        "type": "offset_limit",
    }
    base = "https://api.datadoghq.com/api/v2/powerpacks"
    assert page["links"]["prev"] == f"{base}?page[offset]=0&page[limit]=2"
    assert page["links"]["self"] == f"{base}?page%5Blimit%5D=2&page%5Boffset%5D=2"
