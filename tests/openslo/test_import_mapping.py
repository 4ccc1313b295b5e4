"""OpenSLO documents → alertc definitions: what maps to what, and the exact finding for what does not.

Each case imports a small document into ``alertc init``'s definitions (team web,
service api; severities sev1, which pages, and sev2, which does not) and checks
the definitions made and every finding, with its position.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.definitions import source
from compiler.openslo.context import ImportContext
from compiler.openslo.importer import import_documents
from tests.openslo.support import load, rendered, run_import, scaffold, write

SLO_HEAD = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-success
spec:
  service: api
"""
DATADOG_RATIO = """\
  indicator:
    metadata:
      name: api-success
    spec:
      ratioMetric:
        counter: false
        good:
          metricSource:
            type: Datadog
            spec:
              query: sum:api.ok{*}.as_count()
        total:
          metricSource:
            type: Datadog
            spec:
              query: sum:api.all{*}.as_count()
"""
ROLLING_30D = """\
  timeWindow:
    - duration: 30d
      isRolling: true
"""


@pytest.fixture()
def definitions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = scaffold(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")  # findings show paths relative to the working directory
    return directory


def _slo(definitions: Path, body: str, name: str = "slo.yaml") -> tuple[list[str], list[dict[str, object]]]:
    path = write(definitions.parent, name, SLO_HEAD + body)
    result = run_import(definitions, [path])
    return rendered(result), result.slos


def test_a_datadog_ratio_slo_becomes_a_metric_slo_without_a_finding(definitions: Path) -> None:
    found, slos = _slo(definitions, DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n"
                       "  objectives:\n    - target: 0.999\n")  # fmt: skip

    assert found == []
    assert slos == [
        {
            "name": "api-success",
            "service": "api",
            "type": "metric",
            "good": "sum:api.ok{*}.as_count()",
            "total": "sum:api.all{*}.as_count()",
            "target": 99.9,
            "timeframe": "30d",
            "alerting": {"enabled": False},
        }
    ]


def test_bad_over_total_becomes_good_as_total_minus_bad(definitions: Path) -> None:
    body = DATADOG_RATIO.replace("good:", "bad:") + ROLLING_30D + "  budgetingMethod: Occurrences\n"
    found, slos = _slo(definitions, body + "  objectives:\n    - targetPercent: 99.5\n")

    assert found == []
    assert slos[0]["good"] == "(sum:api.all{*}.as_count()) - (sum:api.ok{*}.as_count())"
    assert slos[0]["target"] == 99.5


def test_a_threshold_sli_with_timeslices_becomes_a_time_slice_slo(definitions: Path) -> None:
    body = """\
  indicatorRef: latency
  timeWindow:
    - duration: 1w
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 0.5
      target: 0.99
      timeSliceTarget: 0.95
      timeSliceWindow: 5m
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: latency
spec:
  description: p95 latency
  thresholdMetric:
    metricSource:
      type: datadog
      spec:
        query: p95:api.latency{*}
"""
    found, slos = _slo(definitions, body)

    assert found == [
        "slo.yaml:16:24: warning: [O651] SLO 'api-success': timeSliceTarget 0.95 is not imported; Datadog judges each "
        "slice by the query's one value for the slice"
    ]
    assert slos[0] | {"alerting": None} == {
        "name": "api-success",
        "description": "p95 latency",
        "service": "api",
        "type": "time_slice",
        "query": "p95:api.latency{*}",
        "comparator": "<=",
        "threshold": 0.5,
        "slice": "5m",
        "target": 99.0,
        "timeframe": "7d",
        "alerting": None,
    }


def test_a_ratio_sli_with_timeslices_judges_each_slice_by_its_ratio(definitions: Path) -> None:
    body = (
        DATADOG_RATIO
        + ROLLING_30D
        + """\
  budgetingMethod: Timeslices
  objectives:
    - target: 0.99
      timeSliceTarget: 0.9
      timeSliceWindow: 1m
"""
    )
    found, slos = _slo(definitions, body)

    assert found == []
    assert (slos[0]["type"], slos[0]["query"], slos[0]["comparator"], slos[0]["threshold"], slos[0]["slice"]) == (
        "time_slice",
        "(sum:api.ok{*}.as_count()) / (sum:api.all{*}.as_count())",
        ">=",
        0.9,
        "1m",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                "duration: 30d\n      isRolling: true",
                "duration: 1M\n      isRolling: false\n      calendar:\n"
                "        startTime: 2022-01-01 12:00:00\n        timeZone: America/New_York",
            ),
            [
                "slo.yaml:26:7: [O608] SLO 'api-success': calendar-aligned windows are not supported",
            ],
        ),
        (
            ("duration: 30d", "duration: 2w"),
            ["slo.yaml:24:17: [O608] SLO 'api-success': a rolling window of 2w is not supported"],
        ),
        (
            ("budgetingMethod: Occurrences", "budgetingMethod: RatioTimeslices"),
            ["slo.yaml:26:20: [O608] SLO 'api-success': budgetingMethod RatioTimeslices is not supported"],
        ),
        (
            (
                "type: Datadog\n            spec:\n              query: sum:api.ok",
                "type: Prometheus\n            spec:\n              query: sum:api.ok",
            ),
            ["slo.yaml:15:19: [O605] SLO 'api-success': metric source type 'Prometheus' is not supported"],
        ),
        (
            ("    - target: 0.999\n", "    - target: 0.999\n      indicatorRef: other\n"),
            [
                "slo.yaml:29:7: [O607] SLO 'api-success': composite SLOs (an indicator per objective) are not "
                "supported",
            ],
        ),
        (
            ("    - target: 0.999\n", "    - target: 1.5\n"),
            ["slo.yaml:28:15: [O607] SLO 'api-success': target 150.0% must be above 0% and below 100%"],
        ),
    ],
    ids=["calendar-window", "two-weeks", "ratio-timeslices", "prometheus", "composite", "target-above-one"],
)
def test_what_datadog_slos_cannot_express_is_an_error_at_its_position(
    definitions: Path, change: tuple[str, str], expected: list[str]
) -> None:
    body = DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
    old, new = change
    assert body.count(old) == 1
    found, slos = _slo(definitions, body.replace(old, new))

    assert [line for line in found if ": warning: " not in line] == expected
    assert slos == []


