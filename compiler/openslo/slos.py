"""OpenSLO SLOs → alertc ``slos`` definitions.

What maps: a ratio indicator with ``Occurrences`` budgeting is a metric SLO (good
and total); a threshold indicator with ``Timeslices`` a time-slice SLO (the
objective's ``op`` and ``value`` are the comparator and threshold,
``timeSliceWindow`` 1m or 5m the slice); a ratio indicator with ``Timeslices`` a
time-slice SLO on good/total against ``timeSliceTarget``. The window must be a
rolling 7d (1w), 30d or 90d, what Datadog SLOs offer. One objective is the target;
a second, higher one becomes Datadog's warning threshold. The ``alertc.dev/``
annotations carry what OpenSLO has no field for (see ``vocabulary``); labels become
Datadog tags ``key:value``.

What does not (each an error with its position): calendar-aligned windows, other
window lengths, ``RatioTimeslices``, composite SLOs, threshold indicators with
``Occurrences``, non-Datadog sources, and v1alpha time slices (v1alpha has no
slice length).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from compiler.checks import openslo as rules
from compiler.compile.slos import recommended_tiers
from compiler.openslo import vocabulary as v
from compiler.openslo.alerting import TierContext, read_tiers
from compiler.openslo.context import ImportContext
from compiler.openslo.documents import Catalog, OpenSloObject
from compiler.openslo.indicators import Indicator, Sources, read_indicator, read_v1alpha_indicator, referenced_sli
from compiler.openslo.report import Attempts, NotImported, Report
from compiler.openslo.services import ServiceOutcome, ServiceResolver, alertc_name, label_values
from compiler.openslo.view import View

DATADOG_SLO_ID = re.compile(r"^[0-9a-f]{32}$")
OWN_TAGS = ("team", "service", "env")  # tags alertc sets on every SLO from its service
INVALID_TIER_ACTIONS = ("error", "drop", "clamp")
V1ALPHA_UNITS = {"Day": 86400, "Week": 7 * 86400}


@dataclass
class SloContext:
    catalog: Catalog
    report: Report
    context: ImportContext
    services: ServiceResolver
    imported: list[OpenSloObject]  # objects (besides the SLO) whose fields became part of an imported SLO


@dataclass
class Objective:
    """The target of an SLO and how each slice is judged (for time slices)."""

    target: float
    warning: float | None = None
    comparator: str | None = None  # threshold indicators
    value: float | None = None
    slice_target: float | None = None
    slice: str | None = None


def _number(view: View, key: str, what: str) -> float | None:
    value = view.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotImported(rules.UNMAPPED_OBJECTIVES, view.at(key), f"{what}: {view.field_name(key)} must be a number")
    return value


def _percent(objective: View, what: str) -> float:
    fraction, percent = _number(objective, "target", what), _number(objective, "targetPercent", what)
    if (fraction is None) == (percent is None):
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            objective.at(),
            f"{what}: an objective has exactly one of target and targetPercent",
        )
    result = v.percent_of(fraction) if fraction is not None else float(percent or 0)
    if not 0 < result < 100:
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            objective.at("target" if fraction is not None else "targetPercent"),
            f"{what}: target {result}% must be above 0% and below 100%",
        )
    return result


def _objective(item: View, indicator: Indicator, timeslices: bool, what: str, report: Report) -> Objective:
    if item.has("indicator") or item.has("indicatorRef"):
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            item.key_at("indicator" if item.has("indicator") else "indicatorRef"),
            f"{what}: composite SLOs (an indicator per objective) are not supported",
            "Datadog SLOs measure one indicator; split the composite into one SLO per objective",
        )
    objective = Objective(_percent(item, what))
    if indicator.shape == "threshold":
        op = item.get("op")
        if op not in v.OPERATORS:
            raise NotImported(
                rules.UNMAPPED_OBJECTIVES, item.at("op"), f"{what}: a threshold objective needs op: lt, lte, gt or gte"
            )
        objective.comparator = v.OPERATORS[op]
        objective.value = _number(item, "value", what)
        if objective.value is None:
            raise NotImported(rules.UNMAPPED_OBJECTIVES, item.at(), f"{what}: a threshold objective needs a value")
    if timeslices:
        seconds = v.shorthand_seconds(item.get("timeSliceWindow"))
        if seconds not in v.SLICES:
            raise NotImported(
                rules.UNMAPPED_OBJECTIVES,
                item.at("timeSliceWindow"),
                f"{what}: timeSliceWindow {item.get('timeSliceWindow')!r} is not supported",
                "Datadog time-slice SLOs use 1m or 5m slices",
            )
        objective.slice = v.SLICES[seconds]
        objective.slice_target = _number(item, "timeSliceTarget", what)
        if indicator.shape == "ratio" and objective.slice_target is None:
            raise NotImported(
                rules.UNMAPPED_OBJECTIVES,
                item.at(),
                f"{what}: timeSliceTarget is missing (a slice is good at this ratio)",
            )
        if indicator.shape == "threshold" and objective.slice_target not in (None, 1):
            report.add(
                rules.FIELD_NOT_IMPORTED,
                item.at("timeSliceTarget"),
                f"{what}: timeSliceTarget {objective.slice_target} is not imported; Datadog judges each slice by "
                "the query's one value for the slice",
            )
    return objective


def _objectives(spec: View, indicator: Indicator, timeslices: bool, what: str, report: Report) -> Objective:
    items = [item for item in spec.items("objectives") if isinstance(item, View)]
    if not items:
        raise NotImported(rules.UNMAPPED_OBJECTIVES, spec.at("objectives"), f"{what}: no objectives")
    if len(items) > 2 or (len(items) == 2 and indicator.shape == "threshold"):
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            spec.at("objectives", 1),
            f"{what}: {len(items)} objectives; a Datadog SLO has one target (and a warning threshold above it)",
        )
    found = [_objective(item, indicator, timeslices, what, report) for item in items]
    if len(found) == 1:
        return found[0]
    low, high = sorted(found, key=lambda o: o.target)
    if (low.slice, low.slice_target) != (high.slice, high.slice_target) or low.target == high.target:
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            spec.at("objectives", 1),
            f"{what}: two objectives that differ in more than their target",
        )
    report.add(
        rules.READ_AS_NEAREST,
        spec.at("objectives", 1),
        f"{what}: the higher objective ({v.alertc_percent(high.target)}) becomes Datadog's warning threshold",
    )
    low.warning = high.target
    return low


def _timeframe(spec: View, what: str, report: Report) -> str:
    windows = [w for w in spec.items("timeWindow") if isinstance(w, View)]
    if not windows:
        report.add(rules.DEFAULT_TAKEN, spec.at(), f"{what}: no timeWindow; the rolling 30d window is used")
        return "30d"
    if len(windows) > 1:
        raise NotImported(
            rules.UNSUPPORTED_WINDOW, spec.at("timeWindow", 1), f"{what}: timeWindow holds exactly one window"
        )
    window = windows[0]
    calendar = window.get("calendar")
    rolling = window.get("isRolling")
    if calendar is not None or rolling is False:
        raise NotImported(
            rules.UNSUPPORTED_WINDOW,
            window.key_at("calendar") if calendar is not None else window.at("isRolling"),
            f"{what}: calendar-aligned windows are not supported",
            "Datadog SLOs use rolling 7d, 30d or 90d windows (isRolling: true)",
        )
    if rolling is None:
        report.add(rules.DEFAULT_TAKEN, window.at(), f"{what}: isRolling is not given; the window is read as rolling")
    return _rolling(v.shorthand_seconds(window.get("duration")), window.get("duration"), window.at("duration"), what)


def _rolling(seconds: int | None, given: object, where: Any, what: str) -> str:
    if seconds not in v.ROLLING_TIMEFRAMES:
        raise NotImported(
            rules.UNSUPPORTED_WINDOW,
            where,
            f"{what}: a rolling window of {given} is not supported",
            "Datadog SLOs use rolling 7d, 30d or 90d windows",
        )
    return v.ROLLING_TIMEFRAMES[seconds]


def _indicator(spec: View, ctx: SloContext, what: str) -> Indicator:
    inline, ref = spec.child("indicator"), spec.get("indicatorRef")
    if inline is not None and ref is not None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, spec.at("indicatorRef"), f"{what}: both indicator and indicatorRef are given"
        )
    sources = Sources(ctx.catalog, ctx.report, ctx.imported)
    if inline is not None:
        metadata = inline.child("metadata")
        if metadata is not None:
            metadata.consume("name")
        return read_indicator(inline, sources, what)
    if ref is not None:
        sli = referenced_sli(ctx.catalog, ref, spec, "indicatorRef", what)
        indicator = read_indicator(sli.view, sources, what)
        ctx.imported.append(sli)
        return indicator
    for index, item in enumerate(spec.items("objectives")):
        if isinstance(item, View) and (item.has("indicator") or item.has("indicatorRef")):
            raise NotImported(
                rules.UNMAPPED_OBJECTIVES,
                spec.at("objectives", index),
                f"{what}: composite SLOs (an indicator per objective) are not supported",
                "Datadog SLOs measure one indicator; split the composite into one SLO per objective",
            )
    raise NotImported(rules.UNMAPPED_INDICATOR, spec.at(), f"{what}: neither indicator nor indicatorRef is given")


# Budgeting methods that do not map to a Datadog SLO: what is said, and the hint (v1, then v1alpha).
RATIO_TIMESLICES = (
    "budgetingMethod RatioTimeslices is not supported",
    "Datadog SLOs count events (Occurrences) or good time slices (Timeslices)",
)
V1ALPHA_TIMESLICES = (
    "v1alpha Timeslices has no slice length, so it does not map unambiguously",
    "rewrite it as openslo/v1 with a timeSliceWindow of 1m or 5m",
)
V1ALPHA_ONLY_RATIO = ("only a v1alpha ratio SLO with Occurrences budgeting maps", None)


def _method_refused(spec: View, what: str, refusal: tuple[str, str | None]) -> NotImported:
    """A ``budgetingMethod`` that does not map to a Datadog SLO, reported at the method."""
    message, hint = refusal
    return NotImported(rules.UNSUPPORTED_WINDOW, spec.at("budgetingMethod"), f"{what}: {message}", hint)


def _budgeting(spec: View, indicator: Indicator | None, what: str, report: Report) -> bool:
    """Whether the SLO counts time slices (else occurrences); with no indicator, only the method itself is checked."""
    method = spec.get("budgetingMethod")
    if method == "RatioTimeslices":
        raise _method_refused(spec, what, RATIO_TIMESLICES)
    if method not in (None, "Occurrences", "Timeslices"):
        raise _method_refused(spec, what, (f"budgetingMethod {method!r} is not one of Occurrences, Timeslices", None))
    shape = indicator.shape if indicator is not None else None
    if method == "Timeslices" or shape is None:
        return bool(method == "Timeslices")
    if shape == "ratio":
        if method is None:
            report.add(
                rules.DEFAULT_TAKEN,
                spec.at(),
                f"{what}: no budgetingMethod; Occurrences is used (good events over all events)",
            )
        return False
    raise NotImported(
        rules.UNSUPPORTED_WINDOW,
        spec.at("budgetingMethod") if method is not None else spec.at(),
        f"{what}: a threshold indicator needs budgetingMethod Timeslices",
        "Datadog judges a threshold per time slice: use Timeslices with a timeSliceWindow of 1m or 5m",
    )


def _body(indicator: Indicator, timeslices: bool, objective: Objective) -> dict[str, Any]:
    if not timeslices:
        return {"type": "metric", "good": indicator.good, "total": indicator.total}
    if indicator.shape == "ratio":
        judged = {"query": f"({indicator.good}) / ({indicator.total})", "comparator": ">=",
                  "threshold": objective.slice_target}  # fmt: skip
    else:
        judged = {"query": indicator.query, "comparator": objective.comparator, "threshold": objective.value}
    return {"type": "time_slice", **judged, "slice": objective.slice}


def _annotations(metadata: View, what: str, report: Report) -> dict[str, Any]:
    """What the ``alertc.dev/`` annotations say; other annotations stay unread (reported as not imported)."""
    annotations = metadata.child("annotations")
    if annotations is None:
        return {}
    out: dict[str, Any] = {}
    warning = annotations.get(v.WARNING)
    if warning is not None:
        try:
            out["warning"] = float(str(warning))
        except ValueError:
            raise NotImported(
                rules.BAD_ANNOTATION, annotations.at(v.WARNING), f"{what}: {v.WARNING} must be a percentage"
            ) from None
    tags = annotations.get(v.TAGS)
    if isinstance(tags, str):
        out["tags"] = [t.strip() for t in tags.split(",") if t.strip()]  # Datadog tags hold no comma
    slo_id = annotations.get(v.DATADOG_SLO)
    if slo_id is not None:
        if not isinstance(slo_id, str) or not DATADOG_SLO_ID.match(slo_id):
            raise NotImported(
                rules.BAD_ANNOTATION, annotations.at(v.DATADOG_SLO), f"{what}: {v.DATADOG_SLO} must be a Datadog SLO id"
            )
        out["datadog_slo"] = slo_id
    action = annotations.get(v.ON_INVALID_TIER)
    if action is not None:
        if action not in INVALID_TIER_ACTIONS:
            raise NotImported(
                rules.BAD_ANNOTATION,
                annotations.at(v.ON_INVALID_TIER),
                f"{what}: {v.ON_INVALID_TIER} is error|drop|clamp",
            )
        out["on_invalid_tier"] = action
    tiers = annotations.get(v.TIERS)
    if tiers is not None:
        if tiers != v.RECOMMENDED:
            raise NotImported(
                rules.BAD_ANNOTATION, annotations.at(v.TIERS), f"{what}: {v.TIERS} is {v.RECOMMENDED} or absent"
            )
        out["recommended"] = True
    description = annotations.get(v.DESCRIPTION)
    if isinstance(description, str):
        out["description"] = description
    return out


def _label_tags(metadata: View, what: str, report: Report) -> list[str]:
    labels = metadata.child("labels")
    tags: list[str] = []
    if labels is None:
        return tags
    for key in list(labels.data):
        values = label_values(labels, key)
        if key in OWN_TAGS:
            report.add(
                rules.FIELD_NOT_IMPORTED,
                labels.key_at(key),
                f"{what}: label {key} is not imported; alertc tags every SLO {key}:<its service's {key}>",
            )
            continue
        tags.extend(f"{key}:{item}" for item in values)
    return tags


def read_slo(obj: OpenSloObject, ctx: SloContext) -> dict[str, Any]:
    """The alertc definition of one OpenSLO SLO (v1 or v1alpha), or NotImported with every reason at once."""
    what = f"SLO '{obj.name}'"
    spec, metadata, report = obj.spec, obj.metadata, ctx.report
    attempts = Attempts()
    name = attempts.run(lambda: alertc_name(obj.name, metadata.at("name"), what, report))
    annotated = attempts.run(lambda: _annotations(metadata, what, report)) or {}
    shape: tuple[Indicator, bool, Objective, str] | None = None
    if obj.version == "v1alpha":
        shape = attempts.run(lambda: _v1alpha(spec, what, report))
    else:
        indicator = attempts.run(lambda: _indicator(spec, ctx, what))
        timeframe = attempts.run(lambda: _timeframe(spec, what, report))
        timeslices = attempts.run(partial(_budgeting, spec, indicator, what, report))
        if indicator is not None and timeslices is not None:
            objective = attempts.run(partial(_objectives, spec, indicator, timeslices, what, report))
            if objective is not None and timeframe is not None:
                shape = indicator, timeslices, objective, timeframe
    attempts.raise_if_any()
    assert name is not None and shape is not None
    service = _service(spec, ctx, what)  # last: a service is only created for an SLO that imports
    indicator, timeslices, objective, timeframe = shape
    definition: dict[str, Any] = {"name": name}
    title = metadata.get("displayName")
    if isinstance(title, str) and title:
        definition["title"] = title
    description = annotated.get("description") or spec.get("description") or indicator.description
    if isinstance(description, str) and description:
        definition["description"] = description
    if indicator.description and description != indicator.description:
        report.add(
            rules.FIELD_NOT_IMPORTED,
            obj.view.at(),
            f"{what}: the SLI's description is not imported (the SLO has its own)",
        )
    definition["service"] = service.name
    definition.update(_body(indicator, timeslices, objective))
    definition["target"] = objective.target
    warning = annotated.get("warning", objective.warning)
    if warning is not None:
        definition["warning"] = warning
    definition["timeframe"] = timeframe
    tags = [*annotated.get("tags", []), *_label_tags(metadata, what, report)]
    if tags:
        definition["tags"] = list(dict.fromkeys(tags))
    if "datadog_slo" in annotated:
        definition["datadog_slo"] = annotated["datadog_slo"]
    alerting = _alerting(spec, ctx, service, (objective.target, timeframe), annotated, what)
    if alerting:
        definition["alerting"] = alerting
    return definition


def _service(spec: View, ctx: SloContext, what: str) -> ServiceOutcome:
    raw = spec.get("service")
    if not isinstance(raw, str) or not raw:
        raise NotImported(
            rules.NOT_AN_OBJECT,
            spec.at("service") if spec.has("service") else spec.at(),
            f"{what}: spec.service is missing",
        )
    return ctx.services.resolve(raw, spec.at("service"))


def _alerting(
    spec: View, ctx: SloContext, service: ServiceOutcome, shape: tuple[float, str], annotated: dict[str, Any], what: str
) -> dict[str, Any]:
    """The SLO's ``alerting``: its policies as tiers, or none when they are the recommended tiers
    (``alertc.dev/tiers: recommended``, as alertc exports them) for its target window and service."""
    target, timeframe = shape
    action = annotated.get("on_invalid_tier")
    tier_context = TierContext(
        ctx.catalog,
        ctx.report,
        ctx.context.severities,
        service.pages,
        ctx.context.channels.get(service.team, ""),
        target,
        action in ("drop", "clamp"),
        what,
        ctx.imported,
        bool(annotated.get("recommended")),
    )
    tiers = read_tiers(spec, tier_context)
    alerting: dict[str, Any] = {"tiers": tiers} if tiers else {"enabled": False}
    if tier_context.recommended and ctx.context.process is not None:
        expected = [
            {"long_window": v.alertc_duration(t.long_window.seconds), "short_window": v.alertc_duration(
                t.short_window.seconds), "burn_rate": t.burn_rate, "severity": t.severity.name}
            for t in recommended_tiers(ctx.context.process, timeframe, service.impact)
        ]  # fmt: skip
        if tiers == expected:
            alerting = {}
        else:
            ctx.report.add(
                rules.READ_AS_NEAREST,
                spec.at("alertPolicies") if spec.has("alertPolicies") else spec.at(),
                f"{what}: the alert policies are not the recommended tiers {v.TIERS} names; they are imported as "
                "the SLO's own tiers",
            )
    if action is not None and action != "error":
        alerting["on_invalid_tier"] = action
    return alerting


def _v1alpha(spec: View, what: str, report: Report) -> tuple[Indicator, bool, Objective, str]:
    objectives = [item for item in spec.items("objectives") if isinstance(item, View)]
    if len(objectives) != 1:
        raise NotImported(
            rules.UNMAPPED_OBJECTIVES,
            spec.at("objectives"),
            f"{what}: a v1alpha SLO maps only with exactly one objective",
        )
    indicator = read_v1alpha_indicator(spec, objectives[0], what, report)
    method = spec.get("budgetingMethod")
    if method == "Timeslices":
        raise _method_refused(spec, what, V1ALPHA_TIMESLICES)
    if method != "Occurrences" or indicator.shape != "ratio":
        raise _method_refused(spec, what, V1ALPHA_ONLY_RATIO)
    objective = Objective(_percent(objectives[0], what))
    windows = [w for w in spec.items("timeWindows") if isinstance(w, View)]
    if len(windows) != 1:
        raise NotImported(
            rules.UNSUPPORTED_WINDOW, spec.at("timeWindows"), f"{what}: timeWindows holds exactly one window"
        )
    window = windows[0]
    if window.get("calendar") is not None or window.get("isRolling") is not True:
        raise NotImported(
            rules.UNSUPPORTED_WINDOW,
            window.at(),
            f"{what}: calendar-aligned windows are not supported",
            "Datadog SLOs use rolling windows",
        )
    unit, count = window.get("unit"), window.get("count")
    seconds = V1ALPHA_UNITS[unit] * count if unit in V1ALPHA_UNITS and type(count) is int else None
    return indicator, False, objective, _rolling(seconds, f"{count} {unit}", window.at(), what)
