"""Checks that need the whole definition set: names, references, cycles.

Each check reports at the position of the offending value (the reference, or
the second of two duplicates) and suggests the nearest existing name, because
the usual cause is a typo or a rename applied in one file but not another.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel

from compiler.definitions import models as m
from compiler.definitions.findings import Finding, Location, finding
from compiler.definitions.models import KIND_SINGULAR
from compiler.definitions.source import display_path

if TYPE_CHECKING:  # the loader calls these checks: a runtime import back would be a cycle
    from compiler.definitions.loader import Definitions


class _Checker:
    def __init__(self, definitions: Definitions) -> None:
        self.d = definitions
        self.findings: list[Finding] = []

    def at(self, item: BaseModel, *path: str | int) -> Location:
        return self.d.origin(item).at(*path)

    def add(self, rule_id: str, location: Location | None, message: str, hint: str | None = None) -> None:
        self.findings.append(finding(rule_id, location, message, hint, where=display_path(self.d.root)))

    def unknown(
        self, item: BaseModel, path: tuple[str | int, ...], what: str, value: str, known: Iterable[str]
    ) -> None:
        known_list = sorted(set(known))
        close = difflib.get_close_matches(value, known_list, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif known_list:
            hint = f"defined {what}s: {', '.join(known_list[:12])}" + (" ..." if len(known_list) > 12 else "")
        else:
            hint = f"no {what} is defined; add one"
        self.add("R303", self.at(item, *path), f"unknown {what} '{value}'", hint)


def check_references(definitions: Definitions) -> list[Finding]:
    c = _Checker(definitions)
    _duplicates(c)
    if definitions.process is None:
        c.add("R309", None, "no 'process' is defined", "add a 'process:' section (severities, tiers, priorities)")
    else:
        _process(c, definitions.process)
    _teams_and_oncall(c)
    _services(c)
    _slos_and_monitors(c)
    _banners(c)
    _repeated_entries(c)
    return c.findings


# The field that names an item of each list section (dependencies are identified by their key).
_NAME_FIELD: dict[str, str] = {"dependencies": "key"}


def _duplicates(c: _Checker) -> None:
    for kind, singular in KIND_SINGULAR.items():
        seen: dict[str, BaseModel] = {}
        for item in c.d.items(kind):
            name = m.item_name(item)
            field = "key" if "key" in type(item).model_fields else _NAME_FIELD.get(kind, "name")
            if name in seen:
                c.add(
                    "R301",
                    c.at(item, field),
                    f"duplicate {singular} {field} '{name}' (first defined at {c.at(seen[name], field)})",
                    f"{singular} {field}s must be unique across all definitions files",
                )
            else:
                seen[name] = item


def _unique_within(
    c: _Checker, owner: BaseModel, field: str | tuple[str | int, ...], names: Iterable[str], what: str
) -> bool:
    """R302 at every repetition in one list; False when there was one."""
    path = (field,) if isinstance(field, str) else field
    seen: set[str] = set()
    unique = True
    for index, name in enumerate(names):
        if name in seen:
            unique = False
            c.add("R302", c.at(owner, *path, index), f"duplicate {what} '{name}'", f"remove the repeated '{name}'")
        seen.add(name)
    return unique


def _repeated_entries(c: _Checker) -> None:
    """Lists that are sets: a repeated entry is a mistake (and used to crash compiling)."""
    for schedule in c.d.schedules:
        for li, layer in enumerate(schedule.layers):
            _unique_within(c, schedule, ("layers", li, "members"), layer.members, "layer member")
    for service in c.d.services:
        _unique_within(c, service, "depends_on", service.depends_on, "service dependency")
        _unique_within(c, service, "external_dependencies", service.external_dependencies, "dependency key")
    for slo in c.d.slos:
        _unique_within(c, slo, "tags", slo.tags, "tag")
    for monitor in c.d.monitors:
        _unique_within(c, monitor, ("notify", "channels"), monitor.notify.channels, "channel")
        _unique_within(c, monitor, ("notify", "handles"), monitor.notify.handles, "handle")
        _unique_within(c, monitor, "tags", monitor.tags, "tag")
    for method in c.d.auth_methods:
        _unique_within(c, method, "depends_on", method.depends_on, "dependency key")
    for window in c.d.maintenance_windows:
        _unique_within(c, window, "dependencies", window.dependencies, "dependency key")


def _process(c: _Checker, process: m.Process) -> None:
    _unique_within(c, process, "severities", [s.name for s in process.severities], "severity name")
    _unique_within(c, process, "tiers", [t.name for t in process.tiers], "tier name")
    _unique_within(c, process, "priorities", [p.name for p in process.priorities], "priority name")
    environments: dict[str, str] = {}
    for ti, tier in enumerate(process.tiers):
        if not _unique_within(c, process, ("tiers", ti, "environments"), tier.environments, "environment"):
            continue
        for ei, env in enumerate(tier.environments):
            if env in environments:
                c.add(
                    "R304",
                    c.at(process, "tiers", ti, "environments", ei),
                    f"environment '{env}' is in tiers '{environments[env]}' and '{tier.name}'",
                    "an environment belongs to exactly one tier",
                )
            environments[env] = tier.name
    tiers = {t.name for t in process.tiers}
    priorities = {p.name for p in process.priorities}
    matrix = process.priority_matrix
    for tier_name, row in matrix.rows.items():
        if tier_name not in tiers:
            c.unknown(process, ("priority_matrix", "rows", tier_name), "tier", tier_name, tiers)
        for index, priority in enumerate(row):
            if priority not in priorities:
                c.unknown(process, ("priority_matrix", "rows", tier_name, index), "priority", priority, priorities)
    for tier in process.tiers:
        if tier.name not in matrix.rows:
            c.add(
                "R305",
                c.at(process, "priority_matrix", "rows"),
                f"priority matrix has no row for tier '{tier.name}'",
                "every tier needs a row of priorities",
            )


def _teams_and_oncall(c: _Checker) -> None:
    teams = {t.name for t in c.d.teams}
    members = {member.email for t in c.d.teams for member in t.members}
    for team in c.d.teams:
        _unique_within(c, team, "members", [mem.email for mem in team.members], "member")
    _existing_team_is_not_one_alertc_makes(c)
    schedules = {s.name for s in c.d.schedules}
    for schedule in c.d.schedules:
        if schedule.team not in teams:
            c.unknown(schedule, ("team",), "team", schedule.team, teams)
        for li, layer in enumerate(schedule.layers):
            for mi, email in enumerate(layer.members):
                if email not in members:
                    c.add(
                        "R306",
                        c.at(schedule, "layers", li, "members", mi),
                        f"'{email}' is not a member of any team",
                        "on-call people must be listed under a team's members",
                    )
    for policy in c.d.escalation_policies:
        if policy.team not in teams:
            c.unknown(policy, ("team",), "team", policy.team, teams)
        for ri, rule in enumerate(policy.rules):
            for ti, target in enumerate(rule.targets):
                if target.schedule is not None and target.schedule not in schedules:
                    c.unknown(policy, ("rules", ri, "targets", ti, "schedule"), "schedule", target.schedule, schedules)
                if target.user is not None and target.user not in members:
                    c.add(
                        "R306",
                        c.at(policy, "rules", ri, "targets", ti, "user"),
                        f"'{target.user}' is not a member of any team",
                        "escalation targets must be listed under a team's members",
                    )


def _existing_team_is_not_one_alertc_makes(c: _Checker) -> None:
    """``pagerduty_team: {name: X}`` must not name the PagerDuty team alertc creates for another team."""
    created = {t.name.casefold(): t.name for t in c.d.teams if t.pagerduty_team is None}
    for team in c.d.teams:
        existing = team.pagerduty_team
        if existing is None or existing.name is None:
            continue
        other = created.get(existing.name.strip().casefold())
        if other is not None:
            c.add(
                "R311",
                c.at(team, "pagerduty_team", "name"),
                f"pagerduty_team '{existing.name}' is the PagerDuty team alertc creates for team '{other}'",
                f"to share one PagerDuty team, give team '{other}' the same pagerduty_team, or name another team",
            )


def _services(c: _Checker) -> None:
    teams = {t.name for t in c.d.teams}
    policies = {p.name for p in c.d.escalation_policies}
    services = {s.name for s in c.d.services}
    keys = {d.key for d in c.d.dependencies}
    environments = {env for t in c.d.process.tiers for env in t.environments} if c.d.process else set()
    for service in c.d.services:
        if service.team not in teams:
            c.unknown(service, ("team",), "team", service.team, teams)
        if c.d.process is not None and service.environment not in environments:
            c.unknown(service, ("environment",), "environment", service.environment, environments)
        for index, dep in enumerate(service.depends_on):
            if dep == service.name:
                c.add("R307", c.at(service, "depends_on", index), f"service '{service.name}' depends on itself")
            elif dep not in services:
                c.unknown(service, ("depends_on", index), "service", dep, services)
        for index, key in enumerate(service.external_dependencies):
            if key not in keys:
                c.unknown(service, ("external_dependencies", index), "dependency key", key, keys)
        if service.pagerduty is not None and service.pagerduty.escalation_policy not in policies:
            c.unknown(
                service,
                ("pagerduty", "escalation_policy"),
                "escalation policy",
                service.pagerduty.escalation_policy,
                policies,
            )
        _service_team_follows_policy(c, service)
    _service_cycles(c)


def _service_team_follows_policy(c: _Checker, service: m.Service) -> None:
    """PagerDuty puts a service in its escalation policy's team (a service's ``teams`` is read-only)."""
    if service.pagerduty is None or service.team not in {t.name for t in c.d.teams}:
        return
    policy = next((p for p in c.d.escalation_policies if p.name == service.pagerduty.escalation_policy), None)
    if policy is None or policy.team == service.team:
        return
    c.add(
        "R312",
        c.at(service, "pagerduty", "escalation_policy"),
        f"service '{service.name}' of team '{service.team}' joins team '{policy.team}' in PagerDuty: "
        f"a service belongs to the team of its escalation policy '{policy.name}'",
        "route the service to an escalation policy of its own team, or move it to that team",
    )


def _service_cycles(c: _Checker) -> None:
    """R308 once per cycle, found by an iterative depth-first walk (a chain of thousands of services is fine)."""
    by_name = {s.name: s for s in c.d.services}
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
                    c.add(
                        "R308",
                        c.at(service, "depends_on", index),
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


def _slos_and_monitors(c: _Checker) -> None:
    services = {s.name for s in c.d.services}
    severities = {s.name for s in c.d.process.severities} if c.d.process else set()
    keys = {d.key for d in c.d.dependencies}
    for slo in c.d.slos:
        if slo.service not in services:
            c.unknown(slo, ("service",), "service", slo.service, services)
        for ti, tier in enumerate(slo.alerting.tiers or []):
            if c.d.process is not None and tier.severity not in severities:
                c.unknown(slo, ("alerting", "tiers", ti, "severity"), "severity", tier.severity, severities)
    for monitor in c.d.monitors:
        if monitor.service not in services:
            c.unknown(monitor, ("service",), "service", monitor.service, services)
        if monitor.severity is not None and c.d.process is not None and monitor.severity not in severities:
            c.unknown(monitor, ("severity",), "severity", monitor.severity, severities)
        if monitor.banner_key is not None and monitor.banner_key not in keys:
            c.unknown(monitor, ("banner_key",), "dependency key", monitor.banner_key, keys)


def _banners(c: _Checker) -> None:
    services = {s.name for s in c.d.services}
    keys = {d.key for d in c.d.dependencies}
    for dep in c.d.dependencies:
        if dep.service is not None and dep.service not in services:
            c.unknown(dep, ("service",), "service", dep.service, services)
    for method in c.d.auth_methods:
        if method.service not in services:
            c.unknown(method, ("service",), "service", method.service, services)
        for index, key in enumerate(method.depends_on):
            if key not in keys:
                c.unknown(method, ("depends_on", index), "dependency key", key, keys)
    for feature in c.d.features:
        for index, key in enumerate(feature.depends_on):
            if key not in keys:
                c.unknown(feature, ("depends_on", index), "dependency key", key, keys)
    for window in c.d.maintenance_windows:
        for index, key in enumerate(window.dependencies):
            if key not in keys:
                c.unknown(window, ("dependencies", index), "dependency key", key, keys)
    if (c.d.auth_methods or c.d.dependencies or c.d.features) and c.d.banners is None:
        c.add(
            "R310",
            None,
            "dependencies and auth methods are defined but 'banners' is not",
            "add a 'banners:' section with the multiple_services and maintenance texts and the lead time",
        )