def test_every_reason_an_slo_is_left_out_is_reported_at_once(definitions: Path) -> None:
    body = (
        DATADOG_RATIO.replace("type: Datadog", "type: Any")
        + """\
  timeWindow:
    - duration: 1Q
      isRolling: true
  budgetingMethod: RatioTimeslices
  objectives:
    - target: 0.999
"""
    )
    found, _ = _slo(definitions, body)

    assert found == [
        "slo.yaml:15:19: [O605] SLO 'api-success': metric source type 'Any' is not supported",
        "slo.yaml:24:17: [O608] SLO 'api-success': a rolling window of 1Q is not supported",
        "slo.yaml:26:20: [O608] SLO 'api-success': budgetingMethod RatioTimeslices is not supported",
    ]


def test_defaults_for_what_the_document_leaves_out_are_warnings(definitions: Path) -> None:
    body = DATADOG_RATIO.replace("counter: false", "counter: true") + "  objectives:\n    - displayName: Good\n"
    found, slos = _slo(definitions, body + "      target: 0.99\n")

    assert found == [
        "slo.yaml:6:3: warning: [O653] SLO 'api-success': no budgetingMethod; Occurrences is used (good events over "
        "all "
        "events)",
        "slo.yaml:6:3: warning: [O653] SLO 'api-success': no timeWindow; the rolling 30d window is used",
        "slo.yaml:12:18: warning: [O651] SLO 'api-success': ratioMetric.counter: true is not imported; Datadog knows "
        "each "
        "metric's type and sums the queries as written",
        "slo.yaml:24:7: warning: [O651] SLO 'api-success': spec.objectives[0].displayName is not imported (alertc has "
        "no "
        "equivalent)",
    ]
    assert (slos[0]["timeframe"], slos[0]["target"]) == ("30d", 99.0)


def test_labels_become_tags_and_names_become_alertc_names(definitions: Path) -> None:
    head = SLO_HEAD.replace("name: api-success", "name: API.Success\n  displayName: API success\n  labels:\n"
                            "    journey: [login, signup]\n    env: prod\n  annotations:\n"
                            "    example.com/owner: someone")  # fmt: skip
    path = write(definitions.parent, "slo.yaml", head + DATADOG_RATIO + ROLLING_30D +
                 "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n")  # fmt: skip
    result = run_import(definitions, [path])

    assert rendered(result) == [
        "slo.yaml:4:9: warning: [O654] SLO 'API.Success': renamed 'api-success' (alertc names are lowercase letters, "
        "digits and '-')",
        "slo.yaml:8:5: warning: [O651] SLO 'API.Success': label env is not imported; alertc tags every SLO "
        "env:<its service's env>",
        "slo.yaml:10:5: warning: [O651] SLO 'API.Success': metadata.annotations.example.com/owner is not imported "
        "(alertc has no equivalent)",
    ]
    assert result.slos[0]["name"] == "api-success"
    assert result.slos[0]["title"] == "API success"
    assert result.slos[0]["tags"] == ["journey:login", "journey:signup"]


