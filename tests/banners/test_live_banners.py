"""The banner post-step is one pass: the status-service table is compiled once, read by, and built from."""

from __future__ import annotations

from typing import Any, cast

import pytest

from compiler.banners import config as config_module
from compiler.banners import status as status_module
from compiler.banners.status import read_live_banners
from compiler.compile.banners import status_services
from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.live import Session

OURS = {"External: Sign-in Service": "PSIS001", "External: SSOe": "PSSOE01"}


class _PagerDuty:
    """Answers the reads the post-step makes: services by name prefix, services by id, no incidents or windows."""

    def __init__(self, unknown: frozenset[str] = frozenset()) -> None:
        self.unknown = unknown
        self.queries: list[str] = []

    def list_index(self, _scope: object, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if path != "services":
            return []
        self.queries.append(params["query"])
        return [{"id": i, "name": n, "status": "active"} for n, i in OURS.items() if n.startswith(params["query"])]

    def get_or_none(self, _scope: object, path: str, *, what: str) -> dict[str, Any] | None:
        service_id = path.removeprefix("services/")
        return None if service_id in self.unknown else {"id": service_id, "name": what, "status": "active"}


class _Session:
    def __init__(self, pagerduty: _PagerDuty) -> None:
        self.pagerduty = pagerduty


def _session(pagerduty: _PagerDuty) -> Session:
    return cast(Session, _Session(pagerduty))


def test_the_table_is_compiled_once_and_the_config_is_built_from_it(
    example_definitions: Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counted(d: Definitions) -> Any:
        calls.append(1)
        return status_services(d)

    def refused(_d: Definitions) -> Any:
        raise AssertionError("the config compiled the table again")

    monkeypatch.setattr(status_module, "status_services", counted)
    monkeypatch.setattr(config_module, "status_services", refused)
    pagerduty = _PagerDuty()
    live = read_live_banners(example_definitions, _session(pagerduty))
    assert calls == [1]
    assert pagerduty.queries == ["External: "]  # the one prefix of the example, listed once
    assert live.config.services["sis"] == "PSIS001" and live.config.services["ssoe"] == "PSSOE01"
    assert live.config.services["global"] == "PLPSIB0"  # referenced: its own id, checked to exist
    assert sorted(live.config.services) == sorted(dep.key for dep in example_definitions.dependencies)


def test_an_unknown_referenced_id_builds_nothing(example_definitions: Definitions) -> None:
    with pytest.raises(
        PlanError, match=r"pagerduty_service id\(s\) not found in PagerDuty: PLPSIB0 \(banner key 'global'\)"
    ):
        read_live_banners(example_definitions, _session(_PagerDuty(frozenset({"PLPSIB0"}))))
