"""Process lint, incidents: declaring one, who holds its roles, what Datadog posts while it is open (P1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.incidents import unexpressible
from compiler.compile.routing import declaration_for, rate_monitor


@set_rule("P113", "error")
def declaration_renotified_early(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A P1-capable alert does not follow the incident_after rule

    When the process escalates long alerts (`incident_after`: a production alert active that long is the top
    priority and needs a declared incident), a production paging monitor must say so once, with its first
    re-notification at or after that duration, not before and not never. Overriding `renotify_interval` in the
    monitor's raw `options` can break that.

    Fix: remove renotify_interval/renotify_statuses from the monitor's options.
    """
    process = ctx.process
    for monitor in ctx.definitions.monitors:
        if not {"renotify_interval", "renotify_statuses", "escalation_message"} & set(monitor.options):
            continue  # compiled by alertc: the re-notification carries the declaration (tests prove it)
        service = ctx.services[monitor.service]
        declaration = declaration_for(process, rate_monitor(process, monitor, service))
        if declaration is None or declaration.after is None or service.pagerduty is None:
            continue
        renotify = ctx.simulated(monitor).get("renotify_alert")
        if renotify is not None and (renotify.transition.renotify_after or 0) >= declaration.after.minutes:
            continue
        when = (
            "never (no re-notification while alerting)"
            if renotify is None
            else f"at {renotify.transition.renotify_after}m, before the {declaration.after} rule"
        )
        yield ctx.finding(
            rule,
            monitor,
            ("options",),
            f"monitor '{monitor.name}' can become {declaration.priority.name} after {declaration.after}, but its "
            f"options make it ask for the incident declaration {when}",
            "remove renotify_interval/renotify_statuses from options",
        )


@set_rule("P115", "error")
def role_nobody_may_hold(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An incident role nobody on any team may hold

    A role's `held_by` lists the team member roles (a member's `role`) that may hold it. If no member of any team
    has one of them, the role stays empty in every incident; a role that must be held (`holders: one` or
    `one_or_more`) then cannot be.

    Fix: correct held_by, or give a member that role.
    """
    member_roles = {member.role for team in ctx.definitions.teams for member in team.members}
    for index, role in enumerate(ctx.process.roles):
        if not role.held_by or role.holders == "optional" or member_roles & set(role.held_by):
            continue
        yield ctx.finding(
            rule,
            ctx.process,
            ("roles", index, "held_by"),
            f"role '{role.name}' may be held by {', '.join(role.held_by)}, but no team member has such a role",
            "member roles defined: " + (", ".join(sorted(member_roles)) or "none"),
        )


@set_rule("P116", "warning")
def timed_reminder(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """The process asks Datadog for a timed reminder during an incident

    `status_update_reminder: timer` means a notification to the incident channels every `status_update_every` while
    a declared incident is open. Datadog incident notification rules fire on incident events only (declared, saved;
    re-notification when named fields change), never on a timer, so alertc compiles the nearest mechanism: a
    notification whenever the open incident's severity, state or status changes. The cadence itself stays the
    incident commander's duty (the process document says so).

    Fix: write `status_update_reminder: on_change` to accept that mechanism.
    """
    for gap in unexpressible(ctx.process, ctx.definitions.teams):
        yield ctx.finding(
            rule,
            ctx.process,
            ("status_update_reminder",),
            f"Datadog cannot {gap.says}; {gap.instead}",
            "write status_update_reminder: on_change to accept the notification on each change",
        )
