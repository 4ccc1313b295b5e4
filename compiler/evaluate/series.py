"""Input time series, and what one metric term of a query makes of them.

A test (or the sandbox's metric intake) supplies points per metric and tag set. A metric term such as
``sum:api.hits{env:prod,!status:5*} by {type}.as_count()`` selects the series its scope matches
(``compiler.evaluate.scope``), splits them into groups by the ``by`` tags (a series without one of those tags is
in no group: https://docs.datadoghq.com/monitors/configuration/#multi-alert), applies the in-app modifiers, and
aggregates across the series of a group at each timestamp (space aggregation,
https://docs.datadoghq.com/metrics/#time-and-space-aggregation).

Values are what a series reports per sample: for a count metric, the count in the sample's interval.
``.as_count()`` keeps that count; ``.as_rate()`` divides it by the interval in seconds (a per-second rate)
(https://docs.datadoghq.com/metrics/custom_metrics/type_modifiers/). ``.rollup(method, seconds)`` combines the
points of each ``seconds``-long bucket, aligned on the epoch (https://docs.datadoghq.com/dashboards/functions/rollup/).
A ``pNN`` space aggregator is the nearest-rank percentile of the values of the group's series at a timestamp
(with one series, its value: a test gives a distribution's percentile directly).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from compiler.evaluate.expression import Metric, Node, Number, Word
from compiler.evaluate.scope import parse_scope

Points = tuple[list[int], list[float]]  # ascending timestamps (seconds from the run's start) and their values
ALL = "*"  # the group of an ungrouped query


class Unsupported(ValueError):
    """A construct the evaluator does not compute; the message names it (reported, never guessed)."""


@dataclass(frozen=True)
class Series:
    metric: str
    tags: Mapping[str, str]
    times: Sequence[int]
    values: Sequence[float]
    interval: int = 60  # seconds between samples: what .as_rate() divides a count by


@dataclass
class SeriesSet:
    """Every input series, by metric name; ``start_epoch`` aligns rollup buckets on the epoch."""

    series: Iterable[Series] = ()
    start_epoch: int = 0
    _by_metric: dict[str, list[Series]] = field(default_factory=dict, init=False, repr=False)
    _terms: dict[Metric, dict[str, Points]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for s in self.series:
            self._by_metric.setdefault(s.metric.lower(), []).append(s)

    def metrics(self) -> list[str]:
        return sorted(self._by_metric)

    def term(self, metric: Metric) -> dict[str, Points]:
        """The term's points per group (``*`` when ungrouped), computed once per term."""
        cached = self._terms.get(metric)
        if cached is None:
            cached = self._terms[metric] = self._compute(metric)
        return cached

    def _compute(self, metric: Metric) -> dict[str, Points]:
        scope = parse_scope(metric.scope)
        per_second, rollup = _modifiers(metric)
        groups: dict[str, list[Series]] = defaultdict(list)
        for s in self._by_metric.get(metric.name.lower(), []):
            if not scope.matches(s.tags):
                continue
            if any(tag.lower() not in s.tags for tag in metric.group_by):
                continue
            key = ",".join(f"{tag.lower()}:{s.tags[tag.lower()]}" for tag in metric.group_by) or ALL
            groups[key].append(s)
        out: dict[str, Points] = {}
        for key, members in groups.items():
            points = _space_aggregate(metric.space, members, per_second)
            if rollup is not None:
                points = _rollup(points, rollup[0], rollup[1], self.start_epoch)
            out[key] = points
        return out


def _modifiers(metric: Metric) -> tuple[bool, tuple[str, int] | None]:
    per_second = False
    rollup: tuple[str, int] | None = None
    for method in metric.methods:
        if method.name == "as_count":
            per_second = False
        elif method.name == "as_rate":
            per_second = True
        elif method.name == "rollup":
            rollup = _rollup_args(method.args)
        else:
            raise Unsupported(f"the .{method.name}() modifier")
    return per_second, rollup


def _rollup_args(args: tuple[Node, ...]) -> tuple[str, int]:
    how = "avg"
    seconds = 60
    for arg in args:
        if isinstance(arg, Word) and arg.value in ("avg", "sum", "min", "max", "count"):
            how = arg.value
        elif isinstance(arg, Number) and arg.value > 0:
            seconds = int(arg.value)
        else:
            raise Unsupported(".rollup() with arguments other than a method and a number of seconds")
    return how, seconds


def percentile(values: Sequence[float], rank: float) -> float:
    """Nearest-rank percentile (``rank`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, math.ceil(rank / 100 * len(ordered)) - 1)
    return ordered[min(index, len(ordered) - 1)]


def reduce(how: str, values: Sequence[float]) -> float:
    if how == "sum":
        return math.fsum(values)
    if how == "avg":
        return math.fsum(values) / len(values)
    if how == "min":
        return min(values)
    if how == "max":
        return max(values)
    if how == "count":
        return float(len(values))
    if how.startswith("p") and how[1:].replace(".", "", 1).isdigit():
        return percentile(values, float(how[1:]))
    raise Unsupported(f"the '{how}' aggregator")


def _space_aggregate(how: str, members: list[Series], per_second: bool) -> Points:
    reduce(how, [0.0])  # reject an unknown aggregator even for one series
    if len(members) == 1:
        s = members[0]
        if per_second:
            return list(s.times), [v / s.interval for v in s.values]
        return list(s.times), list(map(float, s.values))
    columns = [[v / s.interval for v in s.values] if per_second else list(map(float, s.values)) for s in members]
    times = list(members[0].times)
    if all(list(s.times) == times for s in members[1:]):  # the usual case: one column per series, same minutes
        return times, [reduce(how, row) for row in zip(*columns, strict=True)]
    at: dict[int, list[float]] = defaultdict(list)
    for s, column in zip(members, columns, strict=True):
        for t, v in zip(s.times, column, strict=True):
            at[t].append(v)
    times = sorted(at)
    return times, [reduce(how, at[t]) for t in times]


def _rollup(points: Points, how: str, seconds: int, start_epoch: int) -> Points:
    buckets: dict[int, list[float]] = defaultdict(list)
    for t, v in zip(*points, strict=True):
        epoch = start_epoch + t
        buckets[epoch - epoch % seconds - start_epoch].append(v)
    times = sorted(buckets)
    return times, [reduce(how, buckets[t]) for t in times]
