"""Process lint, routing: who a firing monitor reaches, and how its severity is decided (P1xx).

The rules read the same routing the compiler uses (``compile.routing``), so a
finding and the compiled monitor can never disagree about a severity.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.banners import key_of_status_handle, referenced_banner_targets
from compiler.compile.routing import rate_monitor
from compiler.compile.text import number


@set_rule("P101", "error")
def paging_without_runbook(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A paging monitor has no runbook

    Whoever is paged at 3 a.m. needs the first steps in hand. A monitor whose severity pages must have a runbook, on
    the monitor or on its service.

    Fix: add `runbook: https://...` to the monitor or its service.
    """
    for monitor, service in ctx.paging:
        if monitor.runbook is None and service.runbook is None:
            yield ctx.finding(
                rule,
                monitor,
                ("name",),
                f"monitor '{monitor.name}' pages but has no runbook",
                f"add runbook: to the monitor or to service '{service.name}'",
            )


@set_rule("P102", "error")
def paging_without_routing(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A paging monitor's service cannot page anyone

    A monitor whose severity pages notifies its service's PagerDuty service. A service without `pagerduty:` routing
    would drop those pages silently.

    Fix: add `pagerduty: {escalation_policy: ...}` to the service, or give the monitor a non-paging severity.
    """
    seen: set[str] = set()
    for monitor, service in ctx.paging:
        if service.pagerduty is None and service.name not in seen:
            seen.add(service.name)
            yield ctx.finding(
                rule,
                service,
                ("name",),
                f"service '{service.name}' has paging monitors (e.g. '{monitor.name}') but no pagerduty routing",
                "add pagerduty: {escalation_policy: <policy>} to the service",
            )


@set_rule("P104", "warning")
def severity_against_impact(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor's severity disagrees with its declared impact

    When a monitor states both a severity and the users per hour it affects, the severity table may rate that impact
    differently. The explicit severity wins; the finding shows the computation.

    Fix: change the severity or the impact so they agree.
    """
    for monitor in ctx.definitions.monitors:
        rating = rate_monitor(ctx.process, monitor, ctx.services[monitor.service])
        if rating.disagrees and rating.derived_severity is not None:
            yield ctx.finding(
                rule,
                monitor,
                ("severity",),
                f"monitor '{monitor.name}' says {rating.severity.name}, but its impact "
                f"({rating.users_explained}) rates {rating.derived_severity.name}",
                f"{rating.derived_severity.name} applies above "
                f"{rating.derived_severity.users_per_hour_above} users/hour",
            )


@set_rule("P107", "error")
def unknown_pagerduty_handle(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor notifies a PagerDuty service that is not defined

    A `@pagerduty-<name>` handle must name a service with pagerduty routing or a banner key's status service
    (`@pagerduty-status-<key>`, or a referenced one's `datadog_handle`); otherwise Datadog has nowhere to send the
    page.

    Fix: correct the handle.
    """
    d = ctx.definitions
    routed = {s.name for s in d.services if s.pagerduty is not None}
    routed |= {h.removeprefix("@pagerduty-") for h in referenced_banner_targets(d.dependencies)}
    keys = {dep.key for dep in d.dependencies}
    for monitor in d.monitors:
        for index, handle in enumerate(monitor.notify.handles):
            if not handle.startswith("@pagerduty-") or handle in ("@pagerduty-resolve", "@pagerduty-acknowledge"):
                continue
            status_key = key_of_status_handle(handle)
            if (status_key is not None and status_key in keys) or handle.removeprefix("@pagerduty-") in routed:
                continue
            yield ctx.finding(
                rule,
                monitor,
                ("notify", "handles", index),
                f"monitor '{monitor.name}' notifies {handle}, which is not a defined PagerDuty service",
                "paging services: " + ", ".join(f"@pagerduty-{n}" for n in sorted(routed)),
            )


@set_rule("P108", "warning")
def unknown_slack_channel(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor notifies a Slack channel no team defines

    Extra channels in `notify.channels` should be a team's alert or incident channel, so that someone watches them;
    a typo here silently drops the notification.

    Fix: use a team's channel, or add the channel to the owning team's `slack`.
    """
    known = {c for t in ctx.definitions.teams for c in (t.slack.alerts, t.slack.incidents)}
    for monitor in ctx.definitions.monitors:
        for index, channel in enumerate(monitor.notify.channels):
            if channel not in known:
                yield ctx.finding(
                    rule,
                    monitor,
                    ("notify", "channels", index),
                    f"monitor '{monitor.name}' notifies {channel}, which is not a team's channel",
                    "team channels: " + ", ".join(sorted(known)),
                )


@set_rule("P111", "error")
def warning_pages(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A paging monitor's warning pages

    A warning tells the team's channel that something drifts; it must not wake the on-call. alertc routes paging
    handles on alert only; a `@pagerduty-<service>` handle in `notify.handles` pages on every transition, warnings
    included.

    Fix: remove the PagerDuty handle from notify.handles, or drop the warning.
    """
    for monitor, warning, warnings in ctx.warning_outcomes:
        paged = sorted({e.target.name for o in warnings for e in o.pages()})
        if paged:
            yield ctx.finding(
                rule,
                monitor,
                ("thresholds", "warning"),
                f"monitor '{monitor.name}' pages {', '.join(paged)} when it warns "
                f"({monitor.comparator} {number(warning)})",
                "remove the @pagerduty-<service> handle from notify.handles: alertc pages on alert only",
            )


@set_rule("P114", "error")
def impact_on_a_qualitative_ladder(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor on a qualitative severity ladder states an impact in users/hour

    When the process's severities are impact categories (e.g. Critical: prevents customer operations) rather than
    users/hour thresholds, a users/hour impact rates nothing: the monitor must name the severity it means.

    Fix: replace `impact:` with `severity: <name>`.
    """
    process = ctx.process
    if not process.qualitative:
        return
    names = ", ".join(s.name for s in process.severities)
    for monitor in ctx.definitions.monitors:
        if monitor.impact is None:
            continue
        said = (
            f"{monitor.impact.users_per_hour} users/hour"
            if monitor.impact.users_per_hour is not None
            else f"a failing fraction of {monitor.impact.failing_fraction:g}"
        )
        yield ctx.finding(
            rule,
            monitor,
            ("impact",),
            f"monitor '{monitor.name}' gives an impact of {said}, but the severities of "
            f"'{process.name}' are impact categories, not users/hour thresholds"
            + ("" if monitor.severity else ": it has no severity"),
            f"remove impact and name the severity: severity: <one of {names}>",
        )
