"""Process lint, incidents: declaring one, who holds its roles, what Datadog posts while it is open (P1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.incidents import unexpressible
from compiler.compile.routing import declaration_for, rate_monitor


@set_rule("P113", "error")
def declaration_not_at_incident_after(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A P1-capable alert does not ask for the declaration exactly at incident_after

    When the process escalates long alerts (`incident_after`: a production alert active that long is the top
    priority and needs a declared incident), a production paging monitor asks for the declaration once, exactly
    `incident_after` after the alert: its one re-notification (`renotify_interval` = `incident_after`,
    `renotify_occurrences: 1`). Overriding `renotify_interval`, `renotify_statuses` or `renotify_occurrences` in the
    monitor's raw `options` can move or repeat the prompt. The opt-in `process.alert_reminders` repeats it, and
    Datadog re-notifies on one cadence, so with `incident_after` it must equal it.

    Fix: remove the renotify options from the monitor's options; set alert_reminders to incident_after or remove it.
    """
    process = ctx.process
    after, reminders = process.incident_after, process.alert_reminders
    if after is not None and reminders is not None and reminders.seconds != after.seconds:
        yield ctx.finding(
            rule,
            process,
            ("alert_reminders",),
            f"alert_reminders {reminders} cannot be kept: the declaration prompt is the first re-notification, at "
            f"incident_after {after}, and Datadog re-notifies on one cadence (so every {after})",
            f"set alert_reminders: {after}, or remove it",
        )
    renotify_keys = {"renotify_interval", "renotify_statuses", "renotify_occurrences", "escalation_message"}
    for monitor in ctx.definitions.monitors:
        if not renotify_keys & set(monitor.options):
            continue  # compiled by alertc: the one re-notification carries the declaration (tests prove it)
        service = ctx.services[monitor.service]
        declaration = declaration_for(process, rate_monitor(process, monitor, service))
        if declaration is None or declaration.after is None or service.pagerduty is None:
            continue
        renotify = ctx.simulated(monitor).get("renotify_alert")
        minutes = declaration.after.minutes
        at = renotify.transition.renotify_after if renotify is not None else None
        repeats = renotify is not None and renotify.transition.occurrences != 1 and reminders is None
        if at == minutes and not repeats:
            continue
        if at is None:
            when = "never (no re-notification while alerting)"
        elif at < minutes:
            when = f"at {at}m, before the {declaration.after} rule"
        elif at > minutes:
            when = f"at {at}m, after the {declaration.after} rule"
        else:
            when = f"at {minutes}m and again every {minutes}m (renotify_occurrences is not 1)"
        yield ctx.finding(
            rule,
            monitor,
            ("options",),
            f"monitor '{monitor.name}' can become {declaration.priority.name} after {declaration.after}, but its "
            f"options make it ask for the incident declaration {when}",
            "remove renotify_interval/renotify_statuses/renotify_occurrences from options",
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


@set_rule("P125", "warning")
def team_without_datadog_team(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A team's incident notification rules match a Datadog team handle it does not state

    Every team's incident notification rules carry a team condition (the incident's Teams field), so that in an
    organisation several teams share, another team's incident never reaches this team's incident channel. The
    condition names the team's Datadog Teams handle; without `datadog_team` alertc uses the team's name, and if the
    handle in Datadog differs, this team's own incidents notify nobody. Reported where the organisation is shared:
    the definitions name an ownership scope (`owner:`) or several teams.

    Fix: set datadog_team: <the handle of the team in Datadog Teams> on the team.
    """
    if ctx.definitions.owner is None and len(ctx.definitions.teams) < 2:
        return
    for team in ctx.definitions.teams:
        if team.datadog_team is None:
            yield ctx.finding(
                rule,
                team,
                ("name",),
                f"team '{team.name}' states no datadog_team: its incident notification rules match incidents whose "
                f"Teams field holds '{team.name}'",
                "set datadog_team: <its handle in Datadog Teams> (the declaration prompt tells the commander to set "
                "it)",
            )
