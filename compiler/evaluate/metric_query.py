"""A metric (or query) alert's query evaluated over time, per group, as Datadog documents it.

``time_aggregator(last_<window>):<expression> <comparator> <threshold>``:

* the window's points are reduced to one value by the time aggregator: ``avg``, ``sum``, ``min``, ``max``,
  ``last`` or ``percentile`` (the pNN of the window's points)
  (https://docs.datadoghq.com/monitors/configuration/#aggregation-method,
  https://docs.datadoghq.com/monitors/types/metric/#define-the-metric);
* an expression with arithmetic and at least one ``.as_count()`` term is evaluated on the ``as_count`` path:
  each term is summed over the window first and the arithmetic applied to the sums; every other expression is
  computed point by point and the result aggregated (the ``classic`` path)
  (https://docs.datadoghq.com/monitors/guide/as-count-in-monitor-evaluations/); only ``sum`` may aggregate
  ``.as_count()`` arithmetic;
* ``change(agg(last_W),last_S)`` / ``pct_change(...)`` compare the aggregate of the window with the same
  aggregate ``S`` earlier (https://docs.datadoghq.com/monitors/types/change-alert/);
* ``evaluation_delay`` shifts the window back (https://docs.datadoghq.com/monitors/configuration/#evaluation-delay);
* ``require_full_window`` skips an evaluation unless the window is full: the window is cut into buckets (1 minute
  for a window written in minutes, 10 minutes in hours, 1 hour in days, 4 hours in months), the first bucket must
  hold a point and at most three buckets may be empty
  (https://docs.datadoghq.com/monitors/types/metric/#data-window);
* evaluations run every minute for windows under 24 hours, every 10 minutes up to 48 hours, every 30 minutes beyond
  (https://docs.datadoghq.com/monitors/configuration/#evaluation-frequency).

A window ``last_W`` at evaluation time ``T`` holds the points with ``T - delay - W < t <= T - delay``.
Whatever the evaluator cannot compute raises ``Unsupported`` with the construct named.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from compiler.evaluate.expression import Binary, Call, Group, Metric, Negate, Node, Number, Unknown, metrics_in
from compiler.evaluate.expression import parse as parse_expression
from compiler.evaluate.query import COMPARISON
from compiler.evaluate.scope import ScopeError, parse_scope
from compiler.evaluate.series import ALL, Points, SeriesSet, Unsupported, percentile, reduce

SKIP = "skip"  # the evaluation did not happen (require_full_window): the state stays as it was
Value = float | None | str  # a value, None (no data in the window) or SKIP

_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400}
_BUCKET = {"m": 60, "h": 600, "d": 3600, "w": 3600, "mo": 4 * 3600}
_HEAD = re.compile(
    r"^\s*(?P<agg>avg|sum|min|max|last|percentile)\(last_(?P<n>\d+)(?P<unit>mo|[mhdw])\)\s*:(?P<expr>.*)$", re.S
)
_CHANGE = re.compile(
    r"^\s*(?P<fn>change|pct_change)\(\s*(?P<agg>avg|sum|min|max)\(last_(?P<n>\d+)(?P<unit>mo|[mhdw])\)\s*,"
    r"\s*last_(?P<sn>\d+)(?P<sunit>mo|[mhdw])\s*\)\s*:(?P<expr>.*)$",
    re.S,
)
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


def frequency(window_seconds: int) -> int:
    """Seconds between evaluations for a window (the documented table)."""
    if window_seconds < 24 * 3600:
        return 60
    if window_seconds < 48 * 3600:
        return 600
    return 1800


@dataclass(frozen=True)
class MetricQuery:
    aggregator: str
    window: int  # seconds
    unit: str
    tree: Node
    op: str
    threshold: float
    change: str | None = None  # change | pct_change
    shift: int = 0  # the change alert's comparison window, seconds

    @property
    def as_count_path(self) -> bool:
        terms = metrics_in(self.tree)
        counted = any(any(m.name == "as_count" for m in t.methods) for t in terms)
        return counted and not isinstance(self.tree, Metric)

    @property
    def grouped(self) -> bool:
        return any(t.group_by for t in metrics_in(self.tree))


def parse_metric_query(query: str) -> MetricQuery:
    """The parts of a metric alert's query; raises ``Unsupported`` naming what it cannot evaluate."""
    comparison = COMPARISON.match(query.strip())
    if comparison is None:
        raise Unsupported("a query without a comparison")
    head = comparison.group("expr")
    change = _CHANGE.match(head)
    match = change or _HEAD.match(head)
    if match is None:
        raise Unsupported(f"the time aggregation of '{head.split(':', 1)[0].strip()}'")
    unit = match.group("unit")
    try:
        tree = parse_expression(match.group("expr")).tree
    except Unknown as exc:
        raise Unsupported(f"the expression '{match.group('expr').strip()}' ({exc})") from None
    check_supported(tree)
    shift = int(change.group("sn")) * _UNIT_SECONDS[change.group("sunit")] if change else 0
    parsed = MetricQuery(
        aggregator=match.group("agg"),
        window=int(match.group("n")) * _UNIT_SECONDS[unit],
        unit=unit,
        tree=tree,
        op=comparison.group("op"),
        threshold=float(comparison.group("value")),
        change=change.group("fn") if change else None,
        shift=shift,
    )
    if parsed.as_count_path and parsed.aggregator != "sum":
        raise Unsupported(f"'{parsed.aggregator}' over .as_count() arithmetic (Datadog allows only sum)")
    return parsed


