"""Process lint, planned maintenance: the SLA's notice and monthly hours for the team's own systems (P1xx).

Only windows on a dependency key the team implements (a dependency with ``service:``) count: downtime caused by
someone else's system, such as a credential provider's planned maintenance, is outside the team's commitment
(the identity SLA excludes CSP-caused downtime), so its windows are neither limited nor owed a notice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.definitions import models as m
from compiler.definitions.types import WEEKDAYS, Duration


def own_windows(ctx: LintContext) -> list[m.MaintenanceWindow]:
    """The maintenance windows that take down one of the team's own systems."""
    own = {d.key for d in ctx.definitions.dependencies if d.service is not None}
    return [w for w in ctx.definitions.maintenance_windows if own & set(w.dependencies)]


def notice_deadline(announced: datetime, notice: Duration, process: m.Process) -> datetime:
    """The earliest start ``notice`` after ``announced``: business days step over the days outside business hours."""
    if not notice.is_business:
        return announced + timedelta(seconds=notice.seconds)
    local = announced.astimezone(ZoneInfo(process.time_zone))
    days = set(process.business_hours.days)
    counted = 0
    while counted < notice.business_days:
        local += timedelta(days=1)
        if WEEKDAYS[local.weekday()] in days:
            counted += 1
    return local


@set_rule("P123", "warning")
def short_maintenance_notice(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A planned maintenance window is announced later than the process's notice

    The SLA excludes scheduled downtime from the availability commitment only when it is announced ahead (the
    identity SLA: at least 3 business days). A window of the team's own systems without an `announced` time, or
    announced too late, is downtime the team is accountable for. Business days count the process's business-hours
    days in its time zone.

    Fix: announce the window earlier (and record it in `announced`), or move its start past the notice.
    """
    policy = ctx.process.maintenance
    if policy is None or policy.notice is None:
        return
    for window in own_windows(ctx):
        if window.announced is None:
            yield ctx.finding(
                rule,
                window,
                ("name",),
                f"maintenance window '{window.name}' has no announced time; the process asks for {policy.notice} "
                "of notice",
                f"add announced: <when users were told>, at least {policy.notice} before {window.start.isoformat()}",
            )
            continue
        deadline = notice_deadline(window.announced, policy.notice, ctx.process)
        if window.start >= deadline:
            continue
        latest = window.start
        while notice_deadline(latest, policy.notice, ctx.process) > window.start:
            latest -= timedelta(days=1)
        yield ctx.finding(
            rule,
            window,
            ("announced",),
            f"maintenance window '{window.name}' starts {window.start.isoformat()}, less than {policy.notice} after "
            f"it was announced ({window.announced.isoformat()}); with that notice it could start "
            f"{deadline.isoformat()} at the earliest",
            f"announce it by {latest.date().isoformat()} or move it; the SLA counts it as downtime otherwise",
        )


def _month_hours(
    windows: list[m.MaintenanceWindow], zone: ZoneInfo
) -> dict[str, list[tuple[m.MaintenanceWindow, float]]]:
    """Hours of maintenance per calendar month (the process's time zone), a window split at month ends."""
    out: dict[str, list[tuple[m.MaintenanceWindow, float]]] = defaultdict(list)
    for window in sorted(windows, key=lambda w: (w.start, w.name)):
        start, end = window.start.astimezone(zone), window.end.astimezone(zone)
        while start < end:
            month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1, hour=0, minute=0, second=0)
            part_end = min(end, month_end)
            out[f"{start.year:04d}-{start.month:02d}"].append((window, (part_end - start).total_seconds() / 3600))
            start = part_end
    return out


@set_rule("P124", "warning")
def too_much_maintenance(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """Planned maintenance of the team's own systems exceeds the process's hours a month

    The SLA allows a budget of scheduled downtime per calendar month (the identity SLA: at most 4 hours); beyond
    it, maintenance counts against the availability commitment. The windows of a month (in the process's time
    zone, a window crossing a month end split there) are added up; the finding names them and the month.

    Fix: shorten or move a window to another month.
    """
    policy = ctx.process.maintenance
    if policy is None or policy.max_per_month is None:
        return
    allowed = policy.max_per_month.seconds / 3600
    for month, parts in _month_hours(own_windows(ctx), ZoneInfo(ctx.process.time_zone)).items():
        total = sum(hours for _, hours in parts)
        if total <= allowed + 1e-9:
            continue
        listed = ", ".join(f"'{w.name}' {hours:g}h" for w, hours in parts)
        last = parts[-1][0]
        yield ctx.finding(
            rule,
            last,
            ("end",),
            f"planned maintenance in {month} adds up to {total:g}h ({listed}); the process allows "
            f"{policy.max_per_month} a month",
            f"shorten or move windows by {total - allowed:g}h",
        )
