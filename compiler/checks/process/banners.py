"""Process lint, banners: a banner shows what users of a key see, and only on an outage (P1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.compile.messages import group_keys
from compiler.compile.text import number


@set_rule("P109", "warning")
def grouped_banner_monitor(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A banner key is driven by a grouped (multi-alert) monitor

    A monitor grouped `by {...}` alerts as soon as one group crosses the threshold. Driving a banner key with it
    shows the whole key's banner to every user when one group (one CSP) fails.

    Fix: drive the key from an ungrouped monitor, and per-group keys from per-group monitors (filter the query on
    the group).
    """
    for monitor in ctx.definitions.monitors:
        keys = group_keys(monitor.query)
        if monitor.banner_key is None or not keys:
            continue
        yield ctx.finding(
            rule,
            monitor,
            ("banner_key",),
            f"monitor '{monitor.name}' is grouped by {{{', '.join(keys)}}} and drives banner key "
            f"'{monitor.banner_key}': one group alerting raises the '{monitor.banner_key}' banner for all its "
            "users",
            f"drive '{monitor.banner_key}' from an ungrouped monitor; per-group keys from per-group monitors",
        )


@set_rule("P110", "error")
def warning_raises_banner(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A banner monitor's warning would raise the banner

    Users see a downtime banner when a key's status service has an open incident. A monitor's warning is a heads-up
    for the team, not an outage: it must not notify the status service. alertc routes banner handles on alert only;
    an extra `@pagerduty-status-<key>` handle in `notify.handles` defeats that.

    Fix: remove the status handle from notify.handles (banner_key already routes it), or drop the warning.
    """
    for monitor, warning, warnings in ctx.warning_outcomes:
        raised = sorted({k for o in warnings for k in o.banners_raised()})
        if raised:
            yield ctx.finding(
                rule,
                monitor,
                ("thresholds", "warning"),
                f"monitor '{monitor.name}' raises banner {', '.join(raised)} on its warning "
                f"({monitor.comparator} {number(warning)}), before its critical threshold "
                f"{number(monitor.thresholds.critical)}",
                "remove @pagerduty-status-<key> from notify.handles: banner_key routes it on alert only",
            )
