"""Process lint: rules with stable ids that check the alerting against the documented process.

Each rule is one function registered with an id, a severity, a title and an
explanation (shown by ``alertc validate --explain ID``), in the manner of
cfn-lint. Errors fail ``validate``; warnings are printed. The rules read the
same routing the compiler uses (``compile.routing``), so a finding and the
compiled monitor can never disagree about a severity.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from compiler.checks.findings import Finding, Severity
from compiler.compile.banners import banner_routes, key_of_status_handle, referenced_banner_targets
from compiler.compile.incidents import unexpressible
from compiler.compile.messages import MessageContext, group_keys
from compiler.compile.monitors import compile_monitor
from compiler.compile.routing import declaration_for, rate_monitor, tier_of
from compiler.compile.slos import TIMEFRAME_DAYS, burn_tiers
from compiler.compile.text import number
from compiler.coverage import DEFAULT_HORIZON, policy_gaps
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.notify.simulate import Outcome, Target, simulate

Check = Callable[[Definitions, datetime], list[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    explanation: str
    check: Check


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str, explanation: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, title, explanation, fn)
        return fn

    return register


def _finding(
    d: Definitions, item: m.Model, path: tuple[str | int, ...], rule_id: str, message: str, hint: str
) -> Finding:
    r = RULES[rule_id]
    return Finding(d.origin(item).at(*path), message, hint, severity=r.severity, code=rule_id)


def _services(d: Definitions) -> dict[str, m.Service]:
    return {s.name: s for s in d.services}


# The set being linted and its paging monitors, for the duration of one ``lint`` call only: kept past
# it, it held two thirds of a large set's monitor models alive through the whole plan.
_PAGING_OF: list[tuple[Definitions, list[tuple[m.Monitor, m.Service]]]] = []


def _paging(d: Definitions) -> list[tuple[m.Monitor, m.Service]]:
    """Monitors that page, with their service; computed once per definition set (three rules ask)."""
    if _PAGING_OF and _PAGING_OF[0][0] is d:
        return _PAGING_OF[0][1]
    assert d.process is not None
    services = _services(d)
    out = []
    for monitor in d.monitors:
        service = services[monitor.service]
        if rate_monitor(d.process, monitor, service).pages:
            out.append((monitor, service))
    _PAGING_OF[:] = [(d, out)]
    return out


@rule(
    "P101",
    "error",
    "A paging monitor has no runbook",
    "Whoever is paged at 3 a.m. needs the first steps in hand. A monitor whose severity pages must have a "
    "runbook, on the monitor or on its service.\nFix: add `runbook: https://...` to the monitor or its service.",
)
def _runbook(d: Definitions, now: datetime) -> list[Finding]:
    return [
        _finding(
            d,
            monitor,
            ("name",),
            "P101",
            f"monitor '{monitor.name}' pages but has no runbook",
            f"add runbook: to the monitor or to service '{service.name}'",
        )
        for monitor, service in _paging(d)
        if monitor.runbook is None and service.runbook is None
    ]


@rule(
    "P102",
    "error",
    "A paging monitor's service cannot page anyone",
    "A monitor whose severity pages notifies its service's PagerDuty service. A service without `pagerduty:` "
    "routing would drop those pages silently.\nFix: add `pagerduty: {escalation_policy: ...}` to the service, "
    "or give the monitor a non-paging severity.",
)
def _routing(d: Definitions, now: datetime) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for monitor, service in _paging(d):
        if service.pagerduty is None and service.name not in seen:
            seen.add(service.name)
            out.append(
                _finding(
                    d,
                    service,
                    ("name",),
                    "P102",
                    f"service '{service.name}' has paging monitors (e.g. '{monitor.name}') but no pagerduty routing",
                    "add pagerduty: {escalation_policy: <policy>} to the service",
                )
            )
    return out


@rule(
    "P103",
    "error",
    "A service that can page has uncovered on-call time",
    "Paging severities are handled 24x7: every minute of the next four weeks must have someone on call in the "
    "service's escalation policy. The finding names the first gap.\nFix: extend the schedule's layers or "
    "restrictions, or add a user target to the escalation policy.",
)
def _coverage(d: Definitions, now: datetime) -> list[Finding]:
    schedules = {s.name: s for s in d.schedules}
    policies = {p.name: p for p in d.escalation_policies}
    out = []
    checked: set[str] = set()
    for _monitor, service in _paging(d):
        if service.pagerduty is None or service.name in checked:
            continue
        checked.add(service.name)
        policy = policies.get(service.pagerduty.escalation_policy)
        if policy is None:
            continue
        holes = policy_gaps(policy, schedules, now, DEFAULT_HORIZON)
        if holes:
            zone = d.process.time_zone if d.process else "Etc/UTC"
            out.append(
                _finding(
                    d,
                    service,
                    ("pagerduty", "escalation_policy"),
                    "P103",
                    f"service '{service.name}' can page, but escalation policy '{policy.name}' has nobody on call "
                    f"{holes[0].describe(zone)}" + (f" and {len(holes) - 1} more gap(s)" if len(holes) > 1 else ""),
                    "cover every minute: extend the schedule layers or add a user target as the last rule",
                )
            )
    return out


@rule(
    "P104",
    "warning",
    "A monitor's severity disagrees with its declared impact",
    "When a monitor states both a severity and the users per hour it affects, the severity table may rate that "
    "impact differently. The explicit severity wins; the finding shows the computation.\nFix: change the "
    "severity or the impact so they agree.",
)
def _severity_vs_impact(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    services = _services(d)
    out = []
    for monitor in d.monitors:
        rating = rate_monitor(d.process, monitor, services[monitor.service])
        if rating.disagrees and rating.derived_severity is not None:
            out.append(
                _finding(
                    d,
                    monitor,
                    ("severity",),
                    "P104",
                    f"monitor '{monitor.name}' says {rating.severity.name}, but its impact "
                    f"({rating.users_explained}) rates {rating.derived_severity.name}",
                    f"{rating.derived_severity.name} applies above "
                    f"{rating.derived_severity.users_per_hour_above} users/hour",
                )
            )
    return out


@rule(
    "P105",
    "warning",
    "A production service has no SLO",
    "The process measures production services against objectives; a production service without an SLO cannot "
    "be held to its SLA.\nFix: add an SLO with `service: <name>`.",
)
def _slo(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    with_slo = {slo.service for slo in d.slos}
    return [
        _finding(d, s, ("name",), "P105", f"production service '{s.name}' has no SLO", "add an SLO for it")
        for s in d.services
        if tier_of(d.process, s.environment).production and s.name not in with_slo
    ]


@rule(
    "P106",
    "error",
    "An escalation policy reaches nobody within the acknowledgement target",
    "The on-call acknowledges within the process's acknowledgement target; the first escalation rule must "
    "page someone and escalate no later than that target.\nFix: lower the first rule's delay.",
)
def _ack(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    target = d.process.acknowledgement_target
    return [
        _finding(
            d,
            p,
            ("rules", 0, "delay"),
            "P106",
            f"escalation policy '{p.name}' waits {p.rules[0].delay} before escalating, longer than the "
            f"acknowledgement target of {target}",
            f"set the first rule's delay to {target} or less",
        )
        for p in d.escalation_policies
        if p.rules[0].delay.seconds > target.seconds
    ]


@rule(
    "P107",
    "error",
    "A monitor notifies a PagerDuty service that is not defined",
    "A `@pagerduty-<name>` handle must name a service with pagerduty routing or a banner key's status service "
    "(`@pagerduty-status-<key>`, or a referenced one's `datadog_handle`); otherwise Datadog has nowhere to send "
    "the page.\nFix: correct the handle.",
)
def _handles(d: Definitions, now: datetime) -> list[Finding]:
    routed = {s.name for s in d.services if s.pagerduty is not None}
    routed |= {h.removeprefix("@pagerduty-") for h in referenced_banner_targets(d.dependencies)}
    keys = {dep.key for dep in d.dependencies}
    out = []
    for monitor in d.monitors:
        for index, handle in enumerate(monitor.notify.handles):
            if not handle.startswith("@pagerduty-") or handle in ("@pagerduty-resolve", "@pagerduty-acknowledge"):
                continue
            status_key = key_of_status_handle(handle)
            target = handle.removeprefix("@pagerduty-")
            if (status_key is not None and status_key in keys) or target in routed:
                continue
            out.append(
                _finding(
                    d,
                    monitor,
                    ("notify", "handles", index),
                    "P107",
                    f"monitor '{monitor.name}' notifies {handle}, which is not a defined PagerDuty service",
                    "paging services: " + ", ".join(f"@pagerduty-{n}" for n in sorted(routed)),
                )
            )
    return out


@rule(
    "P108",
    "warning",
    "A monitor notifies a Slack channel no team defines",
    "Extra channels in `notify.channels` should be a team's alert or incident channel, so that someone "
    "watches them; a typo here silently drops the notification.\nFix: use a team's channel, or add the "
    "channel to the owning team's `slack`.",
)
def _channels(d: Definitions, now: datetime) -> list[Finding]:
    known = {c for t in d.teams for c in (t.slack.alerts, t.slack.incidents)}
    return [
        _finding(
            d,
            monitor,
            ("notify", "channels", index),
            "P108",
            f"monitor '{monitor.name}' notifies {channel}, which is not a team's channel",
            "team channels: " + ", ".join(sorted(known)),
        )
        for monitor in d.monitors
        for index, channel in enumerate(monitor.notify.channels)
        if channel not in known
    ]


def _simulated(d: Definitions, monitor: m.Monitor) -> dict[str, Outcome]:
    """What the compiled monitor does on each transition (the same compile and simulator as the plan)."""
    assert d.process is not None
    service = _services(d)[monitor.service]
    team = next(t for t in d.teams if t.name == service.team)
    context = MessageContext(banner_routes=banner_routes(d.dependencies))
    body = compile_monitor(d.process, monitor, service, team, rate_monitor(d.process, monitor, service), context).body
    targets = {f"@pagerduty-{s.name}": Target("service", s.name) for s in d.services if s.pagerduty is not None}
    targets |= {handle: Target("banner", key) for key, handle in banner_routes(d.dependencies).items()}
    return simulate(body, targets)


def _warnings(outcomes: dict[str, Outcome]) -> list[Outcome]:
    return [o for o in outcomes.values() if o.transition.to_status == "warn"]


def _may_reach_warnings(monitor: m.Monitor) -> bool:
    """Whether a warning of this monitor could notify PagerDuty at all.

    alertc writes its own paging and banner handles inside ``{{#is_alert}}`` blocks (the notification tests
    prove it for every example alert); only extra handles the definitions add can reach a warning. Checking
    just those monitors keeps validate fast on large sets; the check itself is the simulator's.
    """
    return monitor.thresholds.warning is not None and any(h.startswith("@pagerduty-") for h in monitor.notify.handles)


def _warning_outcomes(d: Definitions) -> list[tuple[m.Monitor, float, list[Outcome]]]:
    """Each monitor whose warning could notify PagerDuty, its warning threshold, and what its warnings do.

    P110 (a warning raises a banner) and P111 (a warning pages) look at the same simulated warnings; only
    what they look for in them differs.
    """
    out = []
    for monitor in d.monitors:
        warning = monitor.thresholds.warning
        if warning is None or not _may_reach_warnings(monitor):
            continue
        out.append((monitor, warning, _warnings(_simulated(d, monitor))))
    return out


@rule(
    "P109",
    "warning",
    "A banner key is driven by a grouped (multi-alert) monitor",
    "A monitor grouped `by {...}` alerts as soon as one group crosses the threshold. Driving a banner key with "
    "it shows the whole key's banner to every user when one group (one CSP) fails.\nFix: drive the key from "
    "an ungrouped monitor, and per-group keys from per-group monitors (filter the query on the group).",
)
def _grouped_banner(d: Definitions, now: datetime) -> list[Finding]:
    out = []
    for monitor in d.monitors:
        keys = group_keys(monitor.query)
        if monitor.banner_key is None or not keys:
            continue
        out.append(
            _finding(
                d,
                monitor,
                ("banner_key",),
                "P109",
                f"monitor '{monitor.name}' is grouped by {{{', '.join(keys)}}} and drives banner key "
                f"'{monitor.banner_key}': one group alerting raises the '{monitor.banner_key}' banner for all its "
                "users",
                f"drive '{monitor.banner_key}' from an ungrouped monitor; per-group keys from per-group monitors",
            )
        )
    return out


@rule(
    "P110",
    "error",
    "A banner monitor's warning would raise the banner",
    "Users see a downtime banner when a key's status service has an open incident. A monitor's warning is a "
    "heads-up for the team, not an outage: it must not notify the status service. alertc routes banner "
    "handles on alert only; an extra `@pagerduty-status-<key>` handle in `notify.handles` defeats that.\n"
    "Fix: remove the status handle from notify.handles (banner_key already routes it), or drop the warning.",
)
def _banner_on_warning(d: Definitions, now: datetime) -> list[Finding]:
    out = []
    for monitor, warning, warnings in _warning_outcomes(d):
        raised = sorted({k for o in warnings for k in o.banners_raised()})
        if raised:
            out.append(
                _finding(
                    d,
                    monitor,
                    ("thresholds", "warning"),
                    "P110",
                    f"monitor '{monitor.name}' raises banner {', '.join(raised)} on its warning "
                    f"({monitor.comparator} {number(warning)}), before its critical threshold "
                    f"{number(monitor.thresholds.critical)}",
                    "remove @pagerduty-status-<key> from notify.handles: banner_key routes it on alert only",
                )
            )
    return out


@rule(
    "P111",
    "error",
    "A paging monitor's warning pages",
    "A warning tells the team's channel that something drifts; it must not wake the on-call. alertc routes "
    "paging handles on alert only; a `@pagerduty-<service>` handle in `notify.handles` pages on every "
    "transition, warnings included.\nFix: remove the PagerDuty handle from notify.handles, or drop the warning.",
)
def _paging_warning(d: Definitions, now: datetime) -> list[Finding]:
    out = []
    for monitor, warning, warnings in _warning_outcomes(d):
        paged = sorted({e.target.name for o in warnings for e in o.pages()})
        if paged:
            out.append(
                _finding(
                    d,
                    monitor,
                    ("thresholds", "warning"),
                    "P111",
                    f"monitor '{monitor.name}' pages {', '.join(paged)} when it warns "
                    f"({monitor.comparator} {number(warning)})",
                    "remove the @pagerduty-<service> handle from notify.handles: alertc pages on alert only",
                )
            )
    return out


MIN_BUDGET_UNITS = 10  # fewer bad slices/events than this and one blip is an outage to a burn-rate alert


@rule(
    "P112",
    "warning",
    "An SLO's error budget is only a few slices or events",
    f"A burn-rate alert needs an error budget of more than a handful of bad slices (time-slice SLOs) or bad "
    f"events (metric SLOs, estimated from the service's users per hour) over the timeframe, else one bad slice "
    f"burns it at hundreds of times the allowed rate and pages. The rule asks for at least {MIN_BUDGET_UNITS}.\n"
    "Fix: lower the target, or use 1-minute slices (the finding shows the arithmetic and a target that fits), or "
    "keep a target the process sets and turn the SLO's burn-rate alerting off (alerting: {enabled: false}): it is "
    "then reported on, never paged on, and this rule does not apply.",
)
def _small_budget(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    services = _services(d)
    out = []
    for slo in d.slos:
        if not slo.alerting.enabled:
            continue  # reported on, never paged on: a small budget cannot page anyone
        seconds = TIMEFRAME_DAYS[slo.timeframe] * 86400
        allowed = 1 - slo.target / 100
        if isinstance(slo, m.TimeSliceSlo):
            size = 60 if slo.slice == "1m" else 300
            units, unit = seconds // size, f"{slo.slice} slices"
        else:
            hours = seconds // 3600
            units, unit = services[slo.service].users_per_hour * hours, "events"
        budget = units * allowed
        if units == 0 or budget >= MIN_BUDGET_UNITS:
            continue
        arithmetic = f"{units} {unit} × {number(round(allowed, 6))} = {budget:.3g}"
        detail = ""
        if isinstance(slo, m.TimeSliceSlo) and slo.alerting.enabled:
            fast = burn_tiers(d.process, slo)[0]
            one = (size / fast.long_window.seconds) / allowed
            detail = (
                f"; one bad slice is a burn rate of {one:.0f} over {fast.long_window} (pages above {fast.burn_rate:g})"
            )
        target = math.floor((1 - MIN_BUDGET_UNITS / units) * 100 * 1000) / 1000
        hint = f"a target of {number(target)}% keeps {MIN_BUDGET_UNITS} {unit}"
        if isinstance(slo, m.TimeSliceSlo) and slo.slice == "5m":
            hint += f", or 1m slices give {seconds // 60 * allowed:.3g}"
        hint += "; or keep the target and report on it without paging (alerting: {enabled: false})"
        out.append(
            _finding(
                d,
                slo,
                ("target",),
                "P112",
                f"SLO '{slo.name}' ({number(slo.target)}% over {slo.timeframe}) has an error budget of "
                f"{budget:.3g} {unit}: {arithmetic}{detail}",
                hint,
            )
        )
    return out


@rule(
    "P113",
    "error",
    "A P1-capable alert does not follow the incident_after rule",
    "When the process escalates long alerts (`incident_after`: a production alert active that long is the top "
    "priority and needs a declared incident), a production paging monitor must say so once, with its first "
    "re-notification at or after that duration, not before and not never. Overriding `renotify_interval` "
    "in the monitor's raw `options` can break that.\nFix: remove renotify_interval/renotify_statuses from "
    "the monitor's options.",
)
def _incident_after(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    process = d.process
    services = _services(d)
    out = []
    for monitor in d.monitors:
        if not {"renotify_interval", "renotify_statuses", "escalation_message"} & set(monitor.options):
            continue  # compiled by alertc: the re-notification carries the declaration (tests prove it)
        service = services[monitor.service]
        declaration = declaration_for(process, rate_monitor(process, monitor, service))
        if declaration is None or declaration.after is None or service.pagerduty is None:
            continue
        renotify = _simulated(d, monitor).get("renotify_alert")
        after = declaration.after.minutes
        if renotify is not None and (renotify.transition.renotify_after or 0) >= after:
            continue
        when = (
            "never (no re-notification while alerting)"
            if renotify is None
            else f"at {renotify.transition.renotify_after}m, before the {declaration.after} rule"
        )
        out.append(
            _finding(
                d,
                monitor,
                ("options",),
                "P113",
                f"monitor '{monitor.name}' can become {declaration.priority.name} after {declaration.after}, but its "
                f"options make it ask for the incident declaration {when}",
                "remove renotify_interval/renotify_statuses from options",
            )
        )
    return out


@rule(
    "P114",
    "error",
    "A monitor on a qualitative severity ladder states an impact in users/hour",
    "When the process's severities are impact categories (e.g. Critical: prevents customer operations) rather "
    "than users/hour thresholds, a users/hour impact rates nothing: the monitor must name the severity it "
    "means.\nFix: replace `impact:` with `severity: <name>`.",
)
def _qualitative_impact(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    if not d.process.qualitative:
        return []
    names = ", ".join(s.name for s in d.process.severities)
    out = []
    for monitor in d.monitors:
        if monitor.impact is None:
            continue
        said = (
            f"{monitor.impact.users_per_hour} users/hour"
            if monitor.impact.users_per_hour is not None
            else f"a failing fraction of {monitor.impact.failing_fraction:g}"
        )
        out.append(
            _finding(
                d,
                monitor,
                ("impact",),
                "P114",
                f"monitor '{monitor.name}' gives an impact of {said}, but the severities of "
                f"'{d.process.name}' are impact categories, not users/hour thresholds"
                + ("" if monitor.severity else ": it has no severity"),
                f"remove impact and name the severity: severity: <one of {names}>",
            )
        )
    return out


@rule(
    "P115",
    "error",
    "An incident role nobody on any team may hold",
    "A role's `held_by` lists the team member roles (a member's `role`) that may hold it. If no member of any "
    "team has one of them, the role stays empty in every incident; a role that must be held (`holders: one` "
    "or `one_or_more`) then cannot be.\nFix: correct held_by, or give a member that role.",
)
def _roles_held(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    member_roles = {member.role for team in d.teams for member in team.members}
    out = []
    for index, role in enumerate(d.process.roles):
        if not role.held_by or role.holders == "optional" or member_roles & set(role.held_by):
            continue
        out.append(
            Finding(
                d.origin(d.process).at("roles", index, "held_by"),
                f"role '{role.name}' may be held by {', '.join(role.held_by)}, but no team member has such a role",
                "member roles defined: " + (", ".join(sorted(member_roles)) or "none"),
                severity=RULES["P115"].severity,
                code="P115",
            )
        )
    return out


@rule(
    "P116",
    "warning",
    "The process asks Datadog for a timed reminder during an incident",
    "`status_update_reminder: timer` means a notification to the incident channels every `status_update_every` "
    "while a declared incident is open. Datadog incident notification rules fire on incident events only "
    "(declared, saved; re-notification when named fields change), never on a timer, so alertc compiles the "
    "nearest mechanism: a notification whenever the open incident's severity, state or status changes. The "
    "cadence itself stays the incident commander's duty (the process document says so).\nFix: write "
    "`status_update_reminder: on_change` to accept that mechanism.",
)
def _timed_reminder(d: Definitions, now: datetime) -> list[Finding]:
    assert d.process is not None
    return [
        _finding(
            d,
            d.process,
            ("status_update_reminder",),
            "P116",
            f"Datadog cannot {gap.says}; {gap.instead}",
            "write status_update_reminder: on_change to accept the notification on each change",
        )
        for gap in unexpressible(d.process, d.teams)
    ]


@rule(
    "P120",
    "warning",
    "A native Datadog monitor on a service the process covers (migration not finished)",
    "Native monitors (`datadog_monitors`, as `alertc import` writes them) carry their thresholds, message and "
    "routing as Datadog has them, so the process (severities, paging, declaration, banners) does not shape them. "
    "This notes each one on a defined service (its `service` field or a `service:<name>` tag), so the migration's "
    "progress is visible.\nFix: rewrite it as a `monitors` entry of that service and delete the native one in the "
    "same change (the new definition creates a monitor; keep the native key to adopt the same object instead).",
)
def _native_monitors(d: Definitions, now: datetime) -> list[Finding]:
    services = {s.name for s in d.services}
    out = []
    for monitor in d.datadog_monitors:
        tagged = {t.removeprefix("service:") for t in monitor.tags if t.startswith("service:")}
        service = monitor.service if monitor.service in services else next(iter(sorted(tagged & services)), None)
        if service is None:
            continue
        out.append(
            Finding(
                d.origin(monitor).at("key"),
                f"native monitor '{monitor.key}' is on service '{service}', which has a process: "
                "migrate it to a process-derived monitor",
                "see `alertc validate --explain P120`",
                severity="warning",
                code="P120",
            )
        )
    return out


def lint(definitions: Definitions, now: datetime) -> list[Finding]:
    """Every rule's findings on validated definitions (references already checked)."""
    if definitions.process is None:
        return []
    findings: list[Finding] = []
    try:
        for r in RULES.values():
            findings += r.check(definitions, now)
    finally:
        _PAGING_OF.clear()
    return findings


def explain(rule_id: str) -> str:
    r = RULES.get(rule_id.upper())
    if r is None:
        raise KeyError(rule_id)
    return f"{r.id} ({r.severity}): {r.title}\n\n{r.explanation}\n"
