"""The services section: what the team runs, its traffic, and how it pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from compiler.checks.references import DEPENDENCY_CYCLE, SELF_DEPENDENCY, SERVICE_JOINS_ANOTHER_TEAM
from compiler.definitions.models.oncall import ESCALATION_POLICIES, EscalationPolicy
from compiler.definitions.models.process import PROCESS, environments, severity_names
from compiler.definitions.models.teams import TEAMS
from compiler.definitions.section import Many, Model, References
from compiler.definitions.types import (
    BannerKey,
    CalendarDuration,
    Email,
    Name,
    Url,
    fail,
)


class AlertGrouping(Model):
    """PagerDuty alert grouping on a service: related alerts become one incident."""

    type: Literal["time", "intelligent"] = Field(
        description="'time': alerts within `timeout` join the open incident; 'intelligent': PagerDuty's model."
    )
    timeout: CalendarDuration | None = Field(default=None, description="For 'time': the grouping window.")

    @model_validator(mode="after")
    def _timeout(self) -> AlertGrouping:
        if (self.type == "time") != (self.timeout is not None):
            raise fail("alert_grouping needs a timeout exactly when type is 'time'", "e.g. {type: time, timeout: 15m}")
        return self


class PagerDutyRouting(Model):
    service: str | None = Field(default=None, description="PagerDuty service name; defaults to the service title.")
    escalation_policy: Name
    email_integration: Email | None = Field(
        default=None,
        description="Address of an email integration on the service (e.g. the after-hours route people write to); "
        "PagerDuty requires it to end in the account's PagerDuty domain.",
    )
    alert_grouping: AlertGrouping | None = None


class Service(Model):
    name: Name
    title: str
    team: Name
    environment: Name = Field(description="Maps to a tier through process.tiers.")
    description: str = ""
    runbook: Url | None = None
    dashboard: Url | None = None
    depends_on: list[Name] = Field(default_factory=list, description="Services this one needs.")
    external_dependencies: list[BannerKey] = Field(
        default_factory=list, description="Dependency (banner) keys of external systems this service needs."
    )
    users_per_hour: Annotated[int, Field(ge=0)] = Field(description="Typical traffic: users per hour.")
    pagerduty: PagerDutyRouting | None = None
    guidance: str = Field(default="", description="What responders must know for any alert of this service.")
    impact: Name | None = Field(
        default=None,
        description="The severity (on a qualitative ladder: the impact category) an outage of this service means. "
        "Its SLOs' default burn-rate tiers are rated at it, burn speed choosing only page (1h and 6h tiers) or ticket "
        "(24h); without it, a qualitative ladder rates them at its least severe rung.",
    )
    dashboards: StrictBool = Field(
        default=True,
        description="alertc keeps an overview dashboard of the service in Datadog (its SLOs with error budget and "
        "burn rate, its monitors' states, the banners it drives, runbook and on-call); false: none.",
    )


def _references(refs: References) -> None:
    process = refs.value(PROCESS)
    teams = {t.name for t in refs.items(TEAMS)}
    policies: dict[str, EscalationPolicy] = {}
    for policy in refs.items(ESCALATION_POLICIES):
        policies.setdefault(policy.name, policy)
    services = refs.items(SERVICES)
    names = {s.name for s in services}
    keys = refs.names("dependencies")
    known_environments = environments(process)
    for service in services:
        refs.check_known(service, ("team",), "team", service.team, teams)
        if process is not None:
            refs.check_known(service, ("environment",), "environment", service.environment, known_environments)
            if service.impact is not None:
                refs.check_known(service, ("impact",), "severity", service.impact, severity_names(process))
        refs.unique_within(service, "depends_on", service.depends_on, "service dependency")
        for index, dep in enumerate(service.depends_on):
            if dep == service.name:
                refs.add(
                    SELF_DEPENDENCY,
                    refs.at(service, "depends_on", index),
                    f"service '{service.name}' depends on itself",
                )
            else:
                refs.check_known(service, ("depends_on", index), "service", dep, names)
        refs.unique_within(service, "external_dependencies", service.external_dependencies, "dependency key")
        for index, key in enumerate(service.external_dependencies):
            refs.check_known(service, ("external_dependencies", index), "dependency key", key, keys)
        if service.pagerduty is not None:
            where = ("pagerduty", "escalation_policy")
            refs.check_known(service, where, "escalation policy", service.pagerduty.escalation_policy, set(policies))
            if service.team in teams:
                _team_follows_policy(refs, service, policies.get(service.pagerduty.escalation_policy))
    _cycles(refs, services)


def _team_follows_policy(refs: References, service: Service, policy: EscalationPolicy | None) -> None:
    """PagerDuty puts a service in its escalation policy's team (a service's ``teams`` is read-only)."""
    if policy is None or policy.team == service.team:
        return
    refs.add(
        SERVICE_JOINS_ANOTHER_TEAM,
        refs.at(service, "pagerduty", "escalation_policy"),
        f"service '{service.name}' of team '{service.team}' joins team '{policy.team}' in PagerDuty: "
        f"a service belongs to the team of its escalation policy '{policy.name}'",
        "route the service to an escalation policy of its own team, or move it to that team",
    )


def _cycles(refs: References, services: list[Service]) -> None:
    """One finding per cycle, found by an iterative depth-first walk (a chain of thousands of services is fine)."""
    by_name = {s.name: s for s in services}
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    for root in sorted(by_name):
        if root in state:
            continue
        state[root] = 1
        stack: list[str] = [root]
        pending: list[Iterator[str]] = [iter(by_name[root].depends_on)]
        while pending:
            dep = next(pending[-1], None)
            if dep is None:
                state[stack.pop()] = 2
                pending.pop()
                continue
            if dep not in by_name or dep == stack[-1]:
                continue
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    service = by_name[cycle[0]]
                    index = service.depends_on.index(cycle[1])
                    refs.add(
                        DEPENDENCY_CYCLE,
                        refs.at(service, "depends_on", index),
                        "service dependency cycle: " + _path_text(cycle),
                        "dependencies must form a tree; remove one of these edges",
                    )
            elif dep not in state:
                state[dep] = 1
                stack.append(dep)
                pending.append(iter(by_name[dep].depends_on))


def _path_text(cycle: list[str]) -> str:
    """``a -> b -> a``; a long cycle shows its ends and how many services it goes through."""
    if len(cycle) <= 12:
        return " -> ".join(cycle)
    return " -> ".join(cycle[:5]) + f" -> ... ({len(cycle) - 10} more) -> " + " -> ".join(cycle[-5:])


SERVICES: Many[Service] = Many(Service, "service", check=_references)
