"""Good/bad pairs of the OpenSLO import rules (O6xx, O65x), for ``tests/lint/test_rule_pairs.py``.

Each pair imports one OpenSLO file (``documents.yaml`` beside the definitions ``case``) into
``case/openslo``: the bad document yields exactly the listed findings of its rule, the good twin imports with
exit 0 and no finding of it. The good document is one clean SLO of the base set's service ``api``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.definitions.base_set import TEAM, write_set

Build = Callable[[Path], None]
# (rule, bad set, the lines carrying the rule, good set, the command that reports it)
OpenSloPair = tuple[str, Build, list[str], Build, tuple[str, ...]]

COMMAND = ("import", "-q", "--openslo", "documents.yaml", "-o", "case/openslo")

INDICATOR = """\
  indicator:
    metadata: {name: api-latency}
    spec:
      ratioMetric:
        good: {metricSource: {type: Datadog, spec: {query: "sum:api.fast{env:prod}.as_count()"}}}
        total: {metricSource: {type: Datadog, spec: {query: "sum:api.requests{env:prod}.as_count()"}}}
"""

GOOD = f"""\
apiVersion: openslo/v1
kind: SLO
metadata: {{name: api-latency}}
spec:
  service: api
{INDICATOR}\
  timeWindow: [{{duration: 30d, isRolling: true}}]
  budgetingMethod: Occurrences
  objectives: [{{target: 0.99}}]
"""

POLICY = """\
  alertPolicies:
    - kind: AlertPolicy
      metadata: {name: fast-burn}
      spec:
        conditions:
          - kind: AlertCondition
            metadata: {name: fast-burn}
            spec:
              severity: sev1
              condition: {kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m}
"""

WITH_POLICY = GOOD + POLICY

SERVICE_DOCUMENT = """\
---
apiVersion: openslo/v1
kind: Service
metadata: {name: api, displayName: API}
spec: {}
"""

LOOSE_SLI = """\
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: loose}
spec:
  thresholdMetric: {metricSource: {type: Datadog, spec: {query: "avg:api.latency{*}"}}}
