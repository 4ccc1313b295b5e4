"""SLOs → Datadog SLOs, and multi-window burn-rate alerts on them.

Burn rate for a tier is budget-consumed × timeframe ÷ long window; the
defaults are Datadog's published recommendations per timeframe. Datadog
rejects a burn rate above 1/(1−target) and long windows outside 1h–48h, so
such a tier is dropped, clamped or failed as the SLO says (``invalid_tiers``,
which the S5xx rules report with the numbers); nothing Datadog would refuse is
ever emitted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from compiler.compile.messages import MessageContext, capitalized, declaration_block, routing_block
from compiler.compile.routing import declaration_for, rate_severity, renotify_options, tier_of
from compiler.compile.text import datadog_window, human_days, number, pagerduty_handle, slack_handle
from compiler.definitions import models as m
from compiler.definitions.types import Duration
from compiler.resources import Resource, ref

# (burn rate, long window, short window) per timeframe; fast page, slow page, ticket.
RECOMMENDED_TIERS: dict[str, tuple[tuple[float, str, str], ...]] = {
    "7d": ((16.8, "1h", "5m"), (5.6, "6h", "30m"), (2.8, "24h", "2h")),
    "30d": ((14.4, "1h", "5m"), (6.0, "6h", "30m"), (3.0, "24h", "2h")),
    "90d": ((21.6, "1h", "5m"), (10.8, "6h", "30m"), (4.5, "24h", "2h")),
}
MIN_LONG_WINDOW = 3600
MAX_LONG_WINDOW = 48 * 3600
TIMEFRAME_DAYS = {"7d": 7, "30d": 30, "90d": 90}


@dataclass(frozen=True)
class BurnTier:
    """One compiled tier: its windows and rate, the severity a burn means, and whether the burn speed pages.

    ``pages`` is False for a ticket tier (a slow burn on a service rated by its impact): it notifies the team's
    channel and never pages, whatever its severity.
    """

    burn_rate: float
    long_window: Duration
    short_window: Duration
    severity: m.Severity
    pages: bool = True

    @property
    def paging(self) -> bool:
        return self.pages and self.severity.pages


def max_burn_rate(target_percent: float) -> float:
    return 1.0 / (1.0 - target_percent / 100.0)


def budget_consumed(tier: BurnTier, timeframe: str) -> float:
    """Share of the error budget one long window at this burn rate consumes."""
    return tier.burn_rate * tier.long_window.seconds / (TIMEFRAME_DAYS[timeframe] * 86400)


def exhaustion_text(burn_rate: float, timeframe: str) -> str:
    days = TIMEFRAME_DAYS[timeframe] / burn_rate
    return f"at this rate the {TIMEFRAME_DAYS[timeframe]}-day error budget is gone in {human_days(days)}"


PAGE_TIERS = 2  # of the recommended tiers, the fast ones (1h, 6h) page; the slow one (24h) is a ticket


def burn_tiers(
    process: m.Process, slo: m.MetricSlo | m.TimeSliceSlo, service: m.Service | None = None
) -> list[BurnTier]:
    """The SLO's tiers: its own, or the recommended ones rated by what a burn of ``service`` impairs.

    A service with an ``impact`` rates every recommended tier at that severity, the burn speed choosing only page
    or ticket; on a qualitative ladder a service without one is rated at the least severe rung (a burn never
    pages by surprise); on a users/hour ladder the tiers walk down the ladder, fastest at the top.
    """
    by_name = {s.name: s for s in process.severities}
    if slo.alerting.tiers is not None:
        return [BurnTier(t.burn_rate, t.long_window, t.short_window, by_name[t.severity]) for t in slo.alerting.tiers]
    return recommended_tiers(process, slo.timeframe, service.impact if service is not None else None)


def recommended_tiers(process: m.Process, timeframe: str, impact_name: str | None) -> list[BurnTier]:
    """The recommended tiers of a ``timeframe`` on a service rated ``impact_name`` (``burn_tiers``; the OpenSLO
    import compares an exported SLO's policies with them)."""
    ladder = process.severities
    impact = next((s for s in ladder if s.name == impact_name), None)
    if impact is None and process.qualitative:
        impact = ladder[-1]
    return [
        BurnTier(
            rate,
            Duration.parse(long),
            Duration.parse(short),
            impact or ladder[min(i, len(ladder) - 1)],
            pages=impact is None or i < PAGE_TIERS,
        )
        for i, (rate, long, short) in enumerate(RECOMMENDED_TIERS[timeframe])
    ]


def slo_id(slo: m.MetricSlo | m.TimeSliceSlo) -> str:
    """The SLO a burn-rate alert watches: an existing one by id, or (known after apply) the one compiled here."""
    return slo.datadog_slo or ref(f"datadog:slo/{slo.name}")


def slo_depends(slo: m.MetricSlo | m.TimeSliceSlo) -> tuple[str, ...]:
    return () if slo.datadog_slo else (f"datadog:slo/{slo.name}",)


def slo_body(slo: m.MetricSlo | m.TimeSliceSlo, service: m.Service) -> dict[str, Any]:
    threshold: dict[str, Any] = {"timeframe": slo.timeframe, "target": slo.target}
    if slo.warning is not None:
        threshold["warning"] = slo.warning
    body: dict[str, Any] = {
        "name": slo.title or slo.name,
        "description": slo.description or None,
        "type": slo.type,
        "thresholds": [threshold],
        "timeframe": slo.timeframe,
        "target_threshold": slo.target,
        "tags": sorted({f"team:{service.team}", f"service:{service.name}", f"env:{service.environment}", *slo.tags}),
    }
    if slo.warning is not None:
        body["warning_threshold"] = slo.warning
    if isinstance(slo, m.MetricSlo):
        body["query"] = {"numerator": slo.good.strip(), "denominator": slo.total.strip()}
    else:
        body["sli_specification"] = {
            "time_slice": {
                "comparator": slo.comparator,
                "threshold": slo.threshold,
                "query": {
                    "formulas": [{"formula": "query1"}],
                    "queries": [{"data_source": "metrics", "name": "query1", "query": slo.query.strip()}],
                },
                "query_interval_seconds": 60 if slo.slice == "1m" else 300,
            }
        }
    return body


@dataclass(frozen=True)
class InvalidTier:
    """A burn-rate tier Datadog would refuse, and what compile does with it instead.

    ``rate`` is the burn rate compiled in its place (``on_invalid_tier: clamp``), or None when the tier is
    not compiled at all (``error`` or ``drop``). The S5xx rules report it (``compiler.checks.slos``).
    """

    tier: BurnTier
    problem: str
    rate: float | None

    def describe(self, slo: m.MetricSlo | m.TimeSliceSlo) -> str:
        tier = self.tier
        return (
            f"SLO '{slo.name}': burn-rate tier {number(tier.burn_rate)}x ({tier.long_window}/{tier.short_window}): "
            f"{self.problem}" + (f"; clamped to {number(self.rate)}" if self.rate is not None else "")
        )


def _budget_only(tier: BurnTier) -> bool:
    """A slow burn watched over more than Datadog's 48 h burn-rate window is an error-budget question."""
    return tier.long_window.seconds > MAX_LONG_WINDOW and not tier.paging


def _invalid(slo: m.MetricSlo | m.TimeSliceSlo, tier: BurnTier) -> InvalidTier | None:
    rate, ceiling = tier.burn_rate, max_burn_rate(slo.target)
    if not MIN_LONG_WINDOW <= tier.long_window.seconds <= MAX_LONG_WINDOW:
        problem = f"long window {tier.long_window} is outside Datadog's 1h-48h"
    elif rate > ceiling:
        problem = (
            f"burn rate {number(rate)} exceeds the maximum 1/(1-{number(slo.target / 100)}) = {ceiling:.4g} "
            f"for a {number(slo.target)}% target"
        )
    else:
        return None
    in_window = tier.long_window.seconds <= MAX_LONG_WINDOW
    clampable = slo.alerting.on_invalid_tier == "clamp" and rate > ceiling and in_window
    clamped = math.floor(ceiling * 1000) / 1000  # strictly within Datadog's bound
    return InvalidTier(tier, problem, clamped if clampable else None)


def invalid_tiers(
    process: m.Process, slo: m.MetricSlo | m.TimeSliceSlo, service: m.Service | None = None
) -> list[InvalidTier]:
    """The burn-rate tiers of ``slo`` that Datadog would refuse (none while its alerting is off)."""
    if not slo.alerting.enabled:
        return []
    found = (_invalid(slo, tier) for tier in burn_tiers(process, slo, service) if not _budget_only(tier))
    return [invalid for invalid in found if invalid is not None]


def compile_slo(
    process: m.Process,
    slo: m.MetricSlo | m.TimeSliceSlo,
    service: m.Service,
    team: m.Team,
    context: MessageContext | None = None,
) -> list[Resource]:
    """The SLO (unless it exists already) and its burn-rate alerts; nothing Datadog would refuse."""
    context = context or MessageContext()
    resources = [] if slo.datadog_slo else [Resource("datadog", "slo", slo.name, slo_body(slo, service))]
    if not slo.alerting.enabled:
        return resources
    tier_env = tier_of(process, service.environment)
    for tier in burn_tiers(process, slo, service):
        if _budget_only(tier):
            resources.append(
                _budget_alert(process, slo, service=service, team=team, tier=tier, tier_env=tier_env, context=context)
            )
            continue
        invalid = _invalid(slo, tier)
        rate = tier.burn_rate if invalid is None else invalid.rate
        if rate is None:
            continue  # not compiled (the S5xx rules report it)
        resources.append(
            _burn_alert(
                process, slo, service=service, team=team, tier=tier, rate=rate, tier_env=tier_env, context=context
            )
        )
    return resources


def _budget_alert(
    process: m.Process,
    slo: m.MetricSlo | m.TimeSliceSlo,
    *,
    service: m.Service,
    team: m.Team,
    tier: BurnTier,
    tier_env: m.Tier,
    context: MessageContext,
) -> Resource:
    """An error-budget alert standing in for a burn-rate tier whose long window Datadog does not allow."""
    consumed = round(budget_consumed(tier, slo.timeframe) * 100, 2)
    long_w = datadog_window(tier.long_window)
    priority = rate_severity(process, tier_env, tier.severity).priority
    body: dict[str, Any] = {
        "name": f"[{service.title}] {slo.title or slo.name}: {number(consumed)}% of the error budget spent",
        "type": "slo alert",
        "query": f'error_budget("{slo_id(slo)}").over("{slo.timeframe}") > {number(consumed)}',
        "message": "\n".join(
            [
                f"{capitalized(slo.title or slo.name)} has spent more than {number(consumed)}% of its {slo.timeframe} "
                "error budget "
                f"(a {number(tier.burn_rate)}x burn sustained over {tier.long_window}, longer than Datadog's "
                "burn-rate windows allow).",
                f"Severity: {tier.severity.title} ({tier.severity.name}). "
                f"Respond within {tier.severity.response_time}.",
                f"SLO: {context.slo_url(slo_id(slo))}",
                "",
                slack_handle(team.slack.alerts, team.slack.account),
            ]
        ),
        "tags": sorted(
            {
                f"team:{service.team}",
                f"service:{service.name}",
                f"env:{service.environment}",
                f"severity:{tier.severity.name}",
                f"priority:{priority.name.lower()}",
                f"slo:{slo.name}",
            }
        ),
        "priority": priority.datadog_priority,
        "options": {"thresholds": {"critical": float(consumed)}, "include_tags": True, "notify_audit": False},
    }
    return Resource("datadog", "slo_alert", f"{slo.name}.budget-{long_w}", body, slo_depends(slo))


def _burn_alert(
    process: m.Process,
    slo: m.MetricSlo | m.TimeSliceSlo,
    *,
    service: m.Service,
    team: m.Team,
    tier: BurnTier,
    rate: float,
    tier_env: m.Tier,
    context: MessageContext,
) -> Resource:
    """A burn-rate alert routed, re-notified and escalated like a monitor of the same priority."""
    long_w, short_w = datadog_window(tier.long_window), datadog_window(tier.short_window)
    key = f"{slo.name}.burn-{long_w}"
    query = (
        f'burn_rate("{slo_id(slo)}").over("{slo.timeframe}")'
        f'.long_window("{long_w}").short_window("{short_w}") > {number(rate)}'
    )
    rating = rate_severity(process, tier_env, tier.severity)
    severity, priority = rating.severity, rating.priority
    pages = severity.pages and tier.pages and service.pagerduty is not None
    respond = (
        f"Respond within {severity.response_time}"
        + (" (business hours)." if severity.coverage == "business_hours" else ", 24x7.")
        if tier.pages
        else "A slow burn: a ticket for the team in business hours; nobody is paged."
    )
    lines = [
        f"{capitalized(slo.title or slo.name)} ({number(slo.target)}% over {slo.timeframe}) is burning its error "
        f"budget {number(rate)}x too fast over the last {long_w} (and {short_w}).",
        capitalized(exhaustion_text(rate, slo.timeframe)) + ".",
        f"Severity: {severity.title} ({severity.name}), {rating.users_explained}. Priority: {priority.name}.",
        respond,
        f"SLO: {context.slo_url(slo_id(slo))}",
        *([f"Runbook: {service.runbook}"] if service.runbook else []),
        *(declaration_block(process, team, context, declaration_for(process, rating)) if pages else []),
        "",
        *routing_block(
            paging=[pagerduty_handle(service.name)] if pages else [],
            banners=[],
            always=[slack_handle(team.slack.alerts, team.slack.account)],
            no_data_pages=False,
            banner_on_no_data=False,
        ),
    ]
    options: dict[str, Any] = {"thresholds": {"critical": float(rate)}, "include_tags": True, "notify_audit": False}
    if pages:
        options.update(renotify_options(process, declaration_for(process, rating), no_data=False))
    body: dict[str, Any] = {
        "name": f"[{service.title}] {slo.title or slo.name}: burn rate {number(rate)}x over {long_w}",
        "type": "slo alert",
        "query": query,
        "message": "\n".join(lines),
        "tags": sorted(
            {
                f"team:{service.team}",
                f"service:{service.name}",
                f"env:{service.environment}",
                f"severity:{severity.name}",
                f"priority:{priority.name.lower()}",
                f"slo:{slo.name}",
            }
        ),
        "priority": priority.datadog_priority,
        "options": options,
    }
    depends = list(slo_depends(slo))
    if pages:
        depends.append(f"datadog:pagerduty_service_object/{service.name}")
    return Resource("datadog", "slo_alert", key, body, tuple(depends))
