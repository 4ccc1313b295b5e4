"""Process lint, the severity ladder against the priority matrix: breakpoints that do not line up (P1xx).

On a users/hour ladder with a users/hour matrix the two tables are read at different points: an explicit
severity stands for its band and is rated at the band's upper edge (``compile.routing``), a declared impact is
rated at its own number. Where a matrix breakpoint falls inside a severity's band, the same severity gives two
priorities: with the SLA's sev2 above 50 users/hour and a matrix column at 100, an impact of 75 users/hour is sev2
but P3, while a monitor that says sev2 is P2, and nothing says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.routing import priority_for
from compiler.definitions import models as m


@dataclass(frozen=True)
class Span:
    """Users/hour from ``low`` to ``high`` (None: and more) that the matrix gives one priority in one tier."""

    low: int
    high: int | None
    priority: str

    def words(self) -> str:
        users = f"{self.low}-{self.high}" if self.high is not None else f"{self.low} and more"
        return f"{self.priority} for {users} users/hour"


def band_spans(process: m.Process, tier: m.Tier, severity: m.Severity) -> list[Span]:
    """The matrix's priorities across the severity's band (above its threshold, up to the next rung's)."""
    index = process.severities.index(severity)
    low = (severity.users_per_hour_above or 0) + 1
    high = process.severities[index - 1].users_per_hour_above if index > 0 else None
    cuts = sorted(
        t for t in process.priority_matrix.users_per_hour_above or [] if t >= low and (high is None or t < high)
    )
    starts = [low, *(t + 1 for t in cuts)]
    ends: list[int | None] = [*cuts, high]
    spans: list[Span] = []
    for start, end in zip(starts, ends, strict=True):
        priority = priority_for(process, tier, start).name
        if spans and spans[-1].priority == priority:
            spans[-1] = Span(spans[-1].low, end, priority)
        else:
            spans.append(Span(start, end, priority))
    return spans


@set_rule("P126", "warning")
def ladder_against_matrix(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A priority-matrix breakpoint falls inside a severity's band

    A severity stated on a monitor or a burn-rate tier is rated at the upper edge of its band of the severity
    ladder; a declared impact is rated at its users/hour. When a matrix column starts inside a band (the SLA's
    sev2 above 50 users/hour, the matrix's column above 100), one severity gives two priorities: 75 users/hour is
    sev2 and P3, an explicit sev2 is P2, silently.

    Fix: put the matrix's users_per_hour_above breakpoints on the ladder's (or the ladder's on the matrix's).
    """
    process = ctx.process
    matrix = process.priority_matrix
    if process.qualitative or matrix.users_per_hour_above is None:
        return
    ladder = sorted({s.users_per_hour_above or 0 for s in process.severities}, reverse=True)
    for severity in process.severities:
        split = []
        for tier in process.tiers:
            spans = band_spans(process, tier, severity)
            if len(spans) > 1:
                split.append(f"{tier.name}: " + ", ".join(span.words() for span in spans))
        if not split:
            continue
        band = band_spans(process, process.tiers[0], severity)
        lowest, top = band[0], band[-1]
        edge = f"up to {top.high}" if top.high is not None else "and more"
        yield ctx.finding(
            rule,
            process,
            ("priority_matrix", "users_per_hour_above"),
            f"severity {severity.name} (more than {lowest.low - 1} users/hour, {edge}) gives two priorities "
            f"in the priority matrix ({'; '.join(split)}): an impact of {lowest.low} users/hour and an explicit "
            f"{severity.name} are rated differently",
            f"use the ladder's breakpoints in priority_matrix.users_per_hour_above: {ladder}",
        )
