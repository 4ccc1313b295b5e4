"""Text, markdown and json outputs for a plan and a drift report, sharing the field-change formatter.

Text is for the terminal (Terraform's layout, colour on a TTY); markdown is the
pull-request comment and the drift issue (``markdown.py``: a line per changed
object, collapsed diffs, a hidden marker a workflow finds its comment by, and
never over GitHub's size limit); json is the saved data itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.drift import DriftReport
from compiler.outputs.changes import DiffLine
from compiler.outputs.color import paint_sign
from compiler.outputs.markdown import MarkdownOutput
from compiler.outputs.parts import (
    SIGNS,
    Output,
    adopt_counts,
    body_lines,
    describe_target,
    drift_lines,
    headline,
    kind_table,
    summary_line,
    target_name,
)
from compiler.plan import Plan

__all__ = ["OUTPUTS", "JsonOutput", "MarkdownOutput", "Output", "TextOutput", "output_for"]


class TextOutput(Output):
    """The terminal: Terraform's layout; colour only when the caller says the stream is a TTY."""

    name = "text"

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    def line(self, sign: str, text: str, indent: int = 0) -> str:
        rendered = f"{'    ' * indent}{sign} {text}" if sign != " " else f"{'    ' * indent}  {text}"
        rendered = rendered.rstrip()
        return paint_sign(sign, rendered) if self.color else rendered

    def diff(self, lines: Iterable[DiffLine]) -> list[str]:
        return [self.line(d.sign, d.text, d.depth + 1) for d in lines]

    def plan(self, plan: Plan) -> str:
        out = [f"alertc plan for target '{target_name(plan.target)}' ({describe_target(plan.target)})", ""]
        if not plan.changes:
            out.append("No changes. Live state matches the definitions.")
        for change in plan.changes:
            out.append(self.line(SIGNS[change.action], headline(change)))
            out.extend(self.diff(body_lines(change, "arrow")))
        if plan.changes:
            out.append("")
            adopts = adopt_counts(plan)
            for kind, create, update, delete in kind_table(plan):
                adopted = f" <={adopts[kind]}" if kind in adopts else ""
                out.append(f"  {kind:<34} +{create} ~{update} -{delete}{adopted}")
        if plan.conflicts:
            out.append("")
        for conflict in plan.conflicts:
            out.append(f"! conflict: {conflict.describe()}\n    hint: {conflict.hint()}")
        out += ["", summary_line(plan)]
        return "\n".join(out) + "\n"

    def drift(self, report: DriftReport) -> str:
        out = [f"alertc drift for target '{target_name(report.target)}' ({describe_target(report.target)})", ""]
        if not report.has_drift:  # a conflict is drift too: never "No drift" above one
            out.append("No drift: live state matches the definitions.")
        for item in report.items:
            where = f" (id {item.live_id})" if item.live_id else ""
            out.append(f"! {item.address}{where}: {item.status}, {item.cause}")
            out.extend(self.diff(drift_lines(item, "arrow")))
        for conflict in report.conflicts:
            out.append(f"! conflict: {conflict.describe()}")
        if report.unmanaged:
            out += ["", f"Unmanaged live objects ({len(report.unmanaged)}), not managed by this scope:"]
            out += [_unmanaged_line(o) for o in report.unmanaged]
        conflicts = f"; {len(report.conflicts)} conflict(s)" if report.conflicts else ""
        out += ["", f"Drift: {len(report.items)} object(s) differ; {len(report.unmanaged)} unmanaged{conflicts}."]
        return "\n".join(out) + "\n"


def _unmanaged_line(obj: dict[str, str]) -> str:
    owner = f" (owned by {obj['owner']})" if obj.get("owner") else ""
    return f"  {obj['provider']} {obj['kind']} {obj['id']}: {obj['name']}{owner}"


class JsonOutput(Output):
    """The saved data itself: the plan file format, and the drift report format."""

    name = "json"

    def plan(self, plan: Plan) -> str:
        return plan.to_json()

    def drift(self, report: DriftReport) -> str:
        return report.to_json()


OUTPUTS: dict[str, type[Output]] = {cls.name: cls for cls in (TextOutput, MarkdownOutput, JsonOutput)}


def output_for(name: str, *, color: bool = False) -> Output:
    """The output class for a ``--format`` value."""
    if name == TextOutput.name:
        return TextOutput(color=color)
    return OUTPUTS[name]()
