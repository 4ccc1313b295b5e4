"""The preflight checks and seeds on plain data: what each refuses, in which order, and when seeds run at all."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from compiler import preflight
from compiler.compile import compile_definitions
from compiler.definitions import Definitions, load_definitions
from compiler.errors import PlanError
from compiler.live import LiveState, Session
from compiler.preflight import people, teams
from compiler.preflight.inputs import PlanInputs
from compiler.resources import LiveObject, ResourceSet

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [f"identity-engineer-{i}@example.com" for i in range(1, 5)] + [
    "identity-lead@example.com",
    "identity-product@example.com",
]


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    loaded = load_definitions(ROOT / "definitions")
    assert loaded.definitions is not None
    return loaded.definitions


@pytest.fixture(scope="module")
def desired(definitions: Definitions) -> ResourceSet:
    return compile_definitions(definitions).resources


class _Reads:
    """A session that answers every read by id as found, and records them; it refuses to be written through."""

    def __init__(self, mode: str = "embedded") -> None:
        self.reads: list[str] = []
        self.target = SimpleNamespace(mode=mode)
        self.pagerduty = SimpleNamespace(get_or_none=self._found)
        self.datadog = SimpleNamespace(get_or_none=self._found, pagerduty=None)

    def _found(self, _scope: object, what_or_fn: Any, *, what: str) -> dict[str, Any]:
        self.reads.append(what)
        return {"id": "found"}


def _inputs(definitions: Definitions, desired: ResourceSet, live: LiveState, session: _Reads, **kw: Any) -> PlanInputs:
    return PlanInputs(definitions, desired, live, cast(Session, session), **kw)


def _users(emails: list[str]) -> dict[str, str]:
    return {email: f"PUSER{i:02d}" for i, email in enumerate(emails)}


def test_missing_people_are_named_and_nothing_else_is_read(definitions: Definitions, desired: ResourceSet) -> None:
    session = _Reads()
    live = LiveState([], _users([p for p in PEOPLE if p not in (PEOPLE[2], PEOPLE[0])]))
    with pytest.raises(PlanError) as raised:
        preflight.check(_inputs(definitions, desired, live, session))
    assert str(raised.value).splitlines()[0] == (
        "no PagerDuty user has the email identity-engineer-1@example.com, identity-engineer-3@example.com"
    )
    assert session.reads == []  # people come first; the reads by id of later checks never ran


JOINED = LiveObject("pagerduty", "team", "P8F5Y90", "OCTO Identity", {})  # the team the example joins


def test_with_everything_there_each_reference_is_read_once(definitions: Definitions, desired: ResourceSet) -> None:
    session = _Reads()
    preflight.check(_inputs(definitions, desired, LiveState([JOINED], _users(PEOPLE)), session))
    referenced = [d for d in definitions.dependencies if d.pagerduty_service is not None]
    handles = [d.datadog_handle for d in definitions.dependencies if d.datadog_handle is not None]
    assert session.reads == [f"get service {d.pagerduty_service}" for d in referenced] + [
        f"get PagerDuty service object {name}" for name in handles
    ]


def test_a_team_name_taken_by_an_unowned_team_is_a_clash_unless_adopting_by_name(definitions: Definitions) -> None:
    creating = dataclasses.replace(  # the example's team creating its own PagerDuty team, not joining one
        definitions, teams=[t.model_copy(update={"pagerduty_team": None}) for t in definitions.teams]
    )
    desired = compile_definitions(creating).resources
    taken = LiveObject("pagerduty", "team", "PTEAM01", " identity ", {})
    live = LiveState([taken], _users(PEOPLE))
    with pytest.raises(PlanError, match=r"already has the name of team identity: ' identity ' \(id PTEAM01\)"):
        teams.check(_inputs(creating, desired, live, _Reads()))
    teams.check(_inputs(creating, desired, live, _Reads(), adopt_by_name=True))


def test_seeds_run_only_on_the_embedded_sandbox(definitions: Definitions) -> None:
    untouchable = cast(Session, SimpleNamespace(target=SimpleNamespace(mode="sandbox")))
    preflight.seed_embedded(definitions, untouchable)  # a running sandbox or a real account: nothing at all
    with pytest.raises(PlanError, match="refusing to create PagerDuty users outside the embedded sandbox"):
        people.seed_embedded(definitions, cast(Session, SimpleNamespace(target=SimpleNamespace(mode="live"))))