def check_supported(node: Node) -> None:
    if isinstance(node, Number):
        return
    if isinstance(node, Negate):
        check_supported(node.operand)
    elif isinstance(node, Binary):
        check_supported(node.left)
        check_supported(node.right)
    elif isinstance(node, Metric):
        try:
            parse_scope(node.scope)
        except ScopeError as exc:
            raise Unsupported(f"the scope '{{{node.scope}}}' ({exc})") from None
    elif isinstance(node, Call) and node.name == "abs" and len(node.args) == 1 and not node.methods:
        check_supported(node.args[0])
    elif isinstance(node, Call):
        raise Unsupported(f"the function {node.name}()")
    elif isinstance(node, Group):
        raise Unsupported(f"the .{node.methods[0].name}() of a parenthesised expression")
    else:
        raise Unsupported(f"'{node}' in an expression")


# --- values ---------------------------------------------------------------------------------------------

Combined = dict[str, Points] | float


def _apply(op: str, a: float, b: float) -> float | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None  # Datadog drops a point divided by zero
    return a / b


def _pair_groups(left: Iterable[str], right: Iterable[str]) -> list[tuple[str, str, str]]:
    """(result group, left group, right group): same groups match; an ungrouped side applies to every group."""
    lefts, rights = set(left), set(right)
    if lefts == {ALL} and rights != {ALL}:
        return [(g, ALL, g) for g in sorted(rights)]
    if rights == {ALL} and lefts != {ALL}:
        return [(g, g, ALL) for g in sorted(lefts)]
    return [(g, g, g) for g in sorted(lefts & rights)]


def _with_constant(op: str, points: Points, constant: float, *, constant_left: bool) -> Points:
    """``points op constant`` (or ``constant op points``), point by point; a division by zero drops the point."""
    times, values = points
    if op == "/" and not constant_left:
        if constant == 0:
            return [], []
        return list(times), [v / constant for v in values]
    if op == "/":
        kept = [(t, constant / v) for t, v in zip(times, values, strict=True) if v]
        return [t for t, _ in kept], [v for _, v in kept]
    if op == "+":
        return list(times), [v + constant for v in values]
    if op == "*":
        return list(times), [v * constant for v in values]
    if constant_left:
        return list(times), [constant - v for v in values]
    return list(times), [v - constant for v in values]


def _aligned(op: str, left: Points, right: Points) -> Points:
    """``left op right`` at the timestamps both have (one pass when they have the same ones, the usual case)."""
    (lt, lv), (rt, rv) = left, right
    if lt == rt:
        if op == "/":
            kept = [(t, a / b) for t, a, b in zip(lt, lv, rv, strict=True) if b]
            return [t for t, _ in kept], [v for _, v in kept]
        if op == "+":
            return list(lt), [a + b for a, b in zip(lv, rv, strict=True)]
        if op == "-":
            return list(lt), [a - b for a, b in zip(lv, rv, strict=True)]
        return list(lt), [a * b for a, b in zip(lv, rv, strict=True)]
    other = dict(zip(rt, rv, strict=True))
    times, values = [], []
    for t, v in zip(lt, lv, strict=True):
        if t in other and (result := _apply(op, v, other[t])) is not None:
            times.append(t)
            values.append(result)
    return times, values


