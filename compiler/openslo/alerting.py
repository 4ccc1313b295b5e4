"""OpenSLO alert policies → alertc burn-rate tiers.

An ``AlertPolicy`` has one ``AlertCondition``; a ``burnrate`` condition becomes
one tier: ``threshold`` is the burn rate, ``lookbackWindow`` Datadog's long
window and ``alertAfter`` its short window (how long the burn must last; absent,
a twelfth of the long window, Datadog's recommended ratio). The condition's
``severity`` names a rung of the process's ladder; the usual words (``page``,
``ticket``, ...) map to the most severe rung that pages, or that does not.

Who is notified is the process's business in alertc (the team's Slack channel,
and PagerDuty when the severity pages), so notification targets are checked
against that routing rather than copied: a target the routing does not reach is
reported. A tier Datadog would reject is an error unless the SLO's
``alertc.dev/on-invalid-tier`` says to drop or clamp it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from compiler.checks import openslo as rules
from compiler.compile.slos import MAX_LONG_WINDOW, MIN_LONG_WINDOW, max_burn_rate
from compiler.compile.text import number
from compiler.openslo import vocabulary as v
from compiler.openslo.documents import Catalog, OpenSloObject
from compiler.openslo.report import NotImported, Report
from compiler.openslo.view import View

PAGE_WORDS = frozenset(("page", "pager", "paging", "critical", "crit", "high", "urgent", "emergency", "p1", "sev1"))
TICKET_WORDS = frozenset(("ticket", "warning", "warn", "low", "medium", "info", "notify", "notification", "p2", "p3"))
PAGING_TARGETS = frozenset(("pagerduty", "pager", "pagerduty-service", "pd"))
SLACK_TARGETS = frozenset(("slack",))
CHANNEL = re.compile(r"#[a-z0-9][a-z0-9._-]*")


@dataclass(frozen=True)
class Rung:
    """A severity of the process, as the tiers need it."""

    name: str
    pages: bool


@dataclass
class TierContext:
    """What mapping the tiers of one SLO needs to know."""

    catalog: Catalog
    report: Report
    severities: list[Rung]  # most severe first
    service_pages: bool  # the SLO's service has PagerDuty routing
    channel: str  # the team's Slack alerts channel
    target: float  # percent
    keep_invalid: bool  # the SLO says drop or clamp: alertc handles invalid tiers itself
    what: str
    imported: list[OpenSloObject]  # objects that became part of the SLO (their unread fields are reported)
    recommended: bool = False  # alertc.dev/tiers: recommended (a ticket tier keeps its severity and pages nobody)


def _resolve(item: View | Any, parent: View, index: int, kind: str, ref_key: str, ctx: TierContext) -> View:
    """An inline object, or the one a ``<x>Ref`` (or a bare name) points to; NotImported if it dangles."""
    ref: object = item
    where = parent.at(index)
    if isinstance(item, View):
        if not item.has(ref_key):
            item.consume("kind", "apiVersion")
            metadata = item.child("metadata")
            if metadata is not None:
                metadata.consume("name")  # an inline object's name only identifies it
            if item.get("kind") not in (None, kind) or item.child("spec") is None:
                raise NotImported(
                    rules.UNMAPPED_ALERTING,
                    where,
                    f"{ctx.what}: expected {ref_key} or an inline {kind} (kind, metadata, spec)",
                )
            return item
        ref = item.get(ref_key)
        where = item.at(ref_key)
    found = ctx.catalog.find(kind, ref)
    if found is None:
        raise NotImported(
            rules.DANGLING_REFERENCE, where, f"{ctx.what}: {v.dangling(ref_key, ref, kind)} among the documents"
        )
    found.used = True
    if found not in ctx.imported:
        ctx.imported.append(found)
    return found.view


def rung_for(severity: object, where: View, ctx: TierContext) -> Rung:
    """The process severity an AlertCondition's ``severity`` means."""
    by_name = {r.name: r for r in ctx.severities}
    if isinstance(severity, str) and severity in by_name:
        return by_name[severity]
    word = severity.strip().lower() if isinstance(severity, str) else ""
    names = ", ".join(by_name)
    if word in PAGE_WORDS or word in TICKET_WORDS:
        wants_page = word in PAGE_WORDS
        matching = [r for r in ctx.severities if r.pages == wants_page]
        rung = matching[0] if matching else ctx.severities[0 if wants_page else -1]
        ctx.report.add(
            rules.READ_AS_NEAREST,
            where.at("severity"),
            f"{ctx.what}: severity '{severity}' is not a severity of the process; read as '{rung.name}' "
            f"(the most severe that {'pages' if rung.pages else 'does not page'})",
            f"name one of the process's severities: {names}",
        )
        return rung
    raise NotImported(
        rules.UNMAPPED_ALERTING,
        where.at("severity"),
        f"{ctx.what}: severity {severity!r} is not a severity of the process",
        f"name one of: {names}",
    )


