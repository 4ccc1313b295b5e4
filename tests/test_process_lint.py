"""Process lint: each rule fires on a bad set with exactly this finding, and not on the good base set."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from compiler.checks.lint import lint
from compiler.checks.registry import all_rules, explain
from compiler.cli import run
from compiler.definitions import load_definitions
from tests.definitions.base_set import PROCESS, SERVICE, SLO, TEAM, write_set

NOW = "2026-11-23T00:00:00+00:00"  # a Monday


@dataclass
class Case:
    rule: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    exit_code: int = 1


BANNER = """\
dependencies:
  - key: api
    title: API
    service: api
    banner: {headline: API down, body: Sorry.}
banners:
  multiple_services: {headline: Several down, body: Sorry.}
  maintenance: {headline: Maintenance, body: Soon.}
  maintenance_lead_time: 2h
auth_methods:
  - {name: web, title: Web, selector: web=true, service: api, depends_on: [api]}
"""
QUALITATIVE = (
    PROCESS.replace(
        "    - {name: sev1, title: Severity 1, users_per_hour_above: 1000, response_time: 1h, pages: true}",
        "    - {name: sev1, title: Critical, impact: prevents customer operations, response_time: 1h, pages: true}",
    )
    .replace("      users_per_hour_above: 0\n", "      impact: impairs internal operations\n")
    .replace("    users_per_hour_above: [1000, 0]", "    severities: [sev1, sev2]")
)
ROLES = PROCESS + (
    "  roles:\n"
    "    - name: incident-commander\n"
    "      title: Incident Commander\n"
    "      duties: [decides]\n"
    "      commander: true\n"
    "      held_by: [lead]\n"
)
MAINTAINED = PROCESS + "  maintenance: {notice: 3 business days, max_per_month: 4h}\n"


def window(name: str, day: int, hours: int, announced: str) -> str:
    return (
        f"  - name: {name}\n    start: 2026-12-{day:02d}T02:00:00-05:00\n"
        f"    end: 2026-12-{day:02d}T{2 + hours:02d}:00:00-05:00\n    dependencies: [api]\n"
        f"    message: The API is down for maintenance.\n    announced: {announced}\n"
    )


WARNING = SERVICE.replace("thresholds: {critical: 10}", "thresholds: {critical: 10, warning: 5}")

CASES = [
    Case(
        "P101",
        {"service.yaml": SERVICE.replace("    runbook: https://example.com/runbooks/api-errors\n", "")},
        [
            "case/service.yaml:9:11: [P101] monitor 'api-errors' pages but has no runbook",
            "  hint: add runbook: to the monitor or to service 'api'",
        ],
    ),
    Case(
        "P102",
        {
            "service.yaml": SERVICE.replace("    pagerduty: {escalation_policy: web-escalation}\n", ""),
            "slo.yaml": SLO + "    alerting: {enabled: false}\n",  # its paging burn tiers would be P122
        },
        [
            "case/service.yaml:2:11: [P102] service 'api' has paging monitors (e.g. 'api-errors') but no pagerduty "
            "routing",
            "  hint: add pagerduty: {escalation_policy: <policy>} to the service",
        ],
    ),
    Case(
        "P103",
        {
            "team.yaml": TEAM.replace(
                "members: [a@example.com, b@example.com]}",
                "members: [a@example.com, b@example.com],\n"
                '         restrictions: [{type: weekly, start_day: mon, start_time: "00:00", duration: 167h}]}',
            )
        },
        [
            "case/service.yaml:7:36: [P103] service 'api' can page, but escalation policy 'web-escalation' has "
            "nobody on call 2026-11-29T18:00:00-05:00 to 2026-11-29T19:00:00-05:00 (1 h, America/New_York) "
            "and 3 more gap(s)",
            "  hint: cover every minute: extend the schedule layers or add a user target as the last rule",
        ],
    ),
    Case(
        "P104",
        {
            "service.yaml": SERVICE.replace(
                "    severity: sev1\n", "    severity: sev1\n    impact: {users_per_hour: 10}\n"
            )
        },
        [
            "case/service.yaml:16:15: warning: [P104] monitor 'api-errors' says sev1, but its impact "
            "(10 users/hour (declared impact)) rates sev2",
            "  hint: sev2 applies above 0 users/hour",
        ],
        exit_code=0,
    ),
    Case(
        "P105",
        {"slo.yaml": None},
        ["case/service.yaml:2:11: warning: [P105] production service 'api' has no SLO", "  hint: add an SLO for it"],
        exit_code=0,
    ),
    Case(
        "P106",
        {"team.yaml": TEAM.replace("      - delay: 30m", "      - delay: 45m")},
        [
            "case/team.yaml:18:16: [P106] escalation policy 'web-escalation' waits 45m before escalating, longer "
            "than the acknowledgement target of 30m",
            "  hint: set the first rule's delay to 30m or less",
        ],
    ),
    Case(
        "P108",
        {"service.yaml": SERVICE + "    notify: {channels: ['#api-alrts']}\n"},
        [
            "case/service.yaml:18:25: warning: [P108] monitor 'api-errors' notifies #api-alrts, which is not a "
            "team's channel",
            "  hint: team channels: #web-alerts, #web-incidents",
        ],
        exit_code=0,
    ),
    Case(
        "P107",
        {"service.yaml": SERVICE + "    notify: {handles: ['@pagerduty-payments']}\n"},
        [
            "case/service.yaml:18:24: [P107] monitor 'api-errors' notifies @pagerduty-payments, which is not a "
            "defined PagerDuty service",
            "  hint: paging services: @pagerduty-api",
        ],
    ),
    Case(
        "P109",
        {
            "service.yaml": SERVICE.replace("{env:prod}.as_count()", "{env:prod} by {region}.as_count()")
            + "    banner_key: api\n",
            "deps.yaml": BANNER,
        },
        [
            "case/service.yaml:18:17: warning: [P109] monitor 'api-errors' is grouped by {region} and drives banner "
            "key 'api': one group alerting raises the 'api' banner for all its users",
            "  hint: drive 'api' from an ungrouped monitor; per-group keys from per-group monitors",
        ],
        exit_code=0,
    ),
    Case(
        "P110",
        {
            "service.yaml": WARNING + "    banner_key: api\n    notify: {handles: ['@pagerduty-status-api']}\n",
            "deps.yaml": BANNER,
        },
        [
            "case/service.yaml:15:41: [P110] monitor 'api-errors' raises banner api on its warning (> 5), before its "
            "critical threshold 10",
            "  hint: remove @pagerduty-status-<key> from notify.handles: banner_key routes it on alert only",
        ],
    ),
    Case(
        "P111",
        {"service.yaml": WARNING + "    notify: {handles: ['@pagerduty-api']}\n"},
        [
            "case/service.yaml:15:41: [P111] monitor 'api-errors' pages api when it warns (> 5)",
            "  hint: remove the @pagerduty-<service> handle from notify.handles: alertc pages on alert only",
        ],
    ),
    Case(
        "P112",
        {
            "slo.yaml": SLO
            + "  - name: api-latency\n    service: api\n    type: time_slice\n    query: p95:api.latency{env:prod}\n"
            + "    comparator: '<'\n    threshold: 0.5\n    target: 99.99%\n"
        },
        [
            "case/slo.yaml:14:13: warning: [P112] SLO 'api-latency' (99.99% over 30d) has an error budget of 0.864 "
            "5m slices: 8640 5m slices × 0.0001 = 0.864; one bad slice is a burn rate of 833 over 1h (pages above "
            "14.4)",
            "  hint: a target of 99.884% keeps 10 5m slices, or 1m slices give 4.32; or keep the target and report on "
            "it without paging (alerting: {enabled: false})",
        ],
        exit_code=0,
    ),
    Case(
        "P121",
        {
            "slo.yaml": SLO
            + "  - name: api-latency\n    service: api\n    type: time_slice\n    query: p95:api.latency{env:prod}\n"
            + "    comparator: '<'\n    threshold: 0.5\n    slice: 1m\n    target: 99.9%\n"
        },
        [
            "case/slo.yaml:8:11: warning: [P121] SLO 'api-latency' (99.9% over 30d): the 14.4x 1h/5m tier (sev1) "
            "pages on 1 bad 1m slice (1h: more than 14.4 × 0.001 × 60 = 0.864 → 1; 5m: more than 14.4 × 0.001 × 5 "
            "= 0.072 → 1)",
            "  hint: it needs 3: a burn rate of at least 33.4 over 1h, or a long window of at least 3h at 14.4x, or "
            "dropping the tier (alerting.tiers without it), or reporting on the SLO without paging (alerting: "
            "{enabled: false})",
        ],
        exit_code=0,
    ),
    Case(
        "P123",
        {
            "process.yaml": MAINTAINED,
            "service.yaml": SERVICE + "    banner_key: api\n",
            "deps.yaml": BANNER,
            "maintenance.yaml": "maintenance_windows:\n" + window("api-upgrade", 3, 3, "2026-12-01T10:00:00-05:00"),
        },
        [
            "case/maintenance.yaml:7:16: warning: [P123] maintenance window 'api-upgrade' starts "
            "2026-12-03T02:00:00-05:00, less than 3 business days after it was announced (2026-12-01T10:00:00-05:00); "
            "with that notice it could start 2026-12-04T10:00:00-05:00 at the earliest",
            "  hint: announce it by 2026-11-30 or move it; the SLA counts it as downtime otherwise",
        ],
        exit_code=0,
    ),
    Case(
        "P124",
        {
            "process.yaml": MAINTAINED,
            "service.yaml": SERVICE + "    banner_key: api\n",
            "deps.yaml": BANNER,
            "maintenance.yaml": "maintenance_windows:\n"
            + window("api-upgrade", 7, 3, "2026-12-01T10:00:00-05:00")
            + window("api-db", 19, 2, "2026-12-01T10:00:00-05:00"),
        },
        [
            "case/maintenance.yaml:10:10: warning: [P124] planned maintenance in 2026-12 adds up to 5h ('api-upgrade' "
            "3h, 'api-db' 2h); the process allows 4h a month",
            "  hint: shorten or move windows by 1h",
        ],
        exit_code=0,
    ),
    Case(
        "P122",
        {
            "tools.yaml": "services:\n"
            "  - {name: tools, title: Tools, team: web, environment: production, users_per_hour: 2000}\n"
            "slos:\n  - name: tools-availability\n    service: tools\n    type: metric\n"
            "    good: sum:tools.ok{*}.as_count()\n    total: sum:tools.all{*}.as_count()\n    target: 99%\n"
            "    alerting: {tiers: [{long_window: 1h, short_window: 5m, burn_rate: 14.4, severity: sev1}]}\n",
        },
        [
            "case/tools.yaml:10:24: [P122] SLO 'tools-availability': its 14.4x 1h/5m burn-rate tier is rated sev1 "
            "(Severity 1), which pages, but service 'tools' has no pagerduty routing: it would page nobody",
            "  hint: set impact: <its severity> on service 'tools', a tier severity that does not page, or "
            "pagerduty: {escalation_policy: <policy>} on the service",
        ],
    ),
    Case(
        "P126",
        {
            "process.yaml": PROCESS.replace(
                "    users_per_hour_above: [1000, 0]", "    users_per_hour_above: [1000, 100, 0]"
            )
            .replace("      tier1: [P1, P2]", "      tier1: [P1, P1, P2]")
            .replace("      tier2: [P2, P2]", "      tier2: [P2, P2, P2]")
        },
        [
            "case/process.yaml:22:27: warning: [P126] severity sev2 (more than 0 users/hour, up to 1000) gives two "
            "priorities in the priority matrix (tier1: P2 for 1-100 users/hour, P1 for 101-1000 users/hour): an impact "
            "of 1 users/hour and an explicit sev2 are rated differently",
            "  hint: use the ladder's breakpoints in priority_matrix.users_per_hour_above: [1000, 0]",
        ],
        exit_code=0,
    ),
    Case(
        "P125",
        {"owner.yaml": "owner: web\n"},  # a scope: the organisation is shared
        [
            "case/team.yaml:2:11: warning: [P125] team 'web' states no datadog_team: its incident notification rules "
            "match incidents whose Teams field holds 'web'",
            "  hint: set datadog_team: <its handle in Datadog Teams> (the declaration prompt tells the commander to "
            "set it)",
        ],
        exit_code=0,
    ),
    Case(
        "P113",
        {
            "process.yaml": PROCESS.replace(
                "  status_update_every: 30m\n", "  status_update_every: 30m\n  incident_after: 15m\n"
            ),
            "service.yaml": SERVICE + "    options: {renotify_interval: 10}\n",
        },
        [
            "case/service.yaml:18:14: [P113] monitor 'api-errors' can become P1 after 15m, but its options make it "
            "ask for the incident declaration at 10m, before the 15m rule",
            "  hint: remove renotify_interval/renotify_statuses/renotify_occurrences from options",
        ],
    ),
    Case(
        "P116",
        {
            "process.yaml": PROCESS.replace(
                "  status_update_every: 30m\n", "  status_update_every: 30m\n  status_update_reminder: timer\n"
            )
        },
        [
            "case/process.yaml:7:27: warning: [P116] Datadog cannot notify #web-incidents every 30m while a declared "
            "incident is open; its incident notification rules fire on incident events only "
            "(incident_created_trigger, incident_saved_trigger; renotify_on names incident fields), so alertc "
            "notifies #web-incidents whenever the open incident's severity, state or status changes, and the 30m "
            "cadence stays the incident commander's duty",
            "  hint: write status_update_reminder: on_change to accept the notification on each change",
        ],
        exit_code=0,
    ),
    Case(
        "P120",
        {
            "native.yaml": "datadog_monitors:\n"
            "  - key: old-api-latency\n"
            "    name: API latency\n"
            "    type: query alert\n"
            "    query: avg(last_5m):avg:api.latency{env:prod} > 2\n"
            "    tags: [service:api]\n"
            "  - key: unrelated\n"
            "    name: Disk\n"
            "    type: query alert\n"
            "    query: avg(last_5m):avg:system.disk.in_use{*} > 0.9\n"
        },
        [
            "case/native.yaml:2:10: warning: [P120] native monitor 'old-api-latency' is on service 'api', which has "
            "a process: migrate it to a process-derived monitor",
            "  hint: see `alertc validate --explain P120`",
        ],
        exit_code=0,
    ),
]


CASES += [
    Case(
        "P114",
        {
            "process.yaml": QUALITATIVE,
            "service.yaml": SERVICE.replace("    severity: sev1\n", "    impact: {users_per_hour: 5000}\n"),
        },
        [
            "case/service.yaml:16:13: [P114] monitor 'api-errors' gives an impact of 5000 users/hour, but the "
            "severities of 'Test process' are impact categories, not users/hour thresholds: it has no severity",
            "  hint: remove impact and name the severity: severity: <one of sev1, sev2>",
        ],
    ),
    Case(
        "P115",
        {"process.yaml": ROLES},
        [
            "case/process.yaml:31:16: [P115] role 'incident-commander' may be held by lead, but no team member "
            "has such a role",
            "  hint: member roles defined: engineer",
        ],
    ),
]


# More bad sets for rules whose one pair (CASES, shared with tests/lint/test_rule_pairs.py) is not all they check.
MORE_CASES = [
    Case(
        "P113",
        {
            "process.yaml": PROCESS.replace(
                "  status_update_every: 30m\n",
                "  status_update_every: 30m\n  incident_after: 15m\n  alert_reminders: 30m\n",
            )
        },
        [
            "case/process.yaml:8:20: [P113] alert_reminders 30m cannot be kept: the declaration prompt is the first "
            "re-notification, at incident_after 15m, and Datadog re-notifies on one cadence (so every 15m)",
            "  hint: set alert_reminders: 15m, or remove it",
        ],
    ),
    Case(
        "P113",
        {
            "process.yaml": PROCESS.replace(
                "  status_update_every: 30m\n", "  status_update_every: 30m\n  incident_after: 15m\n"
            ),
            "service.yaml": SERVICE + "    options: {renotify_occurrences: 3}\n",
        },
        [
            "case/service.yaml:18:14: [P113] monitor 'api-errors' can become P1 after 15m, but its options make it "
            "ask for the incident declaration at 15m and again every 15m (renotify_occurrences is not 1)",
            "  hint: remove renotify_interval/renotify_statuses/renotify_occurrences from options",
        ],
    ),
]


@pytest.mark.parametrize("case", [*CASES, *MORE_CASES], ids=[c.rule for c in [*CASES, *MORE_CASES]])
def test_rule_fires_with_exact_finding(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case", case.files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    code = run(["validate", "-d", "case"])
    _, err = capsys.readouterr()
    lines = err.splitlines()
    if case.exit_code == 1:
        assert lines[-1] == "1 error; nothing was applied."
        lines = lines[:-1]
    assert code == case.exit_code
    assert lines == case.expected


def test_every_rule_has_a_case_and_an_explanation() -> None:
    process_rules = {rule_id for rule_id in all_rules() if rule_id.startswith("P")}
    assert {c.rule for c in CASES} == process_rules
    for rule_id in process_rules:
        text = explain(rule_id.lower())
        assert text.startswith(f"{rule_id} (") and "Fix:" in text


def test_good_set_and_examples_are_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    assert run(["validate", "-d", "case"]) == 0
    assert run(["validate", "-d", str(Path(__file__).resolve().parents[1] / "definitions")]) == 0
    assert capsys.readouterr().err == ""


def test_a_small_budget_slo_that_does_not_page_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """P112 is about paging: a 99.99% time-slice SLO kept for reporting (alerting off) is the process's choice."""
    write_set(
        tmp_path / "case",
        {
            "slo.yaml": SLO
            + "  - name: api-latency\n    service: api\n    type: time_slice\n    query: p95:api.latency{env:prod}\n"
            + "    comparator: '<'\n    threshold: 0.5\n    target: 99.99%\n    alerting: {enabled: false}\n"
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    assert run(["validate", "-d", "case"]) == 0
    assert capsys.readouterr().err == ""


def test_lint_keeps_nothing_of_the_set_it_linted(tmp_path: Path) -> None:
    """A memo shared by three rules lives for one lint call: kept, it held a large set's monitors through a plan."""
    write_set(tmp_path / "case")
    loaded = load_definitions(tmp_path / "case")
    assert loaded.definitions is not None
    lint(loaded.definitions, datetime.fromisoformat(NOW))
    definitions = weakref.ref(loaded.definitions)
    del loaded
    gc.collect()
    assert definitions() is None


def _validate_err(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slo: str) -> str:
    write_set(tmp_path / "case", {"slo.yaml": SLO + slo})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    assert run(["validate", "-d", "case"]) == 0
    return capsys.readouterr().err


def test_latency_slo_without_the_one_minute_tier_is_not_noisy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """P121's fix as the identity example applies it: 6h/30m at 6x needs 3 bad minutes (6 × 0.001 × 360 = 2.16)."""
    slo = (
        "  - name: api-latency\n    service: api\n    type: time_slice\n    query: p95:api.latency{env:prod}\n"
        "    comparator: '<'\n    threshold: 0.5\n    slice: 1m\n    target: 99.9%\n"
        "    alerting:\n      tiers:\n"
        "        - {long_window: 6h, short_window: 30m, burn_rate: 6, severity: sev1}\n"
        "        - {long_window: 24h, short_window: 2h, burn_rate: 3, severity: sev2}\n"
    )
    assert _validate_err(tmp_path, monkeypatch, capsys, slo) == ""


def test_metric_slo_tier_counts_bad_events_at_the_service_traffic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 50 users/hour a 99.9% objective's 1h tier trips on one failed request: 14.4 × 0.001 × 50 = 0.72."""
    slo = (
        "  - name: api-small\n    service: small\n    type: metric\n    good: sum:a{ok:true}.as_count()\n"
        "    total: sum:a{*}.as_count()\n    target: 99.9%\n    timeframe: 90d\n"
        "    alerting: {tiers: [{long_window: 1h, short_window: 5m, burn_rate: 14.4, severity: sev2}]}\n"
    )
    small = "  - {name: small, title: Small, team: web, environment: production, users_per_hour: 50}\n"
    write_set(tmp_path / "case", {"slo.yaml": SLO + slo, "small.yaml": "services:\n" + small})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    assert run(["validate", "-d", "case"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "case/slo.yaml:15:24: warning: [P121] SLO 'api-small' (99.9% over 90d): the 14.4x 1h/5m tier (sev2) notifies "
        "on 1 bad event (1h: more than 14.4 × 0.001 × 50 = 0.72 → 1; 5m: more than 14.4 × 0.001 × 4.17 = 0.06 → 1)",
        "  hint: it needs 3: a burn rate of at least 40 over 1h, or a long window of at least 3h at 14.4x, or dropping "
        "the tier (alerting.tiers without it), or reporting on the SLO without paging (alerting: {enabled: false})",
    ]


def test_maintenance_rules_count_only_the_teams_own_systems_and_in_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Announced 3 business days ahead (Friday → Wednesday), 4h in the month: clean; a CSP's window never counts."""
    csp = BANNER.replace(
        "    service: api\n",
        "    service: api\n  - key: csp\n    title: CSP\n    kind: csp\n"
        "    banner: {headline: CSP down, body: Sorry.}\n",
    )
    windows = (
        window("api-upgrade", 9, 3, "2026-12-04T10:00:00-05:00")
        + window("api-db", 19, 1, "2026-12-01T10:00:00-05:00")
        + window("csp-outage", 20, 6, "2026-12-19T10:00:00-05:00").replace("[api]", "[csp]")
    )
    files = {"process.yaml": MAINTAINED, "service.yaml": SERVICE + "    banner_key: api\n", "deps.yaml": csp}
    write_set(tmp_path / "case", {**files, "maintenance.yaml": "maintenance_windows:\n" + windows})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    run(["validate", "-d", "case"])
    err = capsys.readouterr().err
    assert "[P123]" not in err and "[P124]" not in err, err
