"""Kinds whose list answers summaries: what a run compares is read in full, one request per object it needs.

Datadog's dashboard list answers each dashboard without its widgets (the public recordings'
``GET /api/v1/dashboard``). A kind that declares ``lists_summaries`` is read whole only where
the diff needs it: the objects of the run's own scope (``live.read_live``), the objects an
import writes out (``importer``), the objects apply finds under a key before a create.
The probe kind below is such a kind, declared here so the mechanism is tested without any
registered kind depending on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from datadog_api_client.v1.api.dashboards_api import DashboardsApi

from compiler import live
from compiler.kinds import ReadContext, ResourceKind
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.live import Session, open_session, read_in_full
from compiler.providers.ownership import OwnershipStyle, marker_line
from compiler.providers.paging import Paging
from compiler.resources import LiveObject, ResourceSet
from compiler.targets import target_from_environment
from tests.e2e.conftest import World

pytestmark = pytest.mark.slow


class Probe(DatadogKind):
    kind = "summary_probe"
    api_family = "datadog:dashboards"
    api_paths = ("/api/v1/dashboard", "/api/v1/dashboard/{dashboard_id}")
    api = DashboardsApi
    operations = Operations.crud("dashboard", get=True)
    page_size = 100
    paging = Paging(size="count", offset="start", items="dashboards")
    ownership = OwnershipStyle(mode="marker", field="description")
    name_field = "title"
    lists_summaries = True


PROBE = Probe()
WIDGETS = [{"definition": {"type": "note", "content": "on call: see the runbook"}}]


@pytest.fixture()
def session(world: World) -> Iterator[Session]:
    target = target_from_environment(os.environ)
    assert target is not None
    with open_session(target) as opened:
        yield opened


def _dashboard(session: Session, title: str, key: str | None) -> str:
    description = marker_line(key) if key else "made by hand"
    body = {"title": title, "layout_type": "ordered", "description": description, "widgets": WIDGETS}
    live_id, _ = PROBE.create(session, body)
    return live_id


def test_the_list_answers_summaries_and_read_in_full_completes_them_in_order(session: Session) -> None:
    first = _dashboard(session, "first", "summary_probe/one")
    second = _dashboard(session, "second", None)
    listed = PROBE.list_live(session, ReadContext(ResourceSet()))
    assert [o.live_id for o in listed] == [first, second]
    assert all("widgets" not in o.body for o in listed)  # what Datadog's list answers
    full = PROBE.read_in_full(session, listed)
    assert [o.live_id for o in full] == [first, second]
    assert [w["definition"] for w in full[0].body["widgets"]] == [WIDGETS[0]["definition"]]
    assert (full[0].key, full[1].key) == ("one", None)  # ownership as listed


def test_an_object_gone_meanwhile_is_left_out(session: Session) -> None:
    gone = _dashboard(session, "gone", "summary_probe/gone")
    kept = _dashboard(session, "kept", "summary_probe/kept")
    listed = PROBE.list_live(session, ReadContext(ResourceSet()))
    PROBE.delete(session, gone, None)
    assert [o.live_id for o in PROBE.read_in_full(session, listed)] == [kept]


def test_find_by_key_answers_whole_objects(session: Session) -> None:
    _dashboard(session, "mine", "summary_probe/mine")
    _dashboard(session, "other", "summary_probe/other")
    found = PROBE.find_by_key(session, "mine", {})
    assert found is not None and [o.key for o in found] == ["mine"]
    assert "widgets" in found[0].body


class _Counted(ResourceKind):
    provider = "datadog"
    kind = "counted"
    lists_summaries = True

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def read_in_full(self, clients: Any, objects: list[LiveObject]) -> list[LiveObject]:
        self.asked.append([o.live_id for o in objects])
        return [LiveObject(o.provider, o.kind, o.live_id, o.name, {"whole": True}, o.key) for o in objects[1:]]


def test_the_live_read_reads_whole_only_the_wanted_objects_and_keeps_the_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = _Counted()
    real = live.get_kind
    monkeypatch.setattr(live, "get_kind", lambda p, k: counted if k == "counted" else real(p, k))
    objects = [
        LiveObject("datadog", "counted", "1", "a", {}, "a"),
        LiveObject("datadog", "monitor", "2", "m", {}),
        LiveObject("datadog", "counted", "3", "b", {}, None),
        LiveObject("datadog", "counted", "4", "c", {}, "c"),
    ]
    out = read_in_full(session=None, objects=objects, wanted=lambda o: o.key is not None)  # type: ignore[arg-type]
    assert counted.asked == [["1", "4"]]  # one call for the kind, only the wanted objects
    assert [(o.live_id, o.body) for o in out] == [("2", {}), ("3", {}), ("4", {"whole": True})]  # "1" was gone


def test_nothing_is_read_when_no_kind_lists_summaries() -> None:
    objects = [LiveObject("datadog", "monitor", "2", "m", {}, "m")]
    assert read_in_full(session=None, objects=objects) is objects  # type: ignore[arg-type]


def test_a_kind_that_lists_summaries_must_say_how_to_read_one() -> None:
    with pytest.raises(NotImplementedError, match="cannot read an object in full"):
        _Bare().read_in_full(None, [LiveObject("datadog", "bare", "1", "x", {})])  # type: ignore[arg-type]


class _Bare(ResourceKind):
    provider = "datadog"
    kind = "bare"
    lists_summaries = True