def _check_targets(policy: View, rung: Rung, ctx: TierContext) -> None:
    """Report notification targets the process's routing does not reach (routing itself is not imported).

    A Slack target is the team's alerts channel; one that names another channel
    (``#name`` in its displayName or description) is reported. A PagerDuty target
    agrees when the tier pages. Any other target is reported as not imported.
    """
    targets = policy.items("notificationTargets")
    wants_page = False
    for index, item in enumerate(targets):
        target = _resolve(item, policy, index, "AlertNotificationTarget", "targetRef", ctx)
        target.consume("kind", "apiVersion")
        metadata, spec = target.child("metadata") or target, target.child("spec")
        kind = spec.get("target") if spec is not None else None
        name = metadata.get("name")
        word = kind.strip().lower() if isinstance(kind, str) else ""
        where = spec.at("target") if spec is not None else target.at()
        if word in PAGING_TARGETS:
            wants_page = True
            if not (rung.pages and ctx.service_pages):
                why = (
                    f"severity '{rung.name}' does not page"
                    if not rung.pages
                    else "the service has no PagerDuty routing (services[].pagerduty)"
                )
                ctx.report.add(
                    rules.ROUTING_DIFFERS, where, f"{ctx.what}: target '{name}' ({kind}) will not be paged: {why}"
                )
        elif word in SLACK_TARGETS:
            texts = [metadata.get("displayName"), spec.get("description") if spec is not None else None]
            named = {c for text in texts if isinstance(text, str) for c in CHANNEL.findall(text)}
            if named - {ctx.channel}:
                ctx.report.add(
                    rules.ROUTING_DIFFERS,
                    where,
                    f"{ctx.what}: target '{name}' names {', '.join(sorted(named))}; burn-rate alerts go to the "
                    f"team's alerts channel {ctx.channel}",
                )
        else:
            target.consume("metadata", "spec")  # one finding says it all
            ctx.report.add(
                rules.ROUTING_DIFFERS,
                where,
                f"{ctx.what}: notification target '{name}' ({kind}) is not imported",
                "alertc sends burn-rate alerts to the team's Slack alerts channel, and pages through PagerDuty "
                "when the severity pages",
            )
    if rung.pages and ctx.service_pages and targets and not wants_page and not ctx.recommended:
        ctx.report.add(
            rules.ROUTING_DIFFERS,
            policy.at("notificationTargets"),
            f"{ctx.what}: the tier pages through PagerDuty (severity '{rung.name}' pages), "
            "though no target of the policy is PagerDuty",
        )


def _windows(condition: View, ctx: TierContext) -> tuple[int, int]:
    long_seconds = v.shorthand_seconds(condition.get("lookbackWindow"))
    if long_seconds is None:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("lookbackWindow"),
            f"{ctx.what}: lookbackWindow {condition.get('lookbackWindow')!r} is not a duration in minutes, hours, "
            "days or weeks",
        )
    raw_after = condition.get("alertAfter")
    after = v.shorthand_seconds(raw_after)
    if _is_zero(raw_after):
        after = max(60, long_seconds // 12 // 60 * 60)
        ctx.report.add(
            rules.DEFAULT_TAKEN,
            condition.at("alertAfter") if condition.has("alertAfter") else condition.at(),
            f"{ctx.what}: no alertAfter; Datadog's short window is {v.alertc_duration(after)}, a twelfth of the "
            "lookback window",
            "alertAfter becomes Datadog's short window; set it to choose",
        )
    if after is None:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("alertAfter"),
            f"{ctx.what}: alertAfter {raw_after!r} is not a duration",
        )
    if after >= long_seconds:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("alertAfter"),
            f"{ctx.what}: alertAfter ({raw_after}) must be shorter than lookbackWindow "
            f"({condition.get('lookbackWindow')}): they become Datadog's short and long windows",
        )
    return long_seconds, after


def _is_zero(value: object) -> bool:
    """An absent ``alertAfter`` or one of no length (``0m``; the specification's default)."""
    if value is None or (type(value) is int and value == 0):
        return True
    return isinstance(value, str) and value.rstrip("smhdwMQY").strip("0") == "" and value[:1] == "0"