def combine(node: Node, data: SeriesSet) -> Combined:
    """The classic path: the expression computed at every timestamp its terms share."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Metric):
        return data.term(node)
    if isinstance(node, Negate):
        inner = combine(node.operand, data)
        if isinstance(inner, float):
            return -inner
        return {g: (list(t), [-v for v in vs]) for g, (t, vs) in inner.items()}
    if isinstance(node, Call):  # abs, the only function check_supported lets through
        inner = combine(node.args[0], data)
        if isinstance(inner, float):
            return abs(inner)
        return {g: (list(t), [abs(v) for v in vs]) for g, (t, vs) in inner.items()}
    assert isinstance(node, Binary)
    left, right = combine(node.left, data), combine(node.right, data)
    op = node.op
    if isinstance(left, float) and isinstance(right, float):
        constant_value = _apply(op, left, right)
        if constant_value is None:
            raise Unsupported("a division of constants by zero")
        return constant_value
    if isinstance(left, float):
        return {g: _with_constant(op, p, left, constant_left=True) for g, p in _as_dict(right).items()}
    if isinstance(right, float):
        return {g: _with_constant(op, p, right, constant_left=False) for g, p in left.items()}
    return {group: _aligned(op, left[lg], right[rg]) for group, lg, rg in _pair_groups(left, right)}


def _as_dict(value: Combined) -> dict[str, Points]:
    assert not isinstance(value, float)
    return value


Vector = list[float | None]


def _binary_vector(op: str, left: Vector, right: Vector) -> Vector:
    """One arithmetic operator over two aligned vectors (None where either side, or a division, has no value)."""
    if op == "+":
        return [None if a is None or b is None else a + b for a, b in zip(left, right, strict=True)]
    if op == "-":
        return [None if a is None or b is None else a - b for a, b in zip(left, right, strict=True)]
    if op == "*":
        return [None if a is None or b is None else a * b for a, b in zip(left, right, strict=True)]
    return [None if a is None or not b else a / b for a, b in zip(left, right, strict=True)]


def _vector(node: Node, sums: dict[Metric, dict[str, Vector]], group: str, size: int) -> Vector:
    """The as_count path: the arithmetic over each term's window sums, at every evaluation time at once."""
    if isinstance(node, Number):
        return [node.value] * size
    if isinstance(node, Metric):
        per_group = sums[node]
        found = per_group.get(group, per_group.get(ALL))
        return found if found is not None else [None] * size
    if isinstance(node, Negate):
        return [None if v is None else -v for v in _vector(node.operand, sums, group, size)]
    if isinstance(node, Call):
        return [None if v is None else abs(v) for v in _vector(node.args[0], sums, group, size)]
    assert isinstance(node, Binary)
    return _binary_vector(node.op, _vector(node.left, sums, group, size), _vector(node.right, sums, group, size))


@dataclass
class Evaluated:
    """One value per evaluation time and group, and when each group had data (for No Data)."""

    values: dict[str, list[Value]]
    data_times: dict[str, list[int]]


def _window(times: list[int], end: int, length: int) -> tuple[int, int]:
    return bisect.bisect_right(times, end - length), bisect.bisect_right(times, end)


