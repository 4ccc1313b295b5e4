"""Enough of Datadog's monitor query grammar to reject what the API rejects.

The real service parses every query; a compiler that emits a broken query must
fail against the sandbox exactly as it would in production: missing operator,
unparsable metric query, a critical threshold that disagrees with the query,
a burn-rate alert outside what the SLO allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compiler.sandbox.datadog.common import bad
from compiler.sandbox.errors import ApiError

NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
COMPARISON = re.compile(rf"^(?P<expr>.*?)\s*(?P<op>>=|<=|>|<)\s*(?P<value>{NUMBER})\s*$", re.S)
METRIC = re.compile(
    r"^(?P<agg>avg|sum|min|max|change|pct_change|percentile\(\s*p?\d+\s*\))"
    r"\((?P<window>(?:last|current)_\d*\w+)\)\s*:\s*(?P<body>.+)$",
    re.S,
)
SIMPLE_METRIC = re.compile(
    r"^(avg|sum|min|max)\(last_\d+[mhdw]\):(avg|sum|min|max):[\w.]+\{[^{}]*\}(\s+by\s+\{[^{}]*\})?$"
)
SLO_QUERY = re.compile(
    r'^(?P<fn>burn_rate|error_budget)\("(?P<slo>[^"]+)"\)\.over\("(?P<over>[^"]+)"\)'
    r'(?:\.long_window\("(?P<long>[^"]+)"\)\.short_window\("(?P<short>[^"]+)"\))?$'
)
COMPOSITE_TOKEN = re.compile(r"\s*(\d+|&&|\|\||!|\(|\))")
UNTHRESHOLDED = {"composite", "service check"}


def invalid(detail: str) -> ApiError:
    return bad(f"The value provided for parameter 'query' is invalid: {detail}")


@dataclass
class Parsed:
    expr: str
    op: str | None
    threshold: float | None


def _balanced(text: str) -> bool:
    depth: list[str] = []
    pairs = {")": "(", "}": "{", "]": "["}
    in_quote: str | None = None
    for ch in text:
        if in_quote:
            if ch == in_quote:
                in_quote = None
            continue
        if ch in "\"'":
            in_quote = ch
        elif ch in "({[":
            depth.append(ch)
        elif ch in ")}]" and (not depth or depth.pop() != pairs[ch]):
            return False
    return not depth and in_quote is None


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
    if monitor_type == "service check":
        if ".over(" not in q or "count_by_status()" not in q:
            raise invalid("service check queries need .over(...) and .count_by_status()")
        return Parsed(q, None, None)
    m = COMPARISON.match(q)
    if m is None:
        raise invalid("invalid operator specified: ")
    expr, op, value = m.group("expr"), m.group("op"), float(m.group("value"))
    if monitor_type in ("metric alert", "query alert"):
        mm = METRIC.match(expr)
        if mm is None or not re.search(r"[\w.]+\{[^{}]*\}", mm.group("body")):
            raise invalid(f"unable to parse metric query '{expr}'")
    elif monitor_type == "slo alert":
        if SLO_QUERY.match(expr) is None:
            raise invalid(
                'SLO alert queries are burn_rate("<id>").over(..).long_window(..).short_window(..)'
                ' or error_budget("<id>").over(..)'
            )
    elif "(" not in expr:
        raise invalid(f"unable to parse query '{expr}'")
    return Parsed(expr, op, value)


def is_simple_metric(query: str) -> bool:
    m = COMPARISON.match(query.strip())
    return bool(m and SIMPLE_METRIC.match(m.group("expr")))


def is_multi(query: str) -> bool:
    return bool(re.search(r"\bby\s*\{|\.by\(|\bby\s+\(", query))


def duration_seconds(text: str) -> int | None:
    m = re.fullmatch(r"(\d+)([mhd])", text)
    if m is None:
        return None
    return int(m.group(1)) * {"m": 60, "h": 3600, "d": 86400}[m.group(2)]


def composite_ids(query: str) -> list[int]:
    return [int(t) for t in re.findall(r"\d+", query)]
