"""Datadog's monitor query grammar, parsed only as strictly as Datadog is.

One grammar for the sandbox (which validates monitors as Datadog does) and the evaluator (which computes
them; its metric expressions are the tree of ``compiler.evaluate.expression``). It lives here, outside the
sandbox, because both use it and the evaluator imports nothing from the sandbox.

Principle (compiler/sandbox/README.md): never reject what the real API accepts.
The parser knows the documented grammar of each monitor type:

- metric / query alert: `time_aggr(window):expr comparator number`, where `expr` is
  arithmetic (`+ - * /`, parentheses, numbers) over metric terms
  (`space_aggr:metric{scope} by {tags}.as_count()...`) and function calls
  (`anomalies(...)`, `forecast(...)`, `outliers(...)`, `rollup`, ...), and
  `time_aggr` is `avg|sum|min|max|percentile(..)` or `change|pct_change(agg(window),shift)`;
- service check: `"check".over(...)?.by(...)?.last(n)?.count_by_status()`
  (every link optional, in any order);
- event-v2 / log / APM / RUM / ...: `source("search").index(..).rollup(..).by(..).last(..) op n`,
  and `formula("...").last(..) op n`;
- composite: monitor ids joined by `&&`, `||`, `!` and parentheses;
- SLO alert: `burn_rate("id").over("7d").long_window("1h").short_window("5m") > n` or
  `error_budget("id").over("7d") > n`.

What Datadog documents as invalid is rejected with its text: a thresholded query
without a comparator ("invalid operator specified"), a critical threshold that
disagrees with the query, warning on the wrong side of critical, unbalanced
brackets, an unknown time window, an SLO that does not exist (``QueryError``, whose text is Datadog's). A
query that is well-formed but outside what this parser knows is accepted and recorded (`Parsed.understood`
is False, and a log line says so).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from compiler.evaluate.expression import WINDOW, Unknown
from compiler.evaluate.expression import parse as parse_expression

LOG = logging.getLogger(__name__)

NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
COMPARISON = re.compile(rf"^(?P<expr>.*?)\s*(?P<op>>=|<=|==|!=|>|<)\s*(?P<value>{NUMBER})\s*$", re.S)
SLO_QUERY = re.compile(
    r'^(?P<fn>burn_rate|error_budget)\("(?P<slo>[^"]+)"\)\.over\("(?P<over>[^"]+)"\)'
    r'(?:\.long_window\("(?P<long>[^"]+)"\)\.short_window\("(?P<short>[^"]+)"\))?$'
)
COMPOSITE_TOKEN = re.compile(r"\s*(\d+|&&|\|\||!|\(|\))")
WINDOW_UNITS = {"m", "h", "d", "w", "mo", "y"}
TIME_AGGREGATORS = {"avg", "sum", "min", "max", "percentile", "change", "pct_change"}
# Types whose query carries no comparison: everything else must end in one (recorded: a `log alert`
# query without a comparator is answered "invalid operator specified: ").
UNTHRESHOLDED = {"composite", "service check", "synthetics alert"}


class QueryError(ValueError):
    """Datadog rejects the query; the message is Datadog's own text (the sandbox answers it with a 400)."""


def invalid(detail: str) -> QueryError:
    return QueryError(f"The value provided for parameter 'query' is invalid: {detail}")


@dataclass
class Parsed:
    expr: str
    op: str | None
    threshold: float | None
    understood: bool = True


def _balanced(text: str) -> bool:
    depth: list[str] = []
    pairs = {")": "(", "}": "{", "]": "["}
    in_quote: str | None = None
    escaped = False
    for ch in text:
        if in_quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == in_quote:
                in_quote = None
            continue
        if ch in "\"'":
            in_quote = ch
        elif ch in "({[":
            depth.append(ch)
        elif ch in ")}]" and (not depth or depth.pop() != pairs[ch]):
            return False
    return not depth and in_quote is None


def _check_window(window: str) -> None:
    m = WINDOW.match(window)
    if m is None or m.group("unit") not in WINDOW_UNITS or m.group("n") == "0":
        raise invalid(f"invalid time window '{window}'")


