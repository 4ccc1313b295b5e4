"""PagerDuty service options from the definitions: the e-mail route and alert grouping."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from compiler.compile import CompileResult
from compiler.compile.pagerduty import alert_grouping_parameters, compile_service
from compiler.definitions import Definitions
from compiler.definitions import models as m


def test_the_after_hours_email_route_is_an_email_integration_on_the_service(compiled: CompileResult) -> None:
    """seeds/001: "If you need assistance with an urgent request during weekends, holidays, or outside of regular
    business hours, email: component--identity-authentication-email.sy4b6pv6@...pagerduty.com" """
    email = compiled.resources.get("pagerduty:integration/sign-in-service.email")
    assert email is not None
    assert email.body == {
        "type": "generic_email_inbound_integration",
        "name": "Email",
        "service": {"id": "${pagerduty:service/sign-in-service}", "type": "service_reference"},
        "integration_email": "component--identity-authentication-email.sy4b6pv6@ecc.pagerduty.com",
    }
    assert email.depends_on == ("pagerduty:service/sign-in-service",)
    assert "pagerduty:integration/ssoe.email" not in compiled.resources


def test_alert_grouping_is_an_option(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    service = next(s for s in example_definitions.services if s.name == "ssoe")
    assert service.pagerduty is not None
    plain = compile_service(process, service, service.pagerduty, [])
    assert "alert_grouping_parameters" not in plain[0].body
    grouped = service.pagerduty.model_copy(
        update={"alert_grouping": m.AlertGrouping.model_validate({"type": "time", "timeout": "15m"})}
    )
    body = compile_service(process, service, grouped, [])[0].body
    assert body["alert_grouping_parameters"] == {"type": "time", "config": {"timeout": 15}}
    assert alert_grouping_parameters(m.AlertGrouping(type="intelligent")) == {"type": "intelligent", "config": {}}


@pytest.mark.parametrize("value", [{"type": "time"}, {"type": "intelligent", "timeout": "5m"}])
def test_a_timeout_goes_with_time_grouping_only(value: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="timeout exactly when type is 'time'"):
        m.AlertGrouping.model_validate(value)
