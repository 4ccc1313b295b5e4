"""Every registered kind passes the shared contract (tests/kinds/contract.py) against the sandbox.

Each class is the kind's golden case: which compiled object of the example
definitions it creates, and the one field it edits. A kind registered without
a class here fails ``test_every_registered_kind_has_a_contract_test``.
"""

from __future__ import annotations

import pytest

from compiler.kinds import KINDS
from tests.e2e.conftest import EXAMPLES
from tests.kinds.contract import KindContract

pytestmark = pytest.mark.slow


class TestTeam(KindContract):
    address = "pagerduty:team"
    key = "va-mobile"  # the VA identity example joins its existing team; the mobile example's team is alertc's
    definitions = EXAMPLES.parent / "examples" / "va-mobile"
    edit = ("description", "Edited by the contract test.")


class TestSchedule(KindContract):
    address = "pagerduty:schedule"
    key = "identity-primary"
    edit = ("name", "OCTO Identity - Primary (renamed)")


class TestEscalationPolicy(KindContract):
    address = "pagerduty:escalation_policy"
    key = "identity-escalation"
    edit = ("num_loops", 1)


class TestService(KindContract):
    address = "pagerduty:service"
    key = "sign-in-service"
    edit = ("acknowledgement_timeout", 3600)


class TestIntegration(KindContract):
    address = "pagerduty:integration"
    key = "sign-in-service"
    edit = ("name", "Datadog (renamed)")


class TestMaintenanceWindow(KindContract):
    address = "pagerduty:maintenance_window"
    key = "logingov-2026-12-12"
    edit = ("end_time", "2026-12-12T06:00:00-05:00")


class TestPagerDutyServiceObject(KindContract):
    address = "datadog:pagerduty_service_object"
    key = "sign-in-service"
    edit = ("service_key", "0123456789abcdef0123456789abcdef")
    edit_unobservable = "service_key is write-only: Datadog never returns it (reference §1.7)"


class TestServiceDefinition(KindContract):
    address = "datadog:service_definition"
    key = "sign-in-service"
    edit = ("description", "Edited by the contract test.")


class TestMonitor(KindContract):
    address = "datadog:monitor"
    key = "auth-too-early"
    edit = ("priority", 5)


class TestSlo(KindContract):
    address = "datadog:slo"
    key = "sis-availability"
    edit = ("name", "Sign-in Service availability (renamed)")


class TestSloAlert(KindContract):
    address = "datadog:slo_alert"
    key = "sis-availability.burn-1d"
    edit = ("name", "[Sign-in Service] burn rate (renamed)")


class TestDowntime(KindContract):
    address = "datadog:downtime"
    key = "logingov-2026-12-12.logingov"
    edit = ("scope", "env:production")


class TestIncidentNotificationTemplate(KindContract):
    address = "datadog:incident_notification_template"
    key = "identity.declared"
    edit = ("subject", "Edited by the contract test: {{incident.title}}")


class TestIncidentNotificationRule(KindContract):
    address = "datadog:incident_notification_rule"
    key = "identity.open"
    edit = ("trigger", "incident_created_trigger")


class TestIncidentPostmortemTemplate(KindContract):
    address = "datadog:incident_postmortem_template"
    key = "octo-identity-incident-response"
    edit = ("content", "# Edited by the contract test")


class TestDashboard(KindContract):
    """The overview the example compiles for SSOe (its note links PagerDuty objects, its widgets an SLO's id);
    read back whole (the list has no widgets), so the round trip compares widgets too."""

    address = "datadog:dashboard"
    key = "ssoe"
    edit = ("title", "SSOe: service overview (renamed)")


def test_every_registered_kind_has_a_contract_test() -> None:
    covered = {cls.address for cls in KindContract.__subclasses__()}
    assert covered == set(KINDS), f"kinds without a contract test: {sorted(set(KINDS) - covered)}"
