"""Every rule has a good/bad pair (cfn-lint's shape): the bad set yields exactly these findings of the rule,
its good twin none, and ``alertc validate --explain`` explains the id.

Bad sets are reused where they already exist: the broken-set corpus
(``tests/definitions/test_broken_sets.py``), the hostile corpus
(``tests/hostile/cases.py``) and the process-lint cases
(``tests/test_process_lint.py``); the rest are written here. A rule registered
without a pair fails ``test_every_registered_rule_has_a_pair``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from compiler.checks.registry import all_rules
from compiler.cli import run
from tests.alerttest.pairs import alert_test_pairs
from tests.definitions import test_broken_sets as broken
from tests.definitions.base_set import BANNERS, PROCESS, SERVICE, SLO, write_set
from tests.hostile import cases as hostile
from tests.openslo.pairs import openslo_pairs
from tests.test_process_lint import CASES as LINT_CASES

NOW = "2026-11-23T00:00:00+00:00"
EXAMPLES = Path(__file__).resolve().parents[2] / "definitions"
Build = Callable[[Path], None]


@dataclass(frozen=True)
class Pair:
    rule: str
    bad: Build
    expected: list[str]  # every output line carrying [rule], in order
    good: Build
    command: tuple[str, ...] = ("validate",)  # alert-test rules are reported by `alertc test`


def base(overrides: dict[str, str | bytes | None] | None = None) -> Build:
    def build(directory: Path) -> None:
        write_set(directory, overrides)

    return build


def empty(directory: Path) -> None:
    directory.mkdir(parents=True)


def examples(changes: dict[str, tuple[str, str]] | None = None) -> Build:
    """The example definitions, each change an (old, new) text replacement that must match once."""

    def build(directory: Path) -> None:
        shutil.copytree(EXAMPLES, directory)
        for name, (old, new) in (changes or {}).items():
            path = directory / name
            text = path.read_text(encoding="utf-8")
            if old == "":  # an empty old text appends
                path.write_text(text + new, encoding="utf-8")
                continue
            assert text.count(old) == 1, f"{old!r} must occur once in {name}"
            path.write_text(text.replace(old, new), encoding="utf-8")

    return build


def _carrying(rule: str, lines: list[str]) -> list[str]:
    return [line for line in lines if f"[{rule}]" in line]


def _from_broken(rule: str, case_id: str) -> Pair:
    case = next(c for c in broken.CASES if c.id == case_id)
    bad = empty if case.remove_all else base(case.files)
    return Pair(rule, bad, _carrying(rule, case.expected), base())


def _from_hostile(rule: str, case_id: str, good: Build | None = None) -> Pair:
    case = next(c for c in hostile.CASES if c.id == case_id)
    return Pair(rule, case.make, [case.expected], good or base())


WITH_BANNERS = base({"banners.yaml": BANNERS})
NATIVE_MONITOR = """\
datadog_monitors:
  - key: old-api
    name: Old API errors
    type: query alert
    query: avg(last_5m):avg:api.errors{*} > 5
"""
NATIVE_SERVICE = """\
pagerduty_services:
  - key: old-ops
    name: Old ops
    escalation_policy: web-escalation
"""
NATIVE_POLICY = """\
pagerduty_escalation_policies:
  - key: old-policy
    name: Old policy
    rules:
      - escalation_delay_in_minutes: 30
        targets: [{schedule: web-primary}]