def _full(times: list[int], end: int, query: MetricQuery) -> bool:
    bucket = _BUCKET[query.unit]
    count = max(1, math.ceil(query.window / bucket))
    start = end - query.window
    filled = [False] * count
    lo, hi = _window(times, end, query.window)
    for t in times[lo:hi]:
        filled[min(count - 1, (t - start - 1) // bucket)] = True
    return filled[0] and filled.count(False) <= 3


def _percentile_rank(query: MetricQuery) -> float:
    terms = metrics_in(query.tree)
    space = terms[0].space if len(terms) == 1 else ""
    if not (space.startswith("p") and space[1:].replace(".", "", 1).isdigit()):
        raise Unsupported("percentile() over a query whose space aggregator is not a single pNN")
    return float(space[1:])


def _reducer(query: MetricQuery, rank: float) -> Callable[[Sequence[float]], float]:
    if query.aggregator == "last":
        return lambda window: window[-1]
    if query.aggregator == "percentile":
        return lambda window: percentile(window, rank)
    if query.aggregator == "avg":
        return _mean
    if query.aggregator == "sum":
        return math.fsum
    how = query.aggregator
    return lambda window: reduce(how, window)


def _positions(ts: list[int], cuts: Sequence[int]) -> list[int]:
    """``bisect_right(ts, cut)`` for every cut: in closed form when samples and cuts are evenly spaced (the usual
    case: a sample and an evaluation every minute), by bisection otherwise."""
    n, m = len(ts), len(cuts)
    if n > 1 and m > 1:
        first, step = ts[0], ts[1] - ts[0]
        stride = cuts[1] - cuts[0]
        regular = step > 0 and ts[-1] == first + (n - 1) * step
        if regular and stride > 0 and stride % step == 0 and cuts[-1] == cuts[0] + (m - 1) * stride:
            start, inc = (cuts[0] - first) // step + 1, stride // step  # position of cut k: start + k * inc
            low = min(m, max(0, -(start // inc)))  # cuts before the first sample: position 0
            high = min(m, max(low, (n - start) // inc + 1))  # cuts past the last sample: position n
            return [0] * low + list(range(start + low * inc, start + high * inc, inc)) + [n] * (m - high)
    right = bisect.bisect_right
    return [right(ts, c) for c in cuts]


def _bounds(ts: list[int], ends: Sequence[int], length: int) -> tuple[list[int], list[int]]:
    """Index ranges of the windows ``(end - length, end]`` over ascending ``ts``, for every end at once."""
    return _positions(ts, [e - length for e in ends]), _positions(ts, ends)


def _windowed(reducer: Callable[[Sequence[float]], float], vs: list[float], lo: list[int], hi: list[int]) -> Vector:
    if (reducer is math.fsum or reducer is _mean) and all(map(float.is_integer, vs)):
        # Whole numbers (counts) add up exactly: prefix sums give each window's sum without re-adding it.
        sums = [0.0, *itertools.accumulate(vs)]
        if reducer is math.fsum:
            return [sums[b] - sums[a] if b > a else None for a, b in zip(lo, hi, strict=True)]
        return [(sums[b] - sums[a]) / (b - a) if b > a else None for a, b in zip(lo, hi, strict=True)]
    fsum = math.fsum
    if reducer is math.fsum:
        return [fsum(vs[a:b]) if b > a else None for a, b in zip(lo, hi, strict=True)]
    if reducer is _mean:
        return [fsum(vs[a:b]) / (b - a) if b > a else None for a, b in zip(lo, hi, strict=True)]
    return [reducer(vs[a:b]) if b > a else None for a, b in zip(lo, hi, strict=True)]


def _mean(window: Sequence[float]) -> float:
    return math.fsum(window) / len(window)


def evaluate(
    query: MetricQuery, data: SeriesSet, times: Sequence[int], *, delay: int = 0, full_window: bool = False
) -> Evaluated:
    """Values of every group at each of ``times`` (seconds from the start)."""
    if query.as_count_path:
        return _evaluate_counts(query, data, times, delay, full_window)
    combined = combine(query.tree, data)
    if isinstance(combined, float):
        raise Unsupported("a query without a metric")
    rank = _percentile_rank(query) if query.aggregator == "percentile" else 0.0
    reducer = _reducer(query, rank)
    ends = [when - delay for when in times]
    values: dict[str, list[Value]] = {}
    for group, (ts, vs) in combined.items():
        now = _windowed(reducer, vs, *_bounds(ts, ends, query.window))
        if query.change is not None:
            before = _windowed(reducer, vs, *_bounds(ts, [e - query.shift for e in ends], query.window))
            now = [None if a is None else _changed(query.change, a, b) for a, b in zip(now, before, strict=True)]
        out: list[Value] = list(now)
        if full_window:
            out = [v if _full(ts, e, query) else SKIP for v, e in zip(out, ends, strict=True)]
        values[group] = out
    return Evaluated(values, _data_times(query, data, set(combined)))


def _changed(fn: str, now: float, before: float | None) -> float | None:
    if before is None:
        return None
    if fn == "change":
        return now - before
    return None if before == 0 else (now - before) / abs(before) * 100


def _evaluate_counts(
    query: MetricQuery, data: SeriesSet, times: Sequence[int], delay: int, full_window: bool
) -> Evaluated:
    terms = list(dict.fromkeys(metrics_in(query.tree)))
    per_term = {term: data.term(term) for term in terms}
    groups = _count_groups(query.tree, per_term)
    data_times = _data_times(query, data, set(groups))
    ends = [when - delay for when in times]
    sums: dict[Metric, dict[str, Vector]] = {
        term: {
            group: _windowed(math.fsum, vs, *_bounds(ts, ends, query.window)) for group, (ts, vs) in by_group.items()
        }
        for term, by_group in per_term.items()
    }
    values: dict[str, list[Value]] = {}
    for group in groups:
        out: list[Value] = list(_vector(query.tree, sums, group, len(ends)))
        if full_window:
            out = [v if _full(data_times[group], e, query) else SKIP for v, e in zip(out, ends, strict=True)]
        values[group] = out
    return Evaluated(values, data_times)


def _count_groups(node: Node, per_term: dict[Metric, dict[str, Points]]) -> list[str]:
    if isinstance(node, Number):
        return [ALL]
    if isinstance(node, Metric):
        return sorted(per_term[node])
    if isinstance(node, Negate):
        return _count_groups(node.operand, per_term)
    if isinstance(node, Call):
        return _count_groups(node.args[0], per_term)
    assert isinstance(node, Binary)
    left = dict.fromkeys(_count_groups(node.left, per_term))
    right = dict.fromkeys(_count_groups(node.right, per_term))
    if isinstance(node.left, Number):
        return list(right)
    if isinstance(node.right, Number):
        return list(left)
    return [g for g, _, _ in _pair_groups(left, right)]


def _data_times(query: MetricQuery, data: SeriesSet, groups: set[str]) -> dict[str, list[int]]:
    """When each group's own terms reported (any of them): No Data counts from the last of these."""
    out: dict[str, set[int]] = {g: set() for g in groups}
    for term in metrics_in(query.tree):
        for group, (ts, _) in data.term(term).items():
            if group in out:
                out[group].update(ts)
    return {g: sorted(ts) for g, ts in out.items()}
