"""Process lint, SLOs: production services are held to objectives that a burn-rate alert can watch (P1xx)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.routing import tier_of
from compiler.compile.slos import (
    MAX_LONG_WINDOW,
    TIMEFRAME_DAYS,
    BurnTier,
    burn_tiers,
    invalid_tiers,
    max_burn_rate,
)
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


def _budget_units(ctx: LintContext, slo: m.MetricSlo | m.TimeSliceSlo) -> tuple[int, str]:
    """How many slices (time-slice) or events (metric, from users/hour) the SLO's timeframe holds, and their name."""
    seconds = TIMEFRAME_DAYS[slo.timeframe] * 86400
    if isinstance(slo, m.TimeSliceSlo):
        return seconds // (60 if slo.slice == "1m" else 300), f"{slo.slice} slices"
    return ctx.services[slo.service].users_per_hour * (seconds // 3600), "events"


def small_budget(ctx: LintContext, slo: m.MetricSlo | m.TimeSliceSlo) -> bool:
    """Whether small_error_budget reports the SLO: its whole budget is fewer than MIN_BUDGET_UNITS slices or events."""
    units, _ = _budget_units(ctx, slo)
    return units > 0 and units * (1 - slo.target / 100) < MIN_BUDGET_UNITS


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
        units, unit = _budget_units(ctx, slo)
        budget = units * allowed
        if units == 0 or budget >= MIN_BUDGET_UNITS:
            continue
        size = 60 if isinstance(slo, m.TimeSliceSlo) and slo.slice == "1m" else 300
        arithmetic = f"{units} {unit} × {number(round(allowed, 6))} = {budget:.3g}"
        detail = ""
        if isinstance(slo, m.TimeSliceSlo):
            fast = burn_tiers(ctx.process, slo, ctx.services[slo.service])[0]
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


MIN_BAD_UNITS = 3  # a burn-rate tier must need at least this many bad slices (or events) to trip


@dataclass(frozen=True)
class NoiseFloor:
    """How many bad units (slices, or events at the service's traffic) trip one burn-rate tier, and why.

    A burn-rate alert fires when the burn rate over its long window *and* over its short window exceed the tier's
    rate; over a window of ``W`` units the burn rate is ``bad / W / (1 - target)``, so it takes more than
    ``rate × (1 - target) × W`` bad units — ``floor(that) + 1`` — in each window, and the tier trips on the larger
    of the two counts.
    """

    tier: BurnTier
    unit: str  # "1m slice", "event"
    long_units: float
    short_units: float
    allowed: float

    def needed(self, units: float) -> int:
        return math.floor(round(self.tier.burn_rate * self.allowed * units, 9)) + 1

    @property
    def trips_on(self) -> int:
        return max(self.needed(self.long_units), self.needed(self.short_units))

    def arithmetic(self) -> str:
        parts = []
        for window, units in ((self.tier.long_window, self.long_units), (self.tier.short_window, self.short_units)):
            product = self.tier.burn_rate * self.allowed * units
            parts.append(
                f"{window}: more than {number(self.tier.burn_rate)} × {number(round(self.allowed, 6))} × "
                f"{number(round(units, 2))} = {product:.3g} → {self.needed(units)}"
            )
        return "; ".join(parts)

    def fixes(self, ceiling: float) -> str:
        """What makes the tier need MIN_BAD_UNITS: a higher rate, a longer long window, or no paging on it."""
        wanted = MIN_BAD_UNITS - 1  # more than this many must be bad
        options = []
        rate = math.ceil(wanted / (self.allowed * self.long_units) * 10) / 10
        if rate <= ceiling and self.needed(self.short_units) <= MIN_BAD_UNITS:
            options.append(f"a burn rate of at least {number(rate)} over {self.tier.long_window}")
        seconds = math.ceil(
            wanted / (self.tier.burn_rate * self.allowed) * self.tier.long_window.seconds / self.long_units
        )
        hours = math.ceil(seconds / 3600)
        if hours * 3600 <= MAX_LONG_WINDOW:
            options.append(f"a long window of at least {hours}h at {number(self.tier.burn_rate)}x")
        options += [
            "dropping the tier (alerting.tiers without it)",
            "reporting on the SLO without paging (alerting: {enabled: false})",
        ]
        return ", or ".join(options)


def noise_floors(ctx: LintContext, slo: m.MetricSlo | m.TimeSliceSlo) -> list[NoiseFloor]:
    """The burn-rate tiers compiled for ``slo`` with their noise floor (none while alerting is off)."""
    if not slo.alerting.enabled or small_budget(ctx, slo):
        return []  # nothing pages, or small_error_budget reports the whole budget (its fix is the target, not a tier)
    refused = [
        invalid.tier for invalid in invalid_tiers(ctx.process, slo, ctx.services[slo.service])
    ]  # the S5xx rules' business
    allowed = round(1 - slo.target / 100, 12)
    out = []
    for tier in burn_tiers(ctx.process, slo, ctx.services[slo.service]):
        if tier in refused or tier.long_window.seconds > MAX_LONG_WINDOW:
            continue
        if isinstance(slo, m.TimeSliceSlo):
            size = 60 if slo.slice == "1m" else 300
            unit, per_second = f"{slo.slice} slice", 1 / size
        else:
            users = ctx.services[slo.service].users_per_hour
            if users == 0:
                continue  # no traffic stated: nothing to count events with
            unit, per_second = "event", users / 3600
        long_units = tier.long_window.seconds * per_second
        short_units = tier.short_window.seconds * per_second
        out.append(NoiseFloor(tier, unit, long_units, short_units, allowed))
    return out


@set_rule(
    "P121",
    "warning",
    explanation=f"A burn-rate tier should need at least {MIN_BAD_UNITS} bad time slices (time-slice SLOs) or bad "
    f"events at the service's users per hour (metric SLOs) in both of its windows before it fires. On 1-minute "
    "slices the 1h tier of a 99.9% objective (14.4x, Datadog's recommendation) fires on one slow minute: "
    "(1/60)/0.001 = 16.7 > 14.4, and its 5m short window too, so a blip pages at the tier's severity while the "
    "process's own latency monitor waits for 15 minutes. The finding shows, for each window, rate × (1 - target) × "
    "units and the bad units it takes.\nFix: a higher burn rate or a longer long window for the tier (the finding "
    "computes both), drop the tier (write alerting.tiers without it), or report on the SLO without paging "
    "(alerting: {enabled: false}).",
)
def noisy_burn_tier(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A burn-rate tier trips on fewer than 3 bad slices or events"""
    for slo in ctx.definitions.slos:
        for floor in noise_floors(ctx, slo):
            if floor.trips_on >= MIN_BAD_UNITS:
                continue
            tier = floor.tier
            tiers = slo.alerting.tiers
            index = next(
                (
                    i
                    for i, t in enumerate(tiers or [])
                    if (t.long_window, t.short_window) == (tier.long_window, tier.short_window)
                ),
                None,
            )
            path: tuple[str | int, ...] = ("alerting", "tiers", index) if index is not None else ("name",)
            plural = "" if floor.trips_on == 1 else "s"
            pages = "pages" if tier.paging else "notifies"
            yield ctx.finding(
                rule,
                slo,
                path,
                f"SLO '{slo.name}' ({number(slo.target)}% over {slo.timeframe}): the {number(tier.burn_rate)}x "
                f"{tier.long_window}/{tier.short_window} tier ({tier.severity.name}) {pages} on {floor.trips_on} bad "
                f"{floor.unit}{plural} ({floor.arithmetic()})",
                f"it needs {MIN_BAD_UNITS}: {floor.fixes(max_burn_rate(slo.target))}",
            )


@set_rule("P122", "error")
def burn_pages_nobody(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An SLO burn-rate tier is rated to page on a service with no PagerDuty routing

    A tier whose severity pages promises a page (and, for a top priority, a declared incident) that nobody receives:
    the service has no `pagerduty` routing, so the alert only reaches the team's channel while its message says
    "respond within 15 minutes, 24x7". On a qualitative ladder it usually means the tier is rated by burn speed
    instead of by what the service's outage impairs.

    Fix: give the service its impact category (`impact: <severity>`, so a burn is rated at it), give the tier a
    severity that does not page, or route the service to PagerDuty (`pagerduty: {escalation_policy: ...}`).
    """
    for slo in ctx.definitions.slos:
        service = ctx.services[slo.service]
        if not slo.alerting.enabled or service.pagerduty is not None:
            continue
        refused = [invalid.tier for invalid in invalid_tiers(ctx.process, slo, service)]
        for index, tier in enumerate(burn_tiers(ctx.process, slo, service)):
            if not tier.paging or tier in refused or tier.long_window.seconds > MAX_LONG_WINDOW:
                continue
            path: tuple[str | int, ...] = ("alerting", "tiers", index) if slo.alerting.tiers else ("service",)
            yield ctx.finding(
                rule,
                slo,
                path,
                f"SLO '{slo.name}': its {number(tier.burn_rate)}x {tier.long_window}/{tier.short_window} burn-rate "
                f"tier is rated {tier.severity.name} ({tier.severity.title}), which pages, but service "
                f"'{service.name}' has no pagerduty routing: it would page nobody",
                f"set impact: <its severity> on service '{service.name}', a tier severity that does not page, or "
                "pagerduty: {escalation_policy: <policy>} on the service",
            )