"""

TWO_TEAMS = TEAM.replace(
    "schedules:",
    '  - name: mobile\n    title: Mobile\n    slack: {alerts: "#mobile-alerts", incidents: "#mobile-incidents"}\n'
    "    members:\n      - {email: c@example.com, name: C}\nschedules:",
)


def with_documents(text: str | None, definitions: dict[str, str | bytes | None] | None = None) -> Build:
    """The base definitions set (with ``definitions`` overrides) as ``case``, and ``text`` as documents.yaml beside
    it (None: no documents file)."""

    def build(directory: Path) -> None:
        write_set(directory, definitions)
        if text is not None:
            (directory.parent / "documents.yaml").write_text(text, encoding="utf-8")

    return build


def _pair(rule: str, bad: Build, expected: list[str], good: Build | None = None) -> OpenSloPair:
    return rule, bad, expected, good or with_documents(GOOD), COMMAND


def openslo_pairs() -> list[OpenSloPair]:
    new_service = GOOD.replace("service: api", "service: shop") + SERVICE_DOCUMENT.replace("name: api,", "name: shop,")
    return [
        _pair("O601", with_documents(None), ["documents.yaml: [O601] no such file or directory"]),
        _pair(
            "O602",
            with_documents(GOOD.split("spec:", maxsplit=1)[0]),
            ["documents.yaml:1:1: [O602] SLO 'api-latency': spec is missing"],
        ),
        _pair(
            "O603",
            with_documents(GOOD.replace("openslo/v1", "openslo/v2alpha")),
            ["documents.yaml:1:13: [O603] apiVersion 'openslo/v2alpha' is not supported"],
        ),
        _pair(
            "O604",
            with_documents(GOOD.replace(INDICATOR, "  indicatorRef: nowhere\n")),
            ["documents.yaml:6:17: [O604] SLO 'api-latency': indicatorRef 'nowhere' names no SLI among the documents"],
        ),
        _pair(
            "O605",
            with_documents(
                GOOD.replace("good: {metricSource: {type: Datadog", "good: {metricSource: {type: Prometheus")
            ),
            ["documents.yaml:10:37: [O605] SLO 'api-latency': metric source type 'Prometheus' is not supported"],
        ),
        _pair(
            "O606",
            with_documents(
                GOOD.replace("ratioMetric:\n", "ratioMetric:\n        raw: {metricSource: {type: Datadog}}\n")
            ),
            ["documents.yaml:10:14: [O606] SLO 'api-latency': precomputed ratios (ratioMetric.raw) are not supported"],
        ),
        _pair(
            "O607",
            with_documents(GOOD.replace("target: 0.99", "target: 1.5")),
            ["documents.yaml:14:25: [O607] SLO 'api-latency': target 150.0% must be above 0% and below 100%"],
        ),
        _pair(
            "O608",
            with_documents(GOOD.replace("duration: 30d", "duration: 2w")),
            ["documents.yaml:12:27: [O608] SLO 'api-latency': a rolling window of 2w is not supported"],
        ),
        _pair(
            "O609",
            with_documents(WITH_POLICY.replace("op: gt", "op: lt")),
            [
                "documents.yaml:24:47: [O609] SLO 'api-latency': op lt alerts while the budget burns slower than the "
                "threshold"
            ],
            with_documents(WITH_POLICY),
        ),
        _pair(
            "O610",
            with_documents(
                GOOD.replace("metadata: {name: api-latency}\nspec:", "metadata: {name: api-availability}\nspec:")
            ),
            [
                "documents.yaml:3:18: [O610] SLO 'api-availability': an SLO named 'api-availability' is already "
                "defined "
                "(case/slo.yaml:2:5)"
            ],
        ),
        _pair(
            "O611",
            with_documents(new_service, {"team.yaml": TWO_TEAMS}),
            ["documents.yaml:18:18: [O611] service 'shop': no team for the new service"],
            with_documents(
                new_service.replace("name: shop,", "name: shop, labels: {team: web},"), {"team.yaml": TWO_TEAMS}
            ),
        ),
        _pair(
            "O612",
            with_documents(
                GOOD.replace(
                    "{name: api-latency}\nspec:",
                    "{name: api-latency, annotations: {alertc.dev/on-invalid-tier: maybe}}\nspec:",
                )
            ),
            ["documents.yaml:3:73: [O612] SLO 'api-latency': alertc.dev/on-invalid-tier is error|drop|clamp"],
        ),
        _pair(
            "O651",
            with_documents(GOOD.replace("[{target: 0.99}]", "[{target: 0.99, displayName: Fast}]")),
            [
                "documents.yaml:14:31: warning: [O651] SLO 'api-latency': spec.objectives[0].displayName is not "
                "imported "
                "(alertc has no equivalent)"
            ],
        ),
        _pair(
            "O652",
            with_documents(GOOD + LOOSE_SLI),
            [
                "documents.yaml:16:1: warning: [O652] SLI 'loose' is not imported: no SLO uses it (alertc keeps an "
                "SLO's "
                "indicator inside the SLO)"
            ],
        ),
        _pair(
            "O653",
            with_documents(GOOD.replace("  timeWindow: [{duration: 30d, isRolling: true}]\n", "")),
            ["documents.yaml:5:3: warning: [O653] SLO 'api-latency': no timeWindow; the rolling 30d window is used"],
        ),
        _pair(
            "O654",
            with_documents(
                GOOD.replace("metadata: {name: api-latency}\nspec:", "metadata: {name: API.Latency}\nspec:")
            ),
            [
                "documents.yaml:3:18: warning: [O654] SLO 'API.Latency': renamed 'api-latency' (alertc names are "
                "lowercase "
                "letters, digits and '-')"
            ],
        ),
        _pair(
            "O655",
            with_documents(
                WITH_POLICY + "        notificationTargets:\n"
                "          - kind: AlertNotificationTarget\n"
                "            metadata: {name: mail}\n"
                "            spec: {target: email}\n"
            ),
            [
                "documents.yaml:26:11: warning: [O655] SLO 'api-latency': the tier pages through PagerDuty (severity "
                "'sev1' pages), though no target of the policy is PagerDuty",
                "documents.yaml:28:28: warning: [O655] SLO 'api-latency': notification target 'mail' (email) is not "
                "imported",
            ],
            with_documents(WITH_POLICY),
        ),
        _pair(
            "O656",
            with_documents(GOOD + SERVICE_DOCUMENT.replace("displayName: API", "displayName: The API")),
            [
                "documents.yaml:16:1: warning: [O656] service 'api': the document's title 'The API' differs from the "
                "definition's 'API' (case/service.yaml:2:5); the definition is kept"
            ],
            with_documents(GOOD + SERVICE_DOCUMENT),
        ),
    ]