"""

PAIRS: list[Pair] = [
    _from_broken("D101", "non-yaml-file"),
    _from_broken("D102", "not-utf8"),
    _from_broken("D103", "yaml-syntax-error"),
    _from_broken("D104", "yaml-merge-key"),
    Pair(
        "D105",
        base({"x.yaml": "? [a, b]\n: c\n"}),
        ["case/x.yaml:1:3: [D105] mapping keys must be plain scalars"],
        base(),
    ),
    _from_broken("D106", "duplicate-key"),
    _from_broken("D107", "document-is-a-list"),
    _from_broken("D108", "empty-directory"),
    _from_broken("D109", "process-defined-twice"),
    _from_hostile("D110", "fifo"),
    _from_hostile("D111", "file-over-5-mb"),
    _from_hostile("D112", "total-over-50-mb"),
    _from_hostile("D113", "alias-cycle"),
    _from_hostile("D114", "nesting-40-flow-levels"),
    _from_hostile("D115", "nan-threshold"),
    _from_broken("D201", "unknown-top-level-kind"),
    _from_broken("D202", "missing-required-field"),
    _from_broken("D203", "slo-unknown-type"),
    _from_broken("D204", "wrong-type-int"),
    _from_broken("D205", "bad-duration"),
    _from_broken("D206", "datetime-without-offset"),
    _from_broken("R301", "duplicate-name-across-files"),
    _from_hostile("R302", "duplicated-dependency-in-maintenance-window", good=WITH_BANNERS),
    _from_broken("R303", "dangling-team"),
    Pair(
        "R304",
        base({"process.yaml": PROCESS.replace("environments: [staging]", "environments: [staging, production]")}),
        ["case/process.yaml:17:45: [R304] environment 'production' is in tiers 'tier1' and 'tier2'"],
        base(),
    ),
    Pair(
        "R305",
        base({"process.yaml": PROCESS.replace("      tier2: [P2, P2]\n", "")}),
        ["case/process.yaml:24:7: [R305] priority matrix has no row for tier 'tier2'"],
        base(),
    ),
    _from_broken("R306", "on-call-person-not-in-a-team"),
    Pair(
        "R307",
        base(
            {
                "service.yaml": SERVICE.replace(
                    "    users_per_hour: 5000\n", "    users_per_hour: 5000\n    depends_on: [api]\n"
                )
            }
        ),
        ["case/service.yaml:7:18: [R307] service 'api' depends on itself"],
        base(),
    ),
    _from_broken("R308", "service-dependency-cycle"),
    _from_broken("R311", "pagerduty-team-named-like-a-team-alertc-creates"),
    Pair(
        "R312",
        examples(
            {
                "teams.yaml": (
                    "",
                    "  - name: mobile\n    title: Mobile\n    slack: {alerts: '#m-alerts', incidents: '#m-incidents'}\n"
                    "    members:\n      - {email: mobile-1@example.com, name: M1}\n",
                ),
                "services.yaml": ("    title: SSOe\n    team: identity\n", "    title: SSOe\n    team: mobile\n"),
            }
        ),
        [
            "case/services.yaml:33:26: warning: [R312] service 'ssoe' of team 'mobile' joins team 'identity' in "
            "PagerDuty: a service belongs to the team of its escalation policy 'identity-escalation'"
        ],
        examples(),
    ),
    _from_broken("R309", "no-process"),
    Pair(
        "R310",
        base({"banners.yaml": "dependencies:" + BANNERS.split("\ndependencies:", 1)[1]}),  # no banners: section
        ["case: [R310] dependencies and auth methods are defined but 'banners' is not"],
        WITH_BANNERS,
    ),
    Pair(
        "B401",
        examples(
            {
                "monitors.yaml": (
                    "    severity: sev1\n    banner_key: sis\n",
                    "    severity: sev1\n    banner_key: ssoe\n",
                )
            }
        ),
        [
            "case/monitors.yaml:53:17: [B401] monitor 'sis-overall-success-rate' of auth method 'sis' drives banner "
            "key 'ssoe', which only auth method 'ssoe' depends on"
        ],
        examples(),
    ),
    Pair(
        "B402",
        examples(
            {
                "monitors.yaml": (
                    "    severity: sev1\n    banner_key: sis\n",
                    "    severity: sev1\n    banner_key: sis\n    notify: {handles: ['@pagerduty-status-nope']}\n",
                )
            }
        ),
        ["case/monitors.yaml:54:24: [B402] handle '@pagerduty-status-nope' names unknown dependency key 'nope'"],
        examples(),
    ),
    Pair(
        "B403",
        examples({"monitors.yaml": ("    severity: sev1\n    banner_key: sis\n", "    severity: sev1\n")}),
        [
            "case/banners.yaml:98:11: [B403] no monitor drives a banner key of auth method 'sis' (sis): an outage of "
            "'sis' would show its users no banner"
        ],
        examples(),
    ),
    Pair(
        "B404",
        examples({"monitors.yaml": ("    banner_key: dslogon\n", "")}),
        [
            "case/banners.yaml:63:10: warning: [B404] no monitor drives banner key 'dslogon': its banner shows only "
            "for an incident opened by hand on P9DJJAV or a maintenance window"
        ],
        examples(),
    ),
    Pair(
        "B405",
        examples(
            {
                "banners.yaml": (
                    "    title: SSOe\n    kind: identity\n",
                    "    title: Sign-in Service\n    kind: identity\n",
                )
            }
        ),
        [
            "case/banners.yaml:41:12: [B405] dependencies 'sis' and 'ssoe' would share the PagerDuty status "
            "service 'External: Sign-in Service'"
        ],
        examples(),
    ),
    Pair(
        "B406",
        examples(
            {
                "banners.yaml": (
                    "\nauth_methods:\n",
                    "\n  - key: vaprofile\n    title: VA Profile\n    banner:\n      headline: Profile trouble\n"
                    "      body: VA Profile is having problems.\n\nauth_methods:\n",
                )
            }
        ),
        [
            "case/banners.yaml:97:10: [B406] dependency 'vaprofile' has no escalation policy for its PagerDuty "
            "status service: neither its service nor a service of an auth method depending on it pages anyone"
        ],
        examples(),
    ),
    Pair(
        "B407",
        examples({"services.yaml": ("service: OCTO Identity - Sign-in Service\n", "service: 'External: Sign-in'\n")}),
        [
            "case/services.yaml:17:16: [B407] PagerDuty service 'External: Sign-in' of service 'sign-in-service' "
            "starts with the status prefix 'External: '"
        ],
        examples(),
    ),
    Pair(
        "B408",
        base(
            {
                "banners.yaml": BANNERS.replace(
                    "    service: api\n    banner:", "    pagerduty_service: PLPSIB0\n    banner:"
                )
            }
        ),
        [
            "case/banners.yaml:26:17: [B408] monitor 'logingov-errors' drives banner key 'logingov', whose status "
            "service is the existing PagerDuty service PLPSIB0, and the dependency names no Datadog handle for it"
        ],
        WITH_BANNERS,
    ),
    Pair(
        "B409",
        base(
            {
                "banners.yaml": BANNERS.replace(
                    "    service: api\n    banner:", "    pagerduty_service: PLPSIB0\n    banner:"
                ).replace(
                    "auth_methods:",
                    "  - {key: global, title: VA.gov, pagerduty_service: PLPSIB0, "
                    "banner: {headline: Down, body: Later.}}\n"
                    "auth_methods:",
                )
            }
        ),
        [
            "case/banners.yaml:11:53: [B409] dependencies 'logingov' and 'global' reference the same PagerDuty "
            "service PLPSIB0"
        ],
        WITH_BANNERS,
    ),
    Pair(
        "S501",
        base({"slo.yaml": SLO.replace("target: 99.9%", "target: 90%")}),
        [
            "slo/api-availability: [S501] SLO 'api-availability': burn-rate tier 14.4x (1h/5m): burn rate 14.4 "
            "exceeds the maximum 1/(1-0.9) = 10 for a 90% target"
        ],
        base(),
    ),
    Pair(
        "S502",
        base({"slo.yaml": SLO.replace("target: 99.9%", "target: 90%\n    alerting: {on_invalid_tier: drop}")}),
        [
            "slo/api-availability: warning: [S502] SLO 'api-availability': burn-rate tier 14.4x (1h/5m): burn rate "
            "14.4 exceeds the maximum 1/(1-0.9) = 10 for a 90% target"
        ],
        base(),
    ),
    Pair(
        "R313",
        base({"native.yaml": NATIVE_MONITOR.replace("key: old-api", "key: api-errors")}),
        ["case/native.yaml:2:10: [R313] key 'api-errors' is also a monitor name: both would be one object"],
        base({"native.yaml": NATIVE_MONITOR}),
    ),
    Pair(
        "R314",
        base({"native.yaml": NATIVE_SERVICE.replace("escalation_policy: web-escalation", "escalation_policy: nope")}),
        ["case/native.yaml:4:24: [R314] unknown escalation policy 'nope'"],
        base({"native.yaml": NATIVE_SERVICE}),
    ),
    Pair(
        "R315",
        base(
            {
                "native.yaml": NATIVE_POLICY.replace(
                    "{schedule: web-primary}", "{schedule: web-primary, user: a@example.com}"
                )
            }
        ),
        ["case/native.yaml:6:19: [R315] a target names exactly one of schedule, user"],
        base({"native.yaml": NATIVE_POLICY}),
    ),
    Pair(
        "R316",
        base({"banners.yaml": BANNERS, "native.yaml": NATIVE_SERVICE.replace("key: old-ops", "key: status-logingov")}),
        [
            "case: [R316] pagerduty:service/status-logingov: a native definition has the key of an object the process "
            "compiles"
        ],
        base({"banners.yaml": BANNERS, "native.yaml": NATIVE_SERVICE}),
    ),
    Pair(
        "D207",
        base({"service.yaml": SERVICE + "    guidance: 'Escalate fast {{/is_alert}} @pagerduty-x'\n"}),
        [
            "case/service.yaml:18:15: [D207] guidance: '{{', '}}', '@pagerduty-x' in free text would be read by "
            "Datadog as a template or a notification handle"
        ],
        base({"service.yaml": SERVICE + "    guidance: Escalate fast to ops@example.com\n"}),
    ),
    Pair(
        "D209",
        base({"native.yaml": NATIVE_MONITOR + "    tags: [team:web, managed-by:alertc, alertc-owner:mobile]\n"}),
        [
            "case/native.yaml:6:22: [D209] tag 'managed-by:alertc' is one of alertc's ownership marks, written by "
            "apply",
            "case/native.yaml:6:41: [D209] tag 'alertc-owner:mobile' is one of alertc's ownership marks, written by "
            "apply",
        ],
        base({"native.yaml": NATIVE_MONITOR + "    tags: [team:web]\n"}),
    ),
    Pair(
        "D208",
        base({"service.yaml": SERVICE + "    options: {escalation_message: 'Still failing @pagerduty-x'}\n"}),
        [
            "case/service.yaml:9:11: [D208] datadog:monitor/api-errors: its compiled message notifies @pagerduty-x, "
            "which its routing did not produce"
        ],
        base(
            {
                "service.yaml": SERVICE
                + "    options: {escalation_message: 'Still failing @slack-web-leads'}\n"
                + "    notify: {handles: ['@slack-web-leads']}\n"
            }
        ),
    ),
    *[Pair(c.rule, base(c.files), _carrying(c.rule, c.expected), base()) for c in LINT_CASES],
    *[Pair(rule, bad, expected, good, command) for rule, bad, expected, good, command in alert_test_pairs()],
    *[Pair(rule, bad, expected, good, command) for rule, bad, expected, good, command in openslo_pairs()],
]


def _validate(
    build: Build,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...] = ("validate",),
) -> tuple[int, list[str]]:
    build(tmp_path / "case")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    code = run([*command, "-d", "case"])
    _, err = capsys.readouterr()
    return code, err.splitlines()


@pytest.mark.parametrize("pair", PAIRS, ids=[p.rule for p in PAIRS])
def test_bad_set_reports_exactly_the_rule_findings(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _validate(pair.bad, tmp_path, monkeypatch, capsys, pair.command)
    assert _carrying(pair.rule, lines) == pair.expected
    assert code == (1 if all_rules()[pair.rule].severity == "error" else code)


@pytest.mark.parametrize("pair", PAIRS, ids=[p.rule for p in PAIRS])
def test_good_twin_has_no_finding_of_the_rule(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _validate(pair.good, tmp_path, monkeypatch, capsys, pair.command)
    assert code == 0, lines
    assert _carrying(pair.rule, lines) == []


def test_every_registered_rule_has_a_pair() -> None:
    paired = [p.rule for p in PAIRS]
    assert sorted(set(paired)) == sorted(all_rules()), "add a good/bad pair for every rule id"
    assert len(paired) == len(set(paired)), "one pair per rule"


def test_every_finding_line_printed_by_validate_carries_a_registered_rule_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Across every bad set: a finding line (not a hint, not the summary) names a known rule."""
    known = set(all_rules())
    finding_line = re.compile(r"^\S.*?: (warning: )?\[([A-Z]\d{3})\] ")
    for index, pair in enumerate(PAIRS):
        _, lines = _validate(pair.bad, tmp_path / str(index), monkeypatch, capsys, pair.command)
        for line in lines:
            if line.startswith(("  ", "error: ")) or line.endswith("nothing was applied."):
                continue
            match = finding_line.match(line)
            assert match is not None, f"{pair.rule}: finding without a rule id: {line}"
            assert match.group(2) in known


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_explain_works_for_every_rule(rule_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "--explain", rule_id.lower()]) == 0
    out = capsys.readouterr().out
    rule = all_rules()[rule_id]
    assert out.startswith(f"{rule_id} ({rule.severity}): {rule.title}\n\n")
    assert "Fix:" in out


def test_explain_of_an_unknown_id_names_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "--explain", "X999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown rule 'X999'\n  hint: rules: B401, B402,")
    assert err.endswith(", S501, S502, T101, T102, T201, T202, T203, T204, T205\n")
