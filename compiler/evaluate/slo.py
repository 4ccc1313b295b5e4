"""SLO alerts: burn rate and error budget, computed from the SLO's own queries.

* A metric SLO's error rate over a period is ``1 - good / total``, with good and total the sums of its numerator and
  denominator queries over the period; a time-slice SLO cuts its query into slices (``query_interval_seconds``,
  one or five minutes), a slice is downtime when its value fails the comparator and threshold, missing data is
  uptime, and with groups a slice is downtime when any group is down; its error rate is the share of downtime
  slices (https://docs.datadoghq.com/service_management/service_level_objectives/metric/,
  https://docs.datadoghq.com/service_management/service_level_objectives/time_slice/).
* Burn rate = error rate / (1 - target). A burn-rate alert is ALERT when the burn rate over the long window *and*
  over the short window are both at or above the threshold
  (https://docs.datadoghq.com/service_management/service_level_objectives/burn_rate/); the value it reports is the
  smaller of the two.
* An error-budget alert compares the share of the budget consumed over the SLO's timeframe, in percent, with its
  threshold (https://docs.datadoghq.com/service_management/service_level_objectives/error_budget/).

Both are evaluated every minute.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compiler.evaluate.expression import Unknown
from compiler.evaluate.expression import parse as parse_expression
from compiler.evaluate.metric_query import OPERATORS, Combined, Evaluated, Value, check_supported, combine
from compiler.evaluate.query import COMPARISON, SLO_QUERY, duration_seconds
from compiler.evaluate.series import ALL, Points, SeriesSet, Unsupported

_TIMEFRAME = re.compile(r"^(\d+)d$")


@dataclass(frozen=True)
class SloQuery:
    function: str  # burn_rate | error_budget
    slo_id: str
    timeframe: str
    long_window: int  # seconds (burn rate)
    short_window: int
    op: str
    threshold: float


def parse_slo_query(query: str) -> SloQuery:
    comparison = COMPARISON.match(query.strip())
    match = SLO_QUERY.match(comparison.group("expr")) if comparison else None
    if comparison is None or match is None:
        raise Unsupported("an SLO alert query that is neither burn_rate() nor error_budget()")
    long_window = duration_seconds(match.group("long") or "") or 0
    short_window = duration_seconds(match.group("short") or "") or 0
    if match.group("fn") == "burn_rate" and not (long_window and short_window):
        raise Unsupported("burn_rate() without long and short windows")
    return SloQuery(
        match.group("fn"),
        match.group("slo"),
        match.group("over"),
        long_window,
        short_window,
        comparison.group("op"),
        float(comparison.group("value")),
    )


def _series(text: str, data: SeriesSet) -> Points:
    """One SLO query's points, its groups summed (an SLO counts all its groups together)."""
    try:
        tree = parse_expression(text).tree
    except Unknown as exc:
        raise Unsupported(f"the SLO query '{text}' ({exc})") from None
    check_supported(tree)
    combined: Combined = combine(tree, data)
    if isinstance(combined, float):
        raise Unsupported(f"the SLO query '{text}' has no metric")
    at: dict[int, float] = {}
    for ts, vs in combined.values():
        for t, v in zip(ts, vs, strict=True):
            at[t] = at.get(t, 0.0) + v
    times = sorted(at)
    return times, [at[t] for t in times]


