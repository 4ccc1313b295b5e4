"""Process lint details the per-rule cases in tests/test_process_lint.py leave open.

Each test pairs a good and a bad variant of the small base set and asserts the
exact rendered findings: the computation P104 shows for a fraction of traffic,
the handles P107 accepts, where P103 counts from, and that the burn-rate ceiling
is reported once, by its S rule (compile drops the tier without a finding of its own).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compiler.checks.findings import Finding
from compiler.checks.lint import lint
from compiler.checks.registry import set_rules
from compiler.compile import compile_definitions
from compiler.definitions import Definitions, load_definitions
from tests.definitions.base_set import SERVICE, SLO, TEAM, write_set

NOW = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
Loader = Callable[[dict[str, str | bytes | None]], Definitions]


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Loader:
    """Write the base set with overrides as ./case and load it (paths render as case/<file>)."""
    monkeypatch.chdir(tmp_path)

    def _load(files: dict[str, str | bytes | None]) -> Definitions:
        write_set(tmp_path / "case", files)
        result = load_definitions(Path("case"))
        assert result.definitions is not None, [f.render() for f in result.findings]
        return result.definitions

    return _load


def _findings(d: Definitions, at: datetime = NOW, *, family: str = "P") -> list[Finding]:
    """The findings of one family of rules (process lint by default)."""
    return lint(d, at, [r for r in set_rules() if r.id.startswith(family)])


def _rendered(d: Definitions, at: datetime = NOW, *, family: str = "P") -> list[str]:
    return [f.render() for f in _findings(d, at, family=family)]


def test_p104_shows_the_fraction_of_traffic_computation(load: Loader) -> None:
    agreeing = SERVICE.replace("    severity: sev1\n", "    severity: sev1\n    impact: {failing_fraction: 0.5}\n")
    disagreeing = SERVICE.replace("    severity: sev1\n", "    severity: sev1\n    impact: {failing_fraction: 0.01}\n")
    assert _rendered(load({"service.yaml": agreeing})) == []
    assert _rendered(load({"service.yaml": disagreeing})) == [
        "case/service.yaml:16:15: warning: [P104] monitor 'api-errors' says sev1, but its impact "
        "(50 users/hour = 5000 users/hour of api × 0.01 failing) rates sev2\n"
        "  hint: sev2 applies above 0 users/hour"
    ]


def test_p107_accepts_routed_services_and_known_status_keys_only(load: Loader) -> None:
    known = SERVICE + "    notify: {handles: ['@pagerduty-api', '@pagerduty-resolve', '@slack-elsewhere']}\n"
    assert _rendered(load({"service.yaml": known})) == []
    unknown_status = SERVICE + "    notify: {handles: ['@pagerduty-status-idme']}\n"
    assert _rendered(load({"service.yaml": unknown_status})) == [
        "case/service.yaml:18:24: [P107] monitor 'api-errors' notifies @pagerduty-status-idme, which is not a "
        "defined PagerDuty service\n"
        "  hint: paging services: @pagerduty-api"
    ]


def test_p103_counts_from_the_given_time_and_ignores_a_layer_that_has_not_started(load: Loader) -> None:
    later = TEAM.replace('start: "2026-01-05T09:00:00Z"', 'start: "2026-12-01T00:00:00Z"')
    d = load({"team.yaml": later})
    assert _rendered(d, datetime(2026, 12, 1, tzinfo=UTC)) == []
    assert _rendered(d, NOW) == [
        "case/service.yaml:7:36: [P103] service 'api' can page, but escalation policy 'web-escalation' has "
        "nobody on call 2026-11-22T19:00:00-05:00 to 2026-11-30T19:00:00-05:00 (192 h, America/New_York)\n"
        "  hint: cover every minute: extend the schedule layers or add a user target as the last rule"
    ]


def test_a_user_target_after_the_schedule_closes_every_gap(load: Loader) -> None:
    holes = TEAM.replace(
        "members: [a@example.com, b@example.com]}",
        "members: [a@example.com, b@example.com],\n"
        '         restrictions: [{type: daily, start_time: "09:00", duration: 8h}]}',
    )
    with_lead = holes + "      - delay: 30m\n        targets: [{user: b@example.com}]\n"
    assert [f.code for f in _findings(load({"team.yaml": holes}))] == ["P103"]
    assert _rendered(load({"team.yaml": with_lead})) == []


def test_the_burn_rate_ceiling_is_reported_once_by_its_rule_not_by_compile(load: Loader) -> None:
    d = load({"slo.yaml": SLO.replace("target: 99.9%", "target: 90%")})
    assert compile_definitions(d).findings == []
    assert _rendered(d) == []
    assert _rendered(d, family="S") == [
        "slo/api-availability: [S501] SLO 'api-availability': burn-rate tier 14.4x (1h/5m): burn rate 14.4 exceeds the "
        "maximum 1/(1-0.9) = 10 for a 90% target\n"
        "  hint: lower the burn rate or the target, or set alerting.on_invalid_tier: drop|clamp"
    ]
