"""Hand-made plans and drift reports for the rendering tests: long strings, nested objects, multi-line text."""

from __future__ import annotations

from compiler.drift import DriftItem, DriftReport
from compiler.plan import Change, Conflict, FieldChange, Plan

ABSENT = "(absent)"
TARGET = {"name": "production", "datadog": "https://api.datadoghq.com", "pagerduty": "https://api.pagerduty.com"}
LONG_QUERY = (
    "avg(last_15m):(sum:vets_api.statsd.api_auth_login_success{context IN (mhv,idme,dslogon,logingov),env:eks-prod}"
    ".as_rate() / sum:vets_api.statsd.api_auth_new{context IN (mhv,idme,dslogon,logingov),env:eks-prod}.as_rate())"
    " * 100 < {threshold}"
)
MESSAGE = "SSOe logins are failing.\nRunbook: https://runbooks.example.com/{page}\n@pagerduty-ssoe"


def query(threshold: int) -> str:
    return LONG_QUERY.replace("{threshold}", str(threshold))


def message(page: str) -> str:
    return MESSAGE.replace("{page}", page)


def review_plan() -> Plan:
    """One of each: a delete, an update of long, nested, multi-line and list fields, a create with a nested body."""
    return Plan(
        created_at="2026-11-22T12:00:00+00:00",
        definitions_digest="0123456789abcdef",
        target=dict(TARGET),
        changes=[
            Change("delete", "datadog:monitor/old-probe", "datadog", "monitor", "old-probe", "1002", "Old probe"),
            Change(
                "update",
                "datadog:monitor/ssoe-success-rate",
                "datadog",
                "monitor",
                "ssoe-success-rate",
                live_id="1001",
                name="[SSOe] SSOe Success Rate per CSP",
                fields=[
                    FieldChange("message", message("ssoe"), message("ssoe-v2")),
                    FieldChange("options.scheduling_options", ABSENT, {"evaluation_window": {"day_starts": "04:00"}}),
                    FieldChange("options.thresholds.critical", 50, 45),
                    FieldChange("options.timeout_h", 2, ABSENT),
                    FieldChange("query", query(50), query(45)),
                    FieldChange("tags", ["service:ssoe", "team:identity"], ["service:ssoe", "team:identity-platform"]),
                ],
            ),
            Change(
                "create",
                "pagerduty:service/sis",
                "pagerduty",
                "service",
                "sis",
                name="SIS",
                desired={
                    "alert_creation": "create_alerts_and_incidents",
                    "escalation_policy": {
                        "id": "${pagerduty:escalation_policy/identity}",
                        "type": "escalation_policy_reference",
                    },
                    "name": "SIS",
                },
            ),
        ],
        conflicts=[Conflict("datadog:monitor/mhv-errors", "77", "[MHV] Errors")],
    )


def review_drift() -> DriftReport:
    return DriftReport(
        created_at="2026-11-22T12:00:00+00:00",
        target=dict(TARGET),
        items=[
            DriftItem(
                "datadog:monitor/ssoe-success-rate",
                "changed",
                "changed outside alertc",
                "1001",
                [FieldChange("options.thresholds.critical", 40, 50), FieldChange("query", query(40), query(50))],
            ),
            DriftItem("datadog:monitor/auth-too-late", "missing", "deleted outside alertc, or not yet applied"),
        ],
        unmanaged=[{"provider": "datadog", "kind": "monitor", "id": "9", "name": "hand-made"}],
    )