def test_alert_policies_become_burn_rate_tiers(definitions: Path) -> None:
    body = (
        DATADOG_RATIO
        + ROLLING_30D
        + """\
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
  alertPolicies:
    - alertPolicyRef: fast-burn
    - kind: AlertPolicy
      metadata:
        name: slow-burn
      spec:
        alertWhenBreaching: true
        conditions:
          - kind: AlertCondition
            metadata:
              name: slow
            spec:
              severity: ticket
              condition:
                kind: burnrate
                op: gt
                threshold: 3
                lookbackWindow: 1d
        notificationTargets:
          - targetRef: team-slack
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: fast-burn
spec:
  alertWhenBreaching: true
  alertWhenResolved: true
  alertWhenNoData: false
  conditions:
    - conditionRef: fast
  notificationTargets:
    - targetRef: team-slack
    - targetRef: oncall
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast
spec:
  severity: sev1
  condition: {kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m}
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: oncall
spec:
  target: pagerduty
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: team-slack
  displayName: "#web-alerts"
spec:
  target: slack
"""
    )
    found, slos = _slo(definitions, body)

    assert found == [
        "slo.yaml:41:25: warning: [O654] SLO 'api-success': severity 'ticket' is not a severity of the process; read "
        "as "
        "'sev2' (the most severe that does not page)",
        "slo.yaml:43:17: warning: [O653] SLO 'api-success': no alertAfter; Datadog's short window is 2h, a twelfth of "
        "the "
        "lookback window",
    ]
    assert slos[0]["alerting"] == {
        "tiers": [
            {"long_window": "1h", "short_window": "5m", "burn_rate": 14.4, "severity": "sev1"},
            {"long_window": "1d", "short_window": "2h", "burn_rate": 3, "severity": "sev2"},
        ]
    }


def test_a_tier_that_cannot_be_imported_is_an_error_and_the_slo_keeps_the_others(definitions: Path) -> None:
    conditions = [
        "{severity: sev1, condition: {op: lte, threshold: 2, lookbackWindow: 1h, alertAfter: 5m}}",
        "{severity: sev1, condition: {op: gt, threshold: 2000, lookbackWindow: 1h, alertAfter: 5m}}",
        "{severity: sev1, condition: {op: gt, threshold: 20, lookbackWindow: 30m, alertAfter: 5m}}",
        "{severity: sev9, condition: {op: gt, threshold: 2, lookbackWindow: 6h, alertAfter: 5m}}",
        "{severity: sev1, condition: {op: gt, threshold: 2, lookbackWindow: 6h, alertAfter: 6h}}",
        "{severity: sev1, condition: {op: gt, threshold: 2, lookbackWindow: 6h, alertAfter: 30m}}",
        "{severity: sev2, condition: {op: gt, threshold: 1, lookbackWindow: 6h, alertAfter: 1h}}",
    ]
    policies = "".join(
        f"    - kind: AlertPolicy\n      metadata: {{name: p{i}}}\n      spec:\n        conditions:\n"
        f"          - {{kind: AlertCondition, metadata: {{name: c{i}}}, spec: {c}}}\n"
        for i, c in enumerate(conditions)
    )
    body = DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
    found, slos = _slo(definitions, body + "  alertPolicies:\n" + policies)

    assert found == [
        "slo.yaml:34:97: [O609] SLO 'api-success': op lte alerts while the budget burns slower than the threshold",
        "slo.yaml:39:112: [O609] SLO 'api-success': burn rate 2000 exceeds the maximum 1000 Datadog allows for a "
        "99.9% target",
        "slo.yaml:44:132: [O609] SLO 'api-success': lookbackWindow 30m is outside Datadog's 1h-48h long window",
        "slo.yaml:49:75: [O609] SLO 'api-success': severity 'sev9' is not a severity of the process",
        "slo.yaml:54:147: [O609] SLO 'api-success': alertAfter (6h) must be shorter than lookbackWindow (6h): they "
        "become "
        "Datadog's short and long windows",
        "slo.yaml:60:7: [O609] SLO 'api-success': alert policy 'p6' has the lookback window of 'p5' (6h); it is not "
        "imported",
    ]
    assert slos[0]["alerting"] == {
        "tiers": [{"long_window": "6h", "short_window": "30m", "burn_rate": 2, "severity": "sev1"}]
    }


