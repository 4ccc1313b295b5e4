"""Process lint, migration: native monitors on services the process covers, so its progress is visible (P1xx)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding


@set_rule("P120", "warning")
def native_monitor_on_a_process_service(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A native Datadog monitor on a service the process covers (migration not finished)

    Native monitors (`datadog_monitors`, as `alertc import` writes them) carry their thresholds, message and routing
    as Datadog has them, so the process (severities, paging, declaration, banners) does not shape them. This notes
    each one on a defined service (its `service` field or a `service:<name>` tag), so the migration's progress is
    visible.

    Fix: rewrite it as a `monitors` entry of that service and delete the native one in the same change (the new
    definition creates a monitor; keep the native key to adopt the same object instead).
    """
    services = set(ctx.services)
    for monitor in ctx.definitions.datadog_monitors:
        tagged = {t.removeprefix("service:") for t in monitor.tags if t.startswith("service:")}
        service = monitor.service if monitor.service in services else next(iter(sorted(tagged & services)), None)
        if service is None:
            continue
        yield ctx.finding(
            rule,
            monitor,
            ("key",),
            f"native monitor '{monitor.key}' is on service '{service}', which has a process: "
            "migrate it to a process-derived monitor",
            f"see `alertc validate --explain {rule.id}`",
        )
