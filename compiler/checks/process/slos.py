"""Process lint, SLOs: production services are held to objectives that a burn-rate alert can watch (P1xx)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.routing import tier_of
from compiler.compile.slos import TIMEFRAME_DAYS, burn_tiers
from compiler.compile.text import number
from compiler.definitions import models as m

MIN_BUDGET_UNITS = 10  # fewer bad slices/events than this and one blip is an outage to a burn-rate alert


@set_rule("P105", "warning")
def production_without_slo(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A production service has no SLO

    The process measures production services against objectives; a production service without an SLO cannot be held
    to its SLA.

    Fix: add an SLO with `service: <name>`.
    """
    with_slo = {slo.service for slo in ctx.definitions.slos}
    for s in ctx.definitions.services:
        if tier_of(ctx.process, s.environment).production and s.name not in with_slo:
            yield ctx.finding(rule, s, ("name",), f"production service '{s.name}' has no SLO", "add an SLO for it")


@set_rule(
    "P112",
    "warning",
    explanation=f"A burn-rate alert needs an error budget of more than a handful of bad slices (time-slice SLOs) "
    f"or bad events (metric SLOs, estimated from the service's users per hour) over the timeframe, else one bad "
    f"slice burns it at hundreds of times the allowed rate and pages. The rule asks for at least "
    f"{MIN_BUDGET_UNITS}.\nFix: lower the target, or use 1-minute slices (the finding shows the arithmetic and a "
    "target that fits), or keep a target the process sets and turn the SLO's burn-rate alerting off (alerting: "
    "{enabled: false}): it is then reported on, never paged on, and this rule does not apply.",
)
def small_error_budget(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An SLO's error budget is only a few slices or events"""
    for slo in ctx.definitions.slos:
        if not slo.alerting.enabled:
            continue  # reported on, never paged on: a small budget cannot page anyone
        seconds = TIMEFRAME_DAYS[slo.timeframe] * 86400
        allowed = 1 - slo.target / 100
        if isinstance(slo, m.TimeSliceSlo):
            size = 60 if slo.slice == "1m" else 300
            units, unit = seconds // size, f"{slo.slice} slices"
        else:
            hours = seconds // 3600
            units, unit = ctx.services[slo.service].users_per_hour * hours, "events"
        budget = units * allowed
        if units == 0 or budget >= MIN_BUDGET_UNITS:
            continue
        arithmetic = f"{units} {unit} × {number(round(allowed, 6))} = {budget:.3g}"
        detail = ""
        if isinstance(slo, m.TimeSliceSlo):
            fast = burn_tiers(ctx.process, slo)[0]
            one = (size / fast.long_window.seconds) / allowed
            detail = (
                f"; one bad slice is a burn rate of {one:.0f} over {fast.long_window} (pages above {fast.burn_rate:g})"
            )
        target = math.floor((1 - MIN_BUDGET_UNITS / units) * 100 * 1000) / 1000
        hint = f"a target of {number(target)}% keeps {MIN_BUDGET_UNITS} {unit}"
        if isinstance(slo, m.TimeSliceSlo) and slo.slice == "5m":
            hint += f", or 1m slices give {seconds // 60 * allowed:.3g}"
        hint += "; or keep the target and report on it without paging (alerting: {enabled: false})"
        yield ctx.finding(
            rule,
            slo,
            ("target",),
            f"SLO '{slo.name}' ({number(slo.target)}% over {slo.timeframe}) has an error budget of "
            f"{budget:.3g} {unit}: {arithmetic}{detail}",
            hint,
        )
