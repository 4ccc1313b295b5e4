"""The README's benchmark table, from benchmark results (JSON objects of ``python -m bench``)."""

from __future__ import annotations

from typing import Any


def _plan_row(r: dict[str, Any]) -> str:
    bound = r["requests_lower_bound"]["total"]
    tf = r["terraform_refresh_lower_bound"]
    return (
        f"| plan {r['workload'].upper()} ({r['objects']:,} objects, no changes) | {r['wall_s']['min']} / "
        f"{r['wall_s']['median']} | {r['requests']['total']:,} (bound {bound:,}) | {r['peak_rss_mb']:.0f} | "
        f"{r['client_cpu_s']} | {r['sandbox_cpu_s']} | {tf['wall_s']} s, {tf['requests']:,} requests |"
    )


def _writes(r: dict[str, Any]) -> str:
    """The writes' own floor, when the result has it (results saved before it was measured do not)."""
    if r.get("writes_floor_s") is None:
        return ""
    return f", writes' floor {r['writes_floor_s']} s = {r['wall_vs_writes_floor']}×"


def _apply_rows(r: dict[str, Any]) -> list[str]:
    first = r["first_plan"]
    return [
        f"| first plan of {r['objects']:,} new monitors | {first['wall_s']['min']} / {first['wall_s']['median']} | "
        f"{first['requests']['total']:,} ({first['validate_requests']:,} validations; validate floor "
        f"{first['validate_floor_s']} s = {first['wall_vs_validate_floor']}×) | {first['peak_rss_mb']:.0f} | | | |",
        f"| apply {r['objects']:,} monitor creates | {r['wall_s']['min']} / {r['wall_s']['median']} | "
        f"{r['requests']['total']:,} (floor {r['floor_s']} s = {r['wall_vs_floor']}×{_writes(r)}; "
        f"{r['http_429']} × 429, "
        f"{r['failed']} failed) | {r['peak_rss_mb']:.0f} | {r['client_cpu_s']} | {r['sandbox_cpu_s']} | |",
    ]


def render_table(results: list[dict[str, Any]]) -> str:
    latency = {r["latency_ms"] for r in results}
    lines = [
        f"Latency {', '.join(f'{v:g}' for v in sorted(latency))} ms per request; wall min / median of the runs.",
        "",
        "| benchmark | wall s (min / median) | requests | peak RSS MB | alertc CPU s | sandbox CPU s "
        "| Terraform refresh bound (computed) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["benchmark"] == "plan":
            lines.append(_plan_row(r))
        else:
            lines += _apply_rows(r)
    return "\n".join(lines)