class Sli:
    """An SLO's error rate over any period ending at any time."""

    def __init__(self, slo: Mapping[str, Any], data: SeriesSet) -> None:
        self.sli_type = str(slo.get("type"))
        if self.sli_type == "metric":
            query = slo.get("query") or {}
            self._good = _prefix(_series(str(query.get("numerator", "")), data))
            self._total = _prefix(_series(str(query.get("denominator", "")), data))
        elif self.sli_type == "time_slice":
            spec = (slo.get("sli_specification") or {}).get("time_slice") or {}
            self.slice = int(spec.get("query_interval_seconds") or 300)
            self._bad = _bad_slices(spec, data, self.slice)
        else:
            raise Unsupported(f"a {self.sli_type} SLO (only metric and time-slice SLOs are computed)")

    def error_rate(self, end: int, length: int) -> float | None:
        if self.sli_type == "metric":
            good, total = _sum(self._good, end, length), _sum(self._total, end, length)
            return None if total <= 0 else max(0.0, 1.0 - good / total)
        starts, bad = self._bad
        lo = bisect.bisect_right(starts, end - length)
        hi = bisect.bisect_right(starts, end - self.slice + 60)  # complete slices only
        slices = max(1, length // self.slice)
        return sum(bad[lo:hi]) / slices


def _prefix(points: Points) -> tuple[list[int], list[float]]:
    times, values = points
    sums = [0.0]
    for v in values:
        sums.append(sums[-1] + v)
    return times, sums


def _sum(prefix: tuple[list[int], list[float]], end: int, length: int) -> float:
    times, sums = prefix
    lo, hi = bisect.bisect_right(times, end - length), bisect.bisect_right(times, end)
    return sums[hi] - sums[lo]


def _bad_slices(spec: Mapping[str, Any], data: SeriesSet, size: int) -> tuple[list[int], list[int]]:
    query = spec.get("query") or {}
    formulas = [f.get("formula") for f in query.get("formulas") or []]
    queries = {q.get("name"): q for q in query.get("queries") or []}
    if len(formulas) != 1 or formulas[0] not in queries:
        raise Unsupported("a time-slice SLO whose formula is not a single query")
    text = str(queries[formulas[0]].get("query", ""))
    try:
        tree = parse_expression(text).tree
    except Unknown as exc:
        raise Unsupported(f"the SLO query '{text}' ({exc})") from None
    check_supported(tree)
    combined = combine(tree, data)
    if isinstance(combined, float):
        raise Unsupported(f"the SLO query '{text}' has no metric")
    good = OPERATORS[str(spec.get("comparator"))]
    threshold = float(spec.get("threshold", 0))
    down: dict[int, int] = {}
    for ts, vs in combined.values():
        slices: dict[int, list[float]] = {}
        for t, v in zip(ts, vs, strict=True):
            slices.setdefault(t - t % size, []).append(v)
        for start, values in slices.items():
            value = math.fsum(values) / len(values)
            down[start] = max(down.get(start, 0), 0 if good(value, threshold) else 1)
    starts = sorted(down)
    return starts, [down[s] for s in starts]


def target_of(slo: Mapping[str, Any], timeframe: str) -> float:
    for threshold in slo.get("thresholds") or []:
        if threshold.get("timeframe") == timeframe:
            return float(threshold["target"])
    raise Unsupported(f"the SLO has no target for timeframe {timeframe}")


def timeframe_seconds(timeframe: str) -> int:
    match = _TIMEFRAME.match(timeframe)
    if match is None:
        raise Unsupported(f"the SLO timeframe '{timeframe}'")
    return int(match.group(1)) * 86400


def evaluate_slo_alert(query: SloQuery, slo: Mapping[str, Any], data: SeriesSet, times: Sequence[int]) -> Evaluated:
    """Per evaluation time: the burn rate (the smaller of long and short) or the budget consumed, in percent."""
    sli = Sli(slo, data)
    budget = 1.0 - target_of(slo, query.timeframe) / 100.0
    values: list[Value] = []
    for when in times:
        if query.function == "burn_rate":
            long_rate = sli.error_rate(when, query.long_window)
            short_rate = sli.error_rate(when, query.short_window)
            if long_rate is None or short_rate is None:
                values.append(None)
                continue
            values.append(min(long_rate, short_rate) / budget)
        else:
            rate = sli.error_rate(when, timeframe_seconds(query.timeframe))
            values.append(None if rate is None else rate / budget * 100.0)
    return Evaluated({ALL: values}, {ALL: list(times)})
