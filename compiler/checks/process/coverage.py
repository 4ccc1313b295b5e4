"""Process lint, on-call coverage: someone is on call, and reached within the acknowledgement target (P1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.coverage import DEFAULT_HORIZON, policy_gaps


@set_rule("P103", "error")
def uncovered_on_call(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A service that can page has uncovered on-call time

    Paging severities are handled 24x7: every minute of the next four weeks must have someone on call in the
    service's escalation policy. The finding names the first gap.

    Fix: extend the schedule's layers or restrictions, or add a user target to the escalation policy.
    """
    d = ctx.definitions
    schedules = {s.name: s for s in d.schedules}
    policies = {p.name: p for p in d.escalation_policies}
    checked: set[str] = set()
    for _monitor, service in ctx.paging:
        if service.pagerduty is None or service.name in checked:
            continue
        checked.add(service.name)
        policy = policies.get(service.pagerduty.escalation_policy)
        if policy is None:
            continue
        holes = policy_gaps(policy, schedules, ctx.now, DEFAULT_HORIZON)
        if holes:
            yield ctx.finding(
                rule,
                service,
                ("pagerduty", "escalation_policy"),
                f"service '{service.name}' can page, but escalation policy '{policy.name}' has nobody on call "
                f"{holes[0].describe(ctx.process.time_zone)}"
                + (f" and {len(holes) - 1} more gap(s)" if len(holes) > 1 else ""),
                "cover every minute: extend the schedule layers or add a user target as the last rule",
            )


@set_rule("P106", "error")
def slow_first_escalation(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An escalation policy reaches nobody within the acknowledgement target

    The on-call acknowledges within the process's acknowledgement target; the first escalation rule must page
    someone and escalate no later than that target.

    Fix: lower the first rule's delay.
    """
    target = ctx.process.acknowledgement_target
    for p in ctx.definitions.escalation_policies:
        if p.rules[0].delay.seconds > target.seconds:
            yield ctx.finding(
                rule,
                p,
                ("rules", 0, "delay"),
                f"escalation policy '{p.name}' waits {p.rules[0].delay} before escalating, longer than the "
                f"acknowledgement target of {target}",
                f"set the first rule's delay to {target} or less",
            )
