"""The corpus of broken definition sets: each must exit 1 with exactly these messages.

Every case changes one thing in a small valid set (``base_set.py``) and states
the complete stderr the user sees. Positions were worked out from the YAML
text in the case, so a regression in the loader's position tracking fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from compiler.cli import run
from tests.definitions.base_set import PROCESS, SERVICE, TEAM, write_set


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    remove_all: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _service_with_monitor(monitor_lines: str) -> str:
    """SERVICE's service and one monitor whose body (after '- name: m') is ``monitor_lines``."""
    head = SERVICE.split("monitors:")[0]
    return head + "monitors:\n  - name: m\n" + monitor_lines


_GOOD_MONITOR = """\
    title: M
    service: api
    query: sum:x{a:b}
    window: 5m
    comparator: ">"
    thresholds: {critical: 10}
    severity: sev1
"""

CASES: list[Case] = [
    Case(
        "yaml-syntax-error",
        {"service.yaml": "services:\n  - name: api\n    title: [unclosed\n"},
        [
            "case/service.yaml:4:1: [D103] YAML syntax error: did not find expected ',' or ']'",
            "  hint: check indentation and quoting near this position",
        ],
    ),
    Case(
        "yaml-bad-indentation",
        {"service.yaml": "services:\n  - name: api\n   title: API\n"},
        [
            "case/service.yaml:3:4: [D103] YAML syntax error: did not find expected '-' indicator",
            "  hint: check indentation and quoting near this position",
        ],
    ),
    Case(
        "duplicate-key",
        {"service.yaml": SERVICE.replace("    title: API\n", "    title: API\n    title: API v2\n")},
        [
            "case/service.yaml:4:5: [D106] duplicate key 'title' (first defined at line 3)",
            "  hint: YAML keeps only one of them; remove or rename one",
        ],
    ),
    Case(
        "unknown-field-typo",
        {"service.yaml": _service_with_monitor(_GOOD_MONITOR.replace("thresholds:", "treshold:"))},
        [
            "case/service.yaml:9:5: [D202] missing required field 'thresholds' in monitor 'm'",
            "case/service.yaml:15:5: [D201] unknown field 'treshold' in monitor 'm'",
            "  hint: did you mean 'thresholds'? allowed fields: aggregation, banner_key, banner_on_no_data, "
            "comparator, dependency_group, guidance, impact, name, no_data, notify, options, query, runbook, service, "
            "severity, tags, thresholds, title, type, window",
        ],
    ),
    Case(
        "unknown-top-level-kind",
        {"extra.yaml": "alerts:\n  - name: x\n"},
        [
            "case/extra.yaml:1:1: [D201] unknown field 'alerts'",
            "  hint: allowed fields: auth_methods, banners, datadog_dashboards, datadog_downtimes, datadog_monitors, "
            "datadog_service_definitions, datadog_slos, dependencies, escalation_policies, features, "
            "maintenance_windows, monitors, owner, pagerduty_escalation_policies, pagerduty_maintenance_windows, "
            "pagerduty_schedules, pagerduty_services, pagerduty_teams, process, schedules, services, slos, teams",
        ],
    ),
    Case(
        "wrong-type-int",
        {"service.yaml": SERVICE.replace("users_per_hour: 5000", "users_per_hour: lots")},
        ["case/service.yaml:6:21: [D204] users_per_hour: expected an integer, got 'lots'"],
    ),
    Case(
        "wrong-type-list",
        {
            "service.yaml": SERVICE.replace(
                "    users_per_hour: 5000\n", "    users_per_hour: 5000\n    depends_on: db\n"
            )
        },
        ["case/service.yaml:7:17: [D204] depends_on: expected a list, got 'db'"],
    ),
    Case(
        "wrong-type-bool",
        {
            "process.yaml": None,
            "p.yaml": PROCESS.replace("response_time: 1h, pages: true", "response_time: 1h, pages: yes"),
        },
        ["case/p.yaml:8:93: [D204] severities[0].pages: expected true or false, got 'yes'"],
    ),
    Case(
        "bad-duration",
        {"service.yaml": _service_with_monitor(_GOOD_MONITOR.replace("window: 5m", "window: 5 minutes"))},
        [
            "case/service.yaml:13:13: [D205] window: invalid duration '5 minutes'",
            "  hint: use a number and a unit (s, m, h, d, w), e.g. '30m', '1h30m', '1d', or 'N business days'",
        ],
    ),
    Case(
        "business-days-where-calendar-time-needed",
        {"service.yaml": _service_with_monitor(_GOOD_MONITOR.replace("window: 5m", "window: 1 business day"))},
        [
            "case/service.yaml:13:13: [D205] window: '1 business day' is not allowed here: "
            "this field needs calendar time",
            "  hint: use s, m, h, d or w; business days only fit response times",
        ],
    ),
    Case(
        "bad-time-zone",
        {"team.yaml": TEAM.replace("time_zone: Etc/UTC", "time_zone: America/New_Yrok")},
        [
            "case/team.yaml:11:16: [D205] time_zone: time zone 'America/New_Yrok' is not accepted by PagerDuty",
            "  hint: did you mean 'America/New_York'?",
        ],
    ),
    Case(
        "time-zone-not-on-pagerduty-list",
        {"team.yaml": TEAM.replace("time_zone: Etc/UTC", "time_zone: UTC")},
        [
            "case/team.yaml:11:16: [D205] time_zone: time zone 'UTC' is not accepted by PagerDuty",
            "  hint: did you mean 'Etc/UTC'?",
        ],
    ),
    Case(
        "bad-email",
        {"team.yaml": TEAM.replace("{email: b@example.com, name: B}", "{email: b-at-example.com, name: B}")},
        [
            "case/team.yaml:7:17: [D205] members[1].email: invalid email address 'b-at-example.com'",
            "  hint: PagerDuty users are identified by email, e.g. ada@example.com",
        ],
    ),
    Case(
        "slack-channel-without-hash",
        {"team.yaml": TEAM.replace('alerts: "#web-alerts"', "alerts: web-alerts")},
        [
            "case/team.yaml:4:21: [D205] slack.alerts: invalid Slack channel 'web-alerts'",
            "  hint: write it as '#web-alerts' (in YAML, quote it: \"#web-alerts\", or it becomes a comment)",
        ],
    ),
    Case(
        "bad-url",
        {
            "service.yaml": SERVICE.replace(
                "    users_per_hour: 5000\n", "    users_per_hour: 5000\n    runbook: wiki/api\n"
            )
        },
        [
            "case/service.yaml:7:14: [D205] runbook: invalid URL 'wiki/api'",
            "  hint: links must be absolute http(s) URLs, e.g. https://example.com/runbook",
        ],
    ),
    Case(
        "bad-percentage",
        {
            "slo.yaml": "slos:\n  - name: api-availability\n    service: api\n    type: metric\n"
            "    good: sum:ok{*}.as_count()\n    total: sum:all{*}.as_count()\n    target: 100.5%\n"
        },
        ["case/slo.yaml:7:13: [D205] target: percentage '100.5%' must be above 0% and below 100%"],
    ),
    Case(
        "slo-unknown-type",
        {"slo.yaml": "slos:\n  - name: s\n    service: api\n    type: ratio\n    target: 99.9%\n"},
        ["case/slo.yaml:4:11: [D203] unknown type 'ratio'", "  hint: one of: metric, time_slice"],
    ),
    Case(
        "slo-missing-type",
        {"slo.yaml": "slos:\n  - name: s\n    service: api\n    target: 99.9%\n"},
        ["case/slo.yaml:2:5: [D203] missing required field 'type'", "  hint: one of: metric, time_slice"],
    ),
    Case(
        "datetime-without-offset",
        {
            "mw.yaml": "maintenance_windows:\n  - name: mw\n    start: 2026-12-12T02:00:00\n"
            "    end: 2026-12-12T05:00:00Z\n    dependencies: [x]\n    message: down\n"
        },
        [
            "case/mw.yaml:3:12: [D206] start: date-time '2026-12-12T02:00:00' has no UTC offset",
            "  hint: write it with an offset, e.g. 2026-12-05T02:00:00-05:00 or 2026-12-05T07:00:00Z",
        ],
    ),
    Case(
        "maintenance-ends-before-start",
        {
            "mw.yaml": "maintenance_windows:\n  - name: mw\n    start: 2026-12-12T05:00:00Z\n"
            "    end: 2026-12-12T02:00:00Z\n    dependencies: [x]\n    message: down\n"
        },
        ["case/mw.yaml:2:5: [D205] end (2026-12-12T02:00:00+00:00) must be after start (2026-12-12T05:00:00+00:00)"],
    ),
    Case(
        "missing-required-field",
        {"service.yaml": SERVICE.replace("    environment: production\n", "")},
        ["case/service.yaml:2:5: [D202] missing required field 'environment' in service 'api'"],
    ),
    Case(
        "recovery-on-wrong-side",
        {
            "service.yaml": _service_with_monitor(
                _GOOD_MONITOR.replace("{critical: 10}", "{critical: 10, recovery: 12}")
            )
        },
        [
            "case/service.yaml:9:5: [D205] recovery threshold 12.0 must be below critical 10.0 for comparator '>'",
            "  hint: the monitor recovers once the value is back on the healthy side of this threshold",
        ],
    ),
    Case(
        "monitor-without-severity-or-impact",
        {"service.yaml": _service_with_monitor(_GOOD_MONITOR.replace("    severity: sev1\n", ""))},
        [
            "case/service.yaml:9:5: [D205] a monitor needs a severity or an impact",
            "  hint: set severity: <name>, or impact: {users_per_hour: N} to derive it from the severity table",
        ],
    ),
    Case(
        "escalation-target-both-kinds",
        {"team.yaml": TEAM.replace("[{schedule: web-primary}]", "[{schedule: web-primary, user: a@example.com}]")},
        [
            "case/team.yaml:19:19: [D205] rules[0].targets[0]: a target is exactly one of 'schedule' or 'user'",
            "  hint: e.g. {schedule: identity-primary}",
        ],
    ),
    Case(
        "priority-matrix-row-too-short",
        {"process.yaml": None, "p.yaml": PROCESS.replace("tier2: [P2, P2]", "tier2: [P2]")},
        [
            "case/p.yaml:22:5: [D205] priority_matrix: row 'tier2' has 1 priorities but there are 2 columns",
            "  hint: give one priority per users_per_hour_above threshold",
        ],
    ),
    Case(
        "dangling-team",
        {"service.yaml": SERVICE.replace("team: web", "team: webb")},
        ["case/service.yaml:4:11: [R303] unknown team 'webb'", "  hint: did you mean 'web'?"],
    ),
    Case(
        "dangling-escalation-policy",
        {"service.yaml": SERVICE.replace("{escalation_policy: web-escalation}", "{escalation_policy: on-call}")},
        [
            "case/service.yaml:7:36: [R303] unknown escalation policy 'on-call'",
            "  hint: defined escalation policys: web-escalation",
        ],
    ),
    Case(
        "dangling-severity",
        {"service.yaml": SERVICE.replace("severity: sev1", "severity: critical")},
        ["case/service.yaml:16:15: [R303] unknown severity 'critical'", "  hint: defined severitys: sev1, sev2"],
    ),
    Case(
        "dangling-schedule",
        {"team.yaml": TEAM.replace("[{schedule: web-primary}]", "[{schedule: web-primry}]")},
        ["case/team.yaml:19:30: [R303] unknown schedule 'web-primry'", "  hint: did you mean 'web-primary'?"],
    ),
    Case(
        "on-call-person-not-in-a-team",
        {
            "team.yaml": TEAM.replace(
                "members: [a@example.com, b@example.com]", "members: [a@example.com, c@example.com]"
            )
        },
        [
            "case/team.yaml:13:94: [R306] 'c@example.com' is not a member of any team",
            "  hint: on-call people must be listed under a team's members",
        ],
    ),
    Case(
        "dangling-dependency-key",
        {
            "banners.yaml": "auth_methods:\n  - name: sis\n    title: SiS\n    selector: oauth=true\n"
            "    service: api\n    depends_on: [idme]\n"
        },
        [
            "case: [R310] dependencies and auth methods are defined but 'banners' is not",
            "  hint: add a 'banners:' section with the multiple_services and maintenance texts and the lead time",
            "case/banners.yaml:6:18: [R303] unknown dependency key 'idme'",
            "  hint: no dependency key is defined; add one",
        ],
    ),
    Case(
        "duplicate-name-across-files",
        {"more.yaml": "monitors:\n" + "  - name: api-errors\n" + _GOOD_MONITOR},
        [
            "case/service.yaml:9:11: [R301] duplicate monitor name 'api-errors' (first defined at case/more.yaml:2:11)",
            "  hint: monitor names must be unique across all definitions files",
        ],
    ),
    Case(
        "process-defined-twice",
        {"process2.yaml": PROCESS},
        [
            "case/process2.yaml:1:1: [D109] 'process' is defined more than once (first at case/process.yaml:1:1)",
            "  hint: keep a single 'process' section across all files",
        ],
    ),
    Case(
        "service-dependency-cycle",
        {
            "service.yaml": SERVICE.replace(
                "    users_per_hour: 5000\n", "    users_per_hour: 5000\n    depends_on: [db]\n"
            ).replace(
                "monitors:",
                "  - {name: db, title: DB, team: web, environment: production, users_per_hour: 1, depends_on: [api]}\n"
                "monitors:",
            )
        },
        [
            "case/service.yaml:7:18: [R308] service dependency cycle: api -> db -> api",
            "  hint: dependencies must form a tree; remove one of these edges",
        ],
    ),
    Case(
        "unknown-environment",
        {"service.yaml": SERVICE.replace("environment: production", "environment: prod")},
        [
            "case/service.yaml:5:18: [R303] unknown environment 'prod'",
            "  hint: defined environments: production, staging",
        ],
    ),
    Case(
        "feature-with-unknown-dependency-key",
        {
            "features.yaml": "dependencies:\n  - {key: evss, title: EVSS, banner: {headline: Down, body: Sorry.}}\n"
            "banners:\n  multiple_services: {headline: Several, body: Sorry.}\n"
            "  maintenance: {headline: Maintenance, body: Soon.}\n  maintenance_lead_time: 1h\n"
            "features:\n  - {name: letters, title: Letters, depends_on: [evs]}\n"
        },
        [
            "case/features.yaml:8:50: [R303] unknown dependency key 'evs'",
            "  hint: did you mean 'evss'?",
        ],
    ),
    Case(
        "document-is-a-list",
        {"list.yaml": "- name: api\n- name: web\n"},
        [
            "case/list.yaml:1:1: [D107] a definitions document must be a mapping of kinds",
            "  hint: top-level keys: owner, process, banners, teams, schedules, escalation_policies, services, "
            "slos, monitors, dependencies, auth_methods, features, maintenance_windows, pagerduty_teams, "
            "datadog_monitors, datadog_slos, datadog_downtimes, datadog_service_definitions, datadog_dashboards, "
            "pagerduty_schedules, pagerduty_escalation_policies, pagerduty_services, pagerduty_maintenance_windows",
        ],
    ),
    Case(
        "non-yaml-file",
        {"notes.txt": "remember to add monitors\n"},
        [
            "case/notes.txt:1:1: [D101] not a definitions file: 'notes.txt' (expected a .yaml or .yml file)",
            "  hint: move it out of the definitions directory, or rename it if it is YAML",
        ],
    ),
    Case(
        "not-utf8",
        {"latin1.yaml": "teams: []\n# caf\xe9\n".encode("latin-1")},
        [
            "case/latin1.yaml:1:1: [D102] file is not UTF-8 text (invalid continuation byte)",
            "  hint: definitions must be UTF-8 encoded YAML",
        ],
    ),
    Case(
        "yaml-merge-key",
        {"service.yaml": SERVICE.replace("    title: API\n", "    <<: {title: API}\n")},
        [
            "case/service.yaml:3:5: [D104] YAML merge keys ('<<') are not supported",
            "  hint: write the fields out; definitions should read the same as they apply",
        ],
    ),
    Case(
        "pagerduty-team-by-id-and-name",
        {
            "team.yaml": TEAM.replace(
                "    title: Web\n", "    title: Web\n    pagerduty_team: {id: PWEB123, name: Web}\n"
            )
        },
        [
            "case/team.yaml:4:21: [D205] pagerduty_team: pagerduty_team is exactly one of 'id' or 'name'",
            "  hint: e.g. {id: PQ9K7I8} or {name: Identity}",
        ],
    ),
    Case(
        "pagerduty-team-id-not-an-id",
        {"team.yaml": TEAM.replace("    title: Web\n", "    title: Web\n    pagerduty_team: {id: web-team}\n")},
        [
            "case/team.yaml:4:21: [D205] pagerduty_team: pagerduty_team id 'web-team' is not a PagerDuty team id",
            "  hint: ids are 'P' and upper-case letters or digits, as in the team's URL, e.g. PQ9K7I8",
        ],
    ),
    Case(
        "pagerduty-team-named-like-a-team-alertc-creates",
        {
            "team.yaml": TEAM.replace(
                "schedules:",
                "  - name: mobile\n    title: Mobile\n    slack: {alerts: '#m', incidents: '#mi'}\n"
                "    pagerduty_team: {name: Web}\n    members: [{email: c@example.com, name: C}]\nschedules:",
            )
        },
        [
            "case/team.yaml:11:28: [R311] pagerduty_team 'Web' is the PagerDuty team alertc creates for team 'web'",
            "  hint: to share one PagerDuty team, give team 'web' the same pagerduty_team, or name another team",
        ],
    ),
    Case(
        "no-process",
        {"process.yaml": None},
        [
            "case: [R309] no 'process' is defined",
            "  hint: add a 'process:' section (severities, tiers, priorities)",
        ],
    ),
    Case(
        "empty-directory",
        {},
        [
            "case: [D108] no definitions files (*.yaml, *.yml) found",
            "  hint: create one, e.g. definitions/process.yaml; see the README for the layout",
        ],
        remove_all=True,
    ),
    Case(
        "several-errors-in-one-run",
        {
            "service.yaml": SERVICE.replace("users_per_hour: 5000", "users_per_hour: -1").replace(
                "window: 5m", "window: 5"
            ),
            "team.yaml": TEAM.replace("rotation: 1w", "rotation: weekly"),
        },
        [
            "case/service.yaml:6:21: [D205] users_per_hour: input should be greater than or equal to 0",
            "case/service.yaml:13:13: [D205] window: expected a duration such as '30m', '1h' or '1 business day', "
            "got 5",
            "  hint: durations are strings with a unit: s, m, h, d, w",
            "case/team.yaml:13:65: [D205] layers[0].rotation: invalid duration 'weekly'",
            "  hint: use a number and a unit (s, m, h, d, w), e.g. '30m', '1h30m', '1d', or 'N business days'",
        ],
    ),
]


def _error_count_line(lines: list[str]) -> str:
    n = sum(1 for line in lines if not line.startswith("  hint:"))
    return f"{n} error{'s' if n != 1 else ''}; nothing was applied."


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_set_reports_exact_findings(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "case"
    if case.remove_all:
        directory.mkdir()
    else:
        write_set(directory, case.files)
    monkeypatch.chdir(tmp_path)

    code = run(["validate", "-d", "case"])

    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.splitlines() == [*case.expected, _error_count_line(case.expected)]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


def test_base_set_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_set(tmp_path / "case")
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "-d", "case"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("case: valid (4 files:")


def test_missing_directory_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "-d", "nowhere"]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        "error: nowhere: definitions directory does not exist",
        "  hint: pass the directory that holds your *.yaml files with -d/--definitions",
    ]