def _tier(policy_object: View, ctx: TierContext) -> dict[str, Any]:
    policy = policy_object.child("spec")
    if policy is None:
        raise NotImported(rules.UNMAPPED_ALERTING, policy_object.at(), f"{ctx.what}: the alert policy has no spec")
    if policy.get("alertWhenBreaching") is False:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            policy.at("alertWhenBreaching"),
            f"{ctx.what}: a policy that does not alert when breaching is not supported",
            "Datadog burn-rate alerts fire while the budget burns too fast",
        )
    if policy.get("alertWhenResolved") is False:
        ctx.report.add(
            rules.FIELD_NOT_IMPORTED,
            policy.at("alertWhenResolved"),
            f"{ctx.what}: alertWhenResolved: false is not imported; alertc notifies recoveries too",
        )
    if policy.get("alertWhenNoData") is True:
        ctx.report.add(
            rules.FIELD_NOT_IMPORTED,
            policy.at("alertWhenNoData"),
            f"{ctx.what}: alertWhenNoData: true is not imported; Datadog SLO alerts have no No Data notification",
        )
    conditions = policy.items("conditions")
    if len(conditions) != 1:
        raise NotImported(
            rules.UNMAPPED_ALERTING, policy.at("conditions"), f"{ctx.what}: an alert policy has exactly one condition"
        )
    condition_object = _resolve(conditions[0], policy, 0, "AlertCondition", "conditionRef", ctx)
    condition_spec = condition_object.child("spec")
    condition = condition_spec.child("condition") if condition_spec is not None else None
    if condition_spec is None or condition is None:
        raise NotImported(
            rules.UNMAPPED_ALERTING, condition_object.at(), f"{ctx.what}: the alert condition has no spec.condition"
        )
    kind = condition.get("kind")
    if kind not in (None, "burnrate"):
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("kind"),
            f"{ctx.what}: condition kind '{kind}' is not supported (burnrate)",
        )
    op = condition.get("op")
    if op in ("lt", "lte"):
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("op"),
            f"{ctx.what}: op {op} alerts while the budget burns slower than the threshold",
            "Datadog burn-rate alerts fire when the burn rate is above the threshold (op: gt)",
        )
    if op == "gte":
        ctx.report.add(
            rules.READ_AS_NEAREST,
            condition.at("op"),
            f"{ctx.what}: op gte is read as gt (Datadog alerts above the burn rate)",
        )
    elif op != "gt":
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("op") if condition.has("op") else condition.at(),
            f"{ctx.what}: op must be gt",
        )
    rate = condition.get("threshold")
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
        raise NotImported(
            rules.UNMAPPED_ALERTING, condition.at("threshold"), f"{ctx.what}: threshold must be a burn rate above 0"
        )
    long_seconds, short_seconds = _windows(condition, ctx)
    rung = rung_for(condition_spec.get("severity"), condition_spec, ctx)
    if rung.pages and not ctx.service_pages and not ctx.recommended:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition_spec.at("severity"),
            f"{ctx.what}: severity '{rung.name}' pages, but the service has no PagerDuty routing: the tier would "
            "page nobody",
            "route the service to PagerDuty (services[].pagerduty), or name a severity that does not page",
        )
    _check_datadog_limits(condition, float(rate), long_seconds, rung, ctx)
    _check_targets(policy, rung, ctx)
    return {
        "long_window": v.alertc_duration(long_seconds),
        "short_window": v.alertc_duration(short_seconds),
        "burn_rate": rate,
        "severity": rung.name,
    }


def _check_datadog_limits(condition: View, rate: float, long_seconds: int, rung: Rung, ctx: TierContext) -> None:
    if ctx.keep_invalid or (long_seconds > MAX_LONG_WINDOW and not rung.pages):
        return  # alertc drops or clamps it itself; a slow non-paging burn becomes an error-budget alert
    if not MIN_LONG_WINDOW <= long_seconds <= MAX_LONG_WINDOW:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("lookbackWindow"),
            f"{ctx.what}: lookbackWindow {condition.get('lookbackWindow')} is outside Datadog's 1h-48h long window",
        )
    ceiling = max_burn_rate(ctx.target)
    if rate > ceiling:
        raise NotImported(
            rules.UNMAPPED_ALERTING,
            condition.at("threshold"),
            f"{ctx.what}: burn rate {number(rate)} exceeds the maximum {ceiling:.4g} Datadog allows for a "
            f"{number(ctx.target)}% target",
        )


def read_tiers(spec: View, ctx: TierContext) -> list[dict[str, Any]]:
    """The tiers of an SLO's ``alertPolicies``; a policy that cannot be imported is an error, the rest stay."""
    tiers: list[dict[str, Any]] = []
    windows: dict[str, str] = {}
    for index, item in enumerate(spec.items("alertPolicies")):
        mark = len(ctx.imported)
        try:
            policy = _resolve(item, spec, index, "AlertPolicy", "alertPolicyRef", ctx)
            name = (policy.child("metadata") or policy).get("name")
            tier = _tier(policy, ctx)
        except NotImported as problem:
            ctx.report.not_imported(problem)
            del ctx.imported[mark:]  # a policy left out: its unread fields are not worth reporting
            spec.consume_at("alertPolicies", index)
            continue
        if tier["long_window"] in windows:
            ctx.report.add(
                rules.UNMAPPED_ALERTING,
                spec.at("alertPolicies", index),
                f"{ctx.what}: alert policy '{name}' has the lookback window of '{windows[tier['long_window']]}' "
                f"({tier['long_window']}); it is not imported",
                "alertc names burn-rate alerts by their long window: one tier per window",
            )
            del ctx.imported[mark:]
            spec.consume_at("alertPolicies", index)
            continue
        windows[tier["long_window"]] = str(name)
        tiers.append(tier)
    return tiers