def test_a_paging_tier_on_a_service_without_pagerduty_routing_is_an_error(definitions: Path) -> None:
    """It would page nobody (the definitions' own lint refuses such a tier); the SLO keeps its other tiers."""
    policies = "".join(
        f"    - kind: AlertPolicy\n      metadata: {{name: p{i}}}\n      spec:\n        conditions:\n"
        f"          - {{kind: AlertCondition, metadata: {{name: c{i}}}, spec: {{severity: {severity}, condition: "
        f"{{op: gt, threshold: {rate}, lookbackWindow: {window}, alertAfter: 5m}}}}}}\n"
        for i, (severity, rate, window) in enumerate([("sev1", 14.4, "1h"), ("sev2", 6, "6h")])
    )
    body = DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
    new_service = "---\napiVersion: openslo/v1\nkind: Service\nmetadata: {name: search}\nspec: {}\n"
    text = SLO_HEAD.replace("service: api", "service: search") + body + "  alertPolicies:\n" + policies + new_service
    result = run_import(definitions, [write(definitions.parent, "slo.yaml", text)])
    found, slos = rendered(result), result.slos

    assert [line for line in found if "[O609]" in line] == [
        "slo.yaml:34:75: [O609] SLO 'api-success': severity 'sev1' pages, but the service has no PagerDuty routing: "
        "the tier would page nobody"
    ]
    assert slos[0]["alerting"] == {
        "tiers": [{"long_window": "6h", "short_window": "5m", "burn_rate": 6, "severity": "sev2"}]
    }


def test_recommended_tiers_import_as_no_tiers_and_edited_ones_as_the_slos_own(definitions: Path) -> None:
    """``alertc.dev/tiers: recommended`` (alertc's export) keeps tiers rated by the service's impact; a policy
    edited since is imported as written, and said so."""
    recommended = [(14.4, "1h", "5m", "sev1"), (6, "6h", "30m", "sev2"), (3, "1d", "2h", "sev2")]
    edited = [(14.4, "1h", "5m", "sev1"), (6, "6h", "30m", "sev2"), (2, "1d", "2h", "sev2")]

    def document(tiers: list[tuple[float, str, str, str]]) -> str:
        policies = "".join(
            f"    - kind: AlertPolicy\n      metadata: {{name: p{i}}}\n      spec:\n        conditions:\n"
            f"          - {{kind: AlertCondition, metadata: {{name: c{i}}}, spec: {{severity: {severity}, condition: "
            f"{{op: gt, threshold: {rate}, lookbackWindow: {long}, alertAfter: {short}}}}}}}\n"
            for i, (rate, long, short, severity) in enumerate(tiers)
        )
        return (
            "  annotations: {alertc.dev/tiers: recommended}\nspec:\n  service: api\n"
            + DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
            + "  alertPolicies:\n" + policies
        )  # fmt: skip

    head = SLO_HEAD.replace("spec:\n  service: api\n", "")
    path = write(definitions.parent, "slo.yaml", head + document(recommended))
    result = run_import(definitions, [path])
    assert rendered(result) == []
    assert "alerting" not in result.slos[0]

    path = write(definitions.parent, "slo.yaml", head + document(edited))
    result = run_import(definitions, [path])
    assert rendered(result) == [
        "slo.yaml:31:5: warning: [O654] SLO 'api-success': the alert policies are not the recommended tiers "
        "alertc.dev/tiers names; they are imported as the SLO's own tiers"
    ]
    assert [t["burn_rate"] for t in result.slos[0]["alerting"]["tiers"]] == [14.4, 6, 2]


