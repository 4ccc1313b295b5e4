"""Rules of SLO burn-rate tiers that Datadog would refuse (S5xx).

Compile never emits what Datadog rejects: it drops, clamps or fails such a tier as the SLO's
``alerting.on_invalid_tier`` says. ``compile.slos.invalid_tiers`` decides for compile and for these
rules alike, so what is reported is what was (not) compiled.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.slos import invalid_tiers

_HINT = "lower the burn rate or the target, or set alerting.on_invalid_tier: drop|clamp"


def _reported(rule: SetRule, ctx: LintContext, actions: tuple[str, ...]) -> Iterator[Finding]:
    for slo in ctx.definitions.slos:
        if slo.alerting.on_invalid_tier in actions:
            for invalid in invalid_tiers(ctx.process, slo, ctx.services.get(slo.service)):
                yield rule.finding(None, invalid.describe(slo), _HINT, where=f"slo/{slo.name}")


@set_rule("S501", "error")
def invalid_burn_tier(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An SLO burn-rate tier is invalid

    Datadog accepts burn-rate alerts with a long window of 1h-48h and a burn rate at most 1/(1-target). With
    alerting.on_invalid_tier: error (the default) such a tier fails validation.

    Fix: lower the burn rate or the target, or set alerting.on_invalid_tier: drop|clamp.
    """
    yield from _reported(rule, ctx, ("error",))


@set_rule("S502", "warning")
def adjusted_burn_tier(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """An invalid SLO burn-rate tier was dropped or clamped

    With alerting.on_invalid_tier: drop the tier is not compiled; with clamp its burn rate is lowered to the largest
    Datadog accepts. Either way the alerting differs from what the tier says.

    Fix: change the tier so it is valid.
    """
    yield from _reported(rule, ctx, ("drop", "clamp"))