def _metric(expr: str) -> bool:
    """True when the metric query is understood; raises only for what Datadog rejects."""
    head = re.match(r"^\s*(?P<agg>[a-z_]+)\s*\(", expr)
    if head is None or head.group("agg") not in TIME_AGGREGATORS:
        if expr.lstrip().startswith("formula("):
            return _SOURCE_CHAIN.match(expr.strip()) is not None
        raise invalid(f"unable to parse metric query '{expr}'")
    depth, end = 0, -1
    for idx in range(head.end() - 1, len(expr)):
        if expr[idx] == "(":
            depth += 1
        elif expr[idx] == ")":
            depth -= 1
            if depth == 0:
                end = idx
                break
    rest = expr[end + 1 :].lstrip()
    if not rest.startswith(":"):
        raise invalid(f"unable to parse metric query '{expr}'")
    inner = expr[head.end() : end]
    windows = re.findall(r"\b(?:last|next|current)_\w+", inner)
    if not windows:
        raise invalid(f"unable to parse metric query '{expr}': no time window")
    for w in windows:
        _check_window(w)
    try:
        parsed = parse_expression(rest[1:])
    except Unknown:
        return False
    for w in parsed.windows:
        _check_window(w)
    return True


_CHAIN = re.compile(r'^"(?:[^"\\]|\\.)*"(?:\.\w+\((?:"(?:[^"\\]|\\.)*"|[^()"])*\))+$')
_ARG = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^()"'])*"""
_SOURCE_CHAIN = re.compile(rf"^\w[\w-]*\({_ARG}\)(?:\.\w+\({_ARG}\))*$")


def _service_check(q: str) -> bool:
    if _CHAIN.match(q) is None:
        return False
    return "count_by_status" in re.findall(r"\.(\w+)\(", q)


def parse(monitor_type: str, query: str) -> Parsed:
    q = query.strip()
    if not q:
        raise invalid("query is empty")
    if not _balanced(q):
        raise invalid("unbalanced parentheses, braces or quotes")
    if monitor_type == "composite":
        pos = 0
        while pos < len(q):
            m = COMPOSITE_TOKEN.match(q, pos)
            if m is None:
                raise invalid("composite queries may only combine monitor ids with &&, || and !")
            pos = m.end()
        return Parsed(q, None, None)
    m = COMPARISON.match(q)
    if m is None:
        if monitor_type not in UNTHRESHOLDED:
            raise invalid("invalid operator specified: ")
        if monitor_type in ("service check", "synthetics alert"):
            return _recorded(monitor_type, q, Parsed(q, None, None, _service_check(q)))
        return _recorded(monitor_type, q, Parsed(q, None, None, _SOURCE_CHAIN.match(q) is not None))
    expr, op, value = m.group("expr"), m.group("op"), float(m.group("value"))
    if monitor_type in ("metric alert", "query alert"):
        return _recorded(monitor_type, q, Parsed(expr, op, value, _metric(expr)))
    if monitor_type == "slo alert":
        if SLO_QUERY.match(expr) is None:
            raise invalid(
                'SLO alert queries are burn_rate("<id>").over(..).long_window(..).short_window(..)'
                ' or error_budget("<id>").over(..)'
            )
        return Parsed(expr, op, value)
    if monitor_type in ("service check", "synthetics alert"):
        return _recorded(monitor_type, q, Parsed(expr, op, value, _service_check(expr)))
    return _recorded(monitor_type, q, Parsed(expr, op, value, _SOURCE_CHAIN.match(expr) is not None))


def _recorded(monitor_type: str, query: str, parsed: Parsed) -> Parsed:
    if not parsed.understood:
        LOG.info("accepted a %s query outside the known grammar: %s", monitor_type, query)
    return parsed


def is_simple_metric(query: str) -> bool:
    """`avg(last_5m):avg:metric{scope} by {tags} > 1`: what Datadog keeps as a `metric alert`."""
    m = COMPARISON.match(query.strip())
    return bool(
        m
        and re.match(
            r"^(avg|sum|min|max)\(last_\d+[mhdw]\):(avg|sum|min|max):[\w.]+\{[^{}]*\}(\s+by\s+\{[^{}]*\})?$",
            m.group("expr"),
        )
    )


def is_multi(query: str) -> bool:
    return bool(re.search(r"\bby\s*\{|\.by\(|\bby\s+\(", query))


def duration_seconds(text: str) -> int | None:
    m = re.fullmatch(r"(\d+)([mhd])", text)
    if m is None:
        return None
    return int(m.group(1)) * {"m": 60, "h": 3600, "d": 86400}[m.group(2)]


def composite_ids(query: str) -> list[int]:
    return [int(t) for t in re.findall(r"\d+", query)]