def test_notification_targets_are_checked_against_the_process_routing(definitions: Path) -> None:
    targets = "".join(
        f"---\napiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata:\n  name: {name}\n{extra}"
        f"spec:\n  target: {target}\n"
        for name, target, extra in [
            ("pager", "pagerduty", ""),
            ("mail", "email", ""),
            ("other-channel", "slack", "  displayName: '#somewhere-else'\n"),
        ]
    )
    policy = """\
  alertPolicies:
    - kind: AlertPolicy
      metadata: {name: ticket}
      spec:
        conditions:
          - {kind: AlertCondition, metadata: {name: t}, spec: {severity: sev2, condition: {op: gt, threshold: 2,
             lookbackWindow: 6h, alertAfter: 30m}}}
        notificationTargets: [{targetRef: pager}, {targetRef: mail}, {targetRef: other-channel}]
"""
    body = DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
    found, slos = _slo(definitions, body + policy + targets)

    assert found == [
        "slo.yaml:43:11: warning: [O655] SLO 'api-success': target 'pager' (pagerduty) will not be paged: severity "
        "'sev2' "
        "does not page",
        "slo.yaml:50:11: warning: [O655] SLO 'api-success': notification target 'mail' (email) is not imported",
        "slo.yaml:58:11: warning: [O655] SLO 'api-success': target 'other-channel' names #somewhere-else; burn-rate "
        "alerts "
        "go to the team's alerts channel #web-alerts",
    ]
    assert len(slos[0]["alerting"]["tiers"]) == 1  # type: ignore[index, arg-type]


def test_an_existing_service_is_used_and_a_new_one_takes_team_and_environment_from_labels(definitions: Path) -> None:
    services = write(
        definitions.parent,
        "services.yaml",
        """\
        - apiVersion: openslo/v1
          kind: Service
          metadata: {name: api, displayName: The API}
          spec: {}
        - apiVersion: openslo/v1
          kind: Service
          metadata:
            name: search
            displayName: Search
            labels: {team: web, env: staging}
            annotations: {alertc.dev/users-per-hour: "250"}
          spec: {description: Finds things.}
        - apiVersion: openslo/v1alpha
          kind: Service
          metadata: {name: billing}
          spec: {}
        """,
    )
    result = run_import(definitions, [services])

    assert rendered(result) == [
        "services.yaml:1:3: warning: [O656] service 'api': the document's title 'The API' differs from the "
        "definition's "
        "'API' (definitions/service.yaml:4:5); the definition is kept",
        "services.yaml:15:20: warning: [O653] service 'billing': its traffic is unknown; users_per_hour: 0 is written",
    ]
    assert result.services == [
        {"name": "billing", "title": "billing", "team": "web", "environment": "production", "users_per_hour": 0},
        {
            "name": "search",
            "title": "Search",
            "description": "Finds things.",
            "team": "web",
            "environment": "staging",
            "users_per_hour": 250,
        },
    ]


def test_a_new_service_needs_a_team_when_the_definitions_have_several(definitions: Path) -> None:
    team = (definitions / "team.yaml").read_text(encoding="utf-8")
    second = team.split("schedules:")[0].replace("name: web", "name: ops").replace("teams:\n", "")
    (definitions / "team.yaml").write_text(team.replace("schedules:", second + "schedules:", 1), encoding="utf-8")
    assert len(load(definitions).teams) == 2
    path = write(definitions.parent, "svc.yaml", "apiVersion: openslo/v1\nkind: Service\nmetadata: {name: new}\n"
                 "spec: {}\n")  # fmt: skip

    assert rendered(run_import(definitions, [path])) == [
        "svc.yaml:3:18: [O611] service 'new': no team for the new service"
    ]
    assert run_import(definitions, [path], team="ops").services[0]["team"] == "ops"


def test_a_v1alpha_ratio_slo_maps_when_it_is_unambiguous(definitions: Path) -> None:
    path = write(
        definitions.parent,
        "alpha.yaml",
        """\
        apiVersion: openslo/v1alpha
        kind: SLO
        metadata: {name: api-alpha, displayName: API (v1alpha)}
        spec:
          service: api
          budgetingMethod: Occurrences
          timeWindows: [{unit: Day, count: 7, isRolling: true}]
          objectives:
            - target: 0.995
              ratioMetrics:
                good: {source: datadog, queryType: query, query: "sum:api.ok{*}.as_count()"}
                total: {source: datadog, queryType: query, query: "sum:api.all{*}.as_count()"}
        """,
    )
    result = run_import(definitions, [path])

    assert rendered(result) == []
    assert result.slos[0] | {"alerting": None} == {
        "name": "api-alpha",
        "title": "API (v1alpha)",
        "service": "api",
        "type": "metric",
        "good": "sum:api.ok{*}.as_count()",
        "total": "sum:api.all{*}.as_count()",
        "target": 99.5,
        "timeframe": "7d",
        "alerting": None,
    }


