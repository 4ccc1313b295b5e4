"""Scopes enforced by the platform (issue 27): with restrictions on, another team's key gets 403.

Two service accounts on one account, each holding its scope's role, as a
platform team would give each ownership scope. Team A restricts editing of its
monitor and SLO to its role (v2 restriction policies, and a monitor's
``restricted_roles``); team B's credentials then get Datadog's 403 on every
edit and delete of them, and on changing their policies, while team A's edits
still go through. All through the official client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ApiException, ForbiddenException
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi
from datadog_api_client.v2.api.restriction_policies_api import RestrictionPoliciesApi
from datadog_api_client.v2.model.restriction_policy import RestrictionPolicy
from datadog_api_client.v2.model.restriction_policy_attributes import RestrictionPolicyAttributes
from datadog_api_client.v2.model.restriction_policy_binding import RestrictionPolicyBinding
from datadog_api_client.v2.model.restriction_policy_type import RestrictionPolicyType
from datadog_api_client.v2.model.restriction_policy_update_request import RestrictionPolicyUpdateRequest

from compiler.sandbox import SandboxHandle
from tests.sandbox.conftest import datadog_client

MONITOR: dict[str, Any] = {
    "name": "[team-a] API errors",
    "type": "query alert",
    "query": "avg(last_5m):avg:api.errors{env:prod} > 10",
    "message": "API errors",
    "tags": ["alertc-owner:team-a"],
    "options": {"thresholds": {"critical": 10.0}},
}
SLO: dict[str, Any] = {
    "name": "[team-a] API availability",
    "type": "metric",
    "query": {"numerator": "sum:api.ok{*}.as_count()", "denominator": "sum:api.all{*}.as_count()"},
    "thresholds": [{"timeframe": "30d", "target": 99.9}],
    "tags": ["alertc-owner:team-a"],
}


def _client(handle: SandboxHandle, account: dict[str, Any]) -> ApiClient:
    cfg = Configuration(
        host=handle.datadog_url,
        api_key={"apiKeyAuth": account["api_key"], "appKeyAuth": account["app_key"]},
        ssl_ca_cert=str(handle.ca_file),
    )
    return ApiClient(cfg)


def _policy(resource_id: str, *principals: str) -> RestrictionPolicyUpdateRequest:
    return RestrictionPolicyUpdateRequest(
        data=RestrictionPolicy(
            id=resource_id,
            type=RestrictionPolicyType.RESTRICTION_POLICY,
            attributes=RestrictionPolicyAttributes(
                bindings=[RestrictionPolicyBinding(relation="editor", principals=list(principals))]
            ),
        )
    )


@pytest.fixture()
def teams(sandbox: SandboxHandle) -> Iterator[tuple[ApiClient, ApiClient, dict[str, Any], dict[str, Any]]]:
    a = sandbox.add_principal("alertc-team-a", ["alertc-team-a"])
    b = sandbox.add_principal("alertc-team-b", ["alertc-team-b"])
    with _client(sandbox, a) as client_a, _client(sandbox, b) as client_b:
        yield client_a, client_b, a, b


def _restricted(client_a: ApiClient, role: str) -> tuple[int, str]:
    """Team A's monitor and SLO, each restricted to team A's role by a restriction policy."""
    monitor = MonitorsApi(client_a).create_monitor(body=MONITOR).to_dict()  # type: ignore[arg-type]
    slo = ServiceLevelObjectivesApi(client_a).create_slo(body=SLO).to_dict()["data"][0]  # type: ignore[arg-type]
    policies = RestrictionPoliciesApi(client_a)
    for resource_id in (f"monitor:{monitor['id']}", f"slo:{slo['id']}"):
        policies.update_restriction_policy(resource_id, _policy(resource_id, f"role:{role}"))
    return int(monitor["id"]), str(slo["id"])


def test_second_scope_gets_403_editing_the_first_scopes_monitor_and_slo(
    teams: tuple[ApiClient, ApiClient, dict[str, Any], dict[str, Any]],
) -> None:
    client_a, client_b, a, _b = teams
    monitor_id, slo_id = _restricted(client_a, a["roles"][0])
    monitors_b, slos_b = MonitorsApi(client_b), ServiceLevelObjectivesApi(client_b)

    attempts = [
        lambda: monitors_b.update_monitor(monitor_id, body={"name": "taken over"}),  # type: ignore[arg-type]
        lambda: monitors_b.delete_monitor(monitor_id),
        lambda: slos_b.update_slo(slo_id, body={**SLO, "name": "taken over"}),  # type: ignore[arg-type]
        lambda: slos_b.delete_slo(slo_id),
        lambda: RestrictionPoliciesApi(client_b).delete_restriction_policy(f"monitor:{monitor_id}"),
    ]
    for attempt in attempts:
        with pytest.raises(ForbiddenException) as refused:
            attempt()
        assert refused.value.status == 403
        assert "Forbidden" in str(refused.value.body)

    # unchanged, and still team A's to edit; team B can still read
    assert MonitorsApi(client_b).get_monitor(monitor_id).name == MONITOR["name"]
    assert MonitorsApi(client_a).update_monitor(monitor_id, body={"name": "[team-a] API 5xx"}).name == (  # type: ignore[arg-type]
        "[team-a] API 5xx"
    )
    assert ServiceLevelObjectivesApi(client_a).get_slo(slo_id).data.name == SLO["name"]


def test_restricted_roles_on_a_monitor_refuse_other_roles(
    teams: tuple[ApiClient, ApiClient, dict[str, Any], dict[str, Any]],
) -> None:
    client_a, client_b, a, _b = teams
    body = {**MONITOR, "restricted_roles": [a["roles"][0]]}
    monitor = MonitorsApi(client_a).create_monitor(body=body).to_dict()  # type: ignore[arg-type]
    with pytest.raises(ForbiddenException):
        MonitorsApi(client_b).delete_monitor(monitor["id"])
    MonitorsApi(client_a).delete_monitor(monitor["id"])


def test_without_a_policy_any_key_of_the_account_may_edit(
    teams: tuple[ApiClient, ApiClient, dict[str, Any], dict[str, Any]],
) -> None:
    """Restrictions are opt-in: an unrestricted object answers an empty policy and anyone may change it."""
    client_a, client_b, _a, _b = teams
    monitor = MonitorsApi(client_a).create_monitor(body=MONITOR).to_dict()  # type: ignore[arg-type]
    policy = RestrictionPoliciesApi(client_b).get_restriction_policy(f"monitor:{monitor['id']}").to_dict()
    assert policy["data"]["attributes"]["bindings"] == []
    MonitorsApi(client_b).delete_monitor(monitor["id"])


def test_a_policy_that_would_lock_the_admin_out_needs_allow_self_lockout(sandbox: SandboxHandle) -> None:
    with datadog_client(sandbox) as admin:
        monitor = MonitorsApi(admin).create_monitor(body=MONITOR).to_dict()  # type: ignore[arg-type]
        resource_id = f"monitor:{monitor['id']}"
        policies = RestrictionPoliciesApi(admin)
        with pytest.raises(ApiException) as refused:
            policies.update_restriction_policy(resource_id, _policy(resource_id, "role:someone-else"))
        assert refused.value.status == 400
        assert "allow_self_lockout" in str(refused.value.body)
        policies.update_restriction_policy(
            resource_id, _policy(resource_id, "role:someone-else"), allow_self_lockout=True
        )
        with pytest.raises(ForbiddenException):
            MonitorsApi(admin).delete_monitor(monitor["id"])
        policies.delete_restriction_policy(resource_id)  # an admin may always change the policy
        MonitorsApi(admin).delete_monitor(monitor["id"])


@pytest.mark.parametrize(
    ("resource_id", "relation", "principal", "message"),
    [
        ("widget:1", "editor", "role:x", "Invalid resource_id 'widget:1'"),
        ("monitor:1", "runner", "role:x", "Invalid relation 'runner' for resource type 'monitor'"),
        ("slo:abc", "editor", "group:x", "Invalid principal 'group:x'"),
    ],
)
def test_invalid_policies_are_400(
    sandbox: SandboxHandle, resource_id: str, relation: str, principal: str, message: str
) -> None:
    with datadog_client(sandbox) as admin:
        body = _policy(resource_id, principal)
        body.data.attributes.bindings[0].relation = relation
        with pytest.raises(ApiException) as refused:
            RestrictionPoliciesApi(admin).update_restriction_policy(resource_id, body)
    assert refused.value.status == 400
    assert message in str(refused.value.body)