def test_an_slo_name_the_definitions_already_have_is_not_imported(definitions: Path) -> None:
    body = DATADOG_RATIO + ROLLING_30D + "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.999\n"
    head = SLO_HEAD.replace("name: api-success", "name: api-availability")
    path = write(definitions.parent, "slo.yaml", head + body)
    result = run_import(definitions, [path])
    found, slos = rendered(result), result.slos

    assert found == [
        "slo.yaml:4:9: [O610] SLO 'api-availability': an SLO named 'api-availability' is already defined "
        "(definitions/service.yaml:12:5)"
    ]
    assert slos == []


def test_objects_no_slo_uses_are_reported_and_an_unsupported_sli_says_why(definitions: Path) -> None:
    path = write(
        definitions.parent,
        "loose.yaml",
        """\
        - apiVersion: openslo/v1
          kind: SLI
          metadata: {name: dd}
          spec: {thresholdMetric: {metricSource: {type: Datadog, spec: {query: "avg:x{*}"}}}}
        - apiVersion: openslo/v1
          kind: SLI
          metadata: {name: prom}
          spec: {thresholdMetric: {metricSource: {type: Prometheus, spec: {query: up}}}}
        - apiVersion: openslo/v1
          kind: AlertPolicy
          metadata: {name: lonely}
          spec: {conditions: [{conditionRef: nowhere}], notificationTargets: [{targetRef: nobody}]}
        - apiVersion: openslo/v1
          kind: DataSource
          metadata: {name: prometheus}
          spec: {type: Prometheus, connectionDetails: {url: "http://prometheus"}}
        """,
    )

    assert rendered(run_import(definitions, [path])) == [
        "loose.yaml:1:3: warning: [O652] SLI 'dd' is not imported: no SLO uses it (alertc keeps an SLO's indicator "
        "inside "
        "the SLO)",
        "loose.yaml:8:49: [O605] SLI 'prom': metric source type 'Prometheus' is not supported",
        "loose.yaml:12:38: [O604] AlertPolicy 'lonely': conditionRef 'nowhere' names no AlertCondition",
        "loose.yaml:12:83: [O604] AlertPolicy 'lonely': targetRef 'nobody' names no AlertNotificationTarget",
        "loose.yaml:13:3: warning: [O652] DataSource 'prometheus' is not imported: no indicator of an SLO uses it",
    ]


def test_connection_details_are_reported_without_their_values(definitions: Path) -> None:
    body = (
        DATADOG_RATIO.replace("type: Datadog", "metricSourceRef: dd")
        + ROLLING_30D
        + """\
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
---
apiVersion: openslo/v1
kind: DataSource
metadata: {name: dd}
spec:
  type: Datadog
  connectionDetails: {apiKey: 0123456789abcdef-secret, appKey: fedcba9876543210-secret}
"""
    )
    path = write(definitions.parent, "slo.yaml", SLO_HEAD + body)
    result = run_import(definitions, [path])
    text = "\n".join(f.render() for f in result.findings)

    assert rendered(result) == ["slo.yaml:35:3: warning: [O651] DataSource 'dd': connectionDetails are not imported"]
    assert "secret" not in text
    assert result.slos[0]["good"] == "sum:api.ok{*}.as_count()"


def test_a_file_of_many_documents_is_composed_once_for_all_their_positions(
    definitions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Positions of document N need the N before it composed; the documents of a file share one composition
    (per document it was quadratic: 73 s of CPU for 1,000 SLOs in one file, 3.9 s after)."""
    context = ImportContext.from_definitions(load(definitions), set())
    body = DATADOG_RATIO + "  objectives:\n    - target: 0.99\n"  # no timeWindow: a warning at each spec
    texts = [SLO_HEAD.replace("api-success", f"slo-{i}") + body for i in range(200)]
    path = write(definitions.parent, "many.yaml", "---\n".join(texts))
    loaders = []
    real = source._Loader

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, text: str) -> None:
            loaders.append(text)
            super().__init__(text)

    monkeypatch.setattr(source, "_Loader", Counting)
    result = import_documents([path], context)

    windows = [f for f in rendered(result) if "no timeWindow" in f]
    assert len(windows) == 200
    assert windows[199].startswith(
        f"many.yaml:{199 * (len(texts[0].splitlines()) + 1) + 6}:3: warning: [O653] SLO 'slo-199'"
    )
    assert len(result.slos) == 200
    assert len(loaders) == 2  # the read, and one composition for every position
