"""Text, markdown and json outputs for a plan and a drift report, sharing the field-change formatter.

Text is for the terminal (Terraform's layout, colour on a TTY); markdown is the
pull-request comment and the drift issue (a ``diff`` block with real ``-``/``+``
lines, a hidden marker a workflow finds its comment by, and a summary when the
whole would not fit in a GitHub comment); json is the saved data itself.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import ClassVar

from compiler.drift import DriftItem, DriftReport
from compiler.notify.plan_section import notification_lines
from compiler.outputs.changes import DRIFT_WORDING, DiffLine, Style, Wording, change_lines, value_lines
from compiler.outputs.color import paint_sign
from compiler.plan import Change, Plan, mask_unknown

GITHUB_COMMENT_LIMIT = 65_536  # characters GitHub accepts in one comment or issue body
_SIGN = {"adopt": "<=", "create": "+", "update": "~", "delete": "-"}


def target_name(target: dict[str, str]) -> str:
    """The target's name for the marker and the heading (``--target NAME``), else ``default``."""
    return target.get("name") or target.get("target") or "default"


def describe_target(target: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(target.items()) if k not in ("name", "target"))


def plan_marker(target: dict[str, str]) -> str:
    """The hidden HTML comment a workflow finds its one plan comment by."""
    return f"<!-- alertc-plan:{target_name(target)} -->"


def drift_marker(target: dict[str, str]) -> str:
    """The hidden HTML comment a workflow finds its one drift issue by."""
    return f"<!-- alertc-drift:{target_name(target)} -->"


def summary_line(plan: Plan) -> str:
    counts = plan.counts()
    adopts = f"{counts['adopt']} to adopt, " if counts["adopt"] else ""
    return f"Plan: {adopts}{counts['create']} to create, {counts['update']} to update, {counts['delete']} to delete."


def adopt_counts(plan: Plan) -> dict[str, int]:
    """Adopts per kind (shown only when a plan has any, so ordinary plans read as before)."""
    per: Counter[str] = Counter()
    for change in plan.changes:
        if change.action == "adopt":
            per[f"{change.provider} {change.kind.replace('_', ' ')}"] += 1
    return dict(per)


def kind_table(plan: Plan) -> list[tuple[str, int, int, int]]:
    per: dict[str, Counter[str]] = {}
    for change in plan.changes:
        per.setdefault(f"{change.provider} {change.kind.replace('_', ' ')}", Counter())[change.action] += 1
    return [(kind, c["create"], c["update"], c["delete"]) for kind, c in sorted(per.items())]


def headline(change: Change) -> str:
    what = f"{change.provider} {change.kind.replace('_', ' ')} {change.key}"
    if change.action == "adopt":
        what = "adopt " + what
    if change.live_id:
        what += f" (id {change.live_id})"
    if change.duplicate_of:
        what += f", a duplicate of id {change.duplicate_of} (same ownership key)"
    if change.name and change.action in ("create", "adopt"):
        what += f"  {json.dumps(change.name, ensure_ascii=False)}"
    return what


def body_lines(change: Change, style: Style) -> Iterator[DiffLine]:
    """A create's full body, or an update's changed fields; a delete has no body."""
    if change.action == "create" and change.desired:
        for key in sorted(change.desired):
            yield from value_lines(key, mask_unknown(change.desired[key]), "+", 0)
    for field in change.fields:
        yield from change_lines(field.path, mask_unknown(field.before), mask_unknown(field.after), style=style)


def drift_lines(item: DriftItem, style: Style, wording: Wording = DRIFT_WORDING) -> Iterator[DiffLine]:
    for field in item.fields:
        yield from change_lines(
            field.path, mask_unknown(field.before), mask_unknown(field.after), style=style, wording=wording
        )


class Output(ABC):
    """One way of printing plans and drift reports."""

    name: ClassVar[str]

    @abstractmethod
    def plan(self, plan: Plan) -> str:
        """The plan, whole."""

    @abstractmethod
    def drift(self, report: DriftReport) -> str:
        """The drift report, whole."""


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
            out.append(self.line(_SIGN[change.action], headline(change)))
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
        if not report.items:
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


def _diff_block(lines: Iterable[str]) -> list[str]:
    return ["```diff", *lines, "```"]


def _md_line(sign: str, text: str, depth: int) -> str:
    """Sign in column 0 so GitHub's diff highlighting sees it; nesting after it."""
    return f"{sign} {'    ' * depth}{text}".rstrip()


class MarkdownOutput(Output):
    """Pull-request comments and drift issues: GitHub-highlighted diffs, a marker, bounded size."""

    name = "markdown"

    def __init__(self, *, limit: int = GITHUB_COMMENT_LIMIT) -> None:
        self.limit = limit

    def plan(self, plan: Plan) -> str:
        head = self._plan_head(plan)
        head = [*head, *self._conflicts(plan)]  # conflicts fail the plan: a reviewer sees them first
        if not plan.changes:
            return "\n".join([*head, "No changes. Live state matches the definitions."]) + "\n"
        body: list[str] = []
        for change in plan.changes:
            if change.action == "update":
                body.append(f"@@ ~ {headline(change)} @@")
            elif change.action == "adopt":
                body.append(f"@@ <= {headline(change)} @@")
            else:
                body.append(_md_line(_SIGN[change.action], headline(change), 0))
            body.extend(_md_line(d.sign, d.text, d.depth + 1) for d in body_lines(change, "pair"))
        details = ["<details open><summary>Changes</summary>", "", *_diff_block(body), "", "</details>"]
        notes = notification_lines(plan)  # issue 13: what a monitor change means for the on-call
        full = "\n".join([*head, *self._table(plan), "", *details, *notes]) + "\n"
        if len(full) <= self.limit:
            return full
        too_long = (
            f"The full plan ({len(full):,} characters) is over GitHub's comment limit: "
            "**full plan in the artifact** (`alertc-plan`; read it with `alertc show plan.json`)."
        )
        return "\n".join([*head, *self._table(plan), "", too_long]) + "\n"

    @staticmethod
    def _plan_head(plan: Plan) -> list[str]:
        name = target_name(plan.target)
        return [
            plan_marker(plan.target),
            f"### alertc plan for `{name}`: {summary_line(plan).removeprefix('Plan: ')}",
            "",
            f"Target `{name}` ({describe_target(plan.target)}) · definitions digest `{plan.definitions_digest}` · "
            f"planned at {plan.created_at}",
            "",
        ]

    @staticmethod
    def _table(plan: Plan) -> list[str]:
        adopts = adopt_counts(plan)
        if adopts:
            return [
                "| kind | adopt | create | update | delete |",
                "|---|---:|---:|---:|---:|",
                *(f"| {k} | {adopts.get(k, 0)} | {c} | {u} | {d} |" for k, c, u, d in kind_table(plan)),
            ]
        return [
            "| kind | create | update | delete |",
            "|---|---:|---:|---:|",
            *(f"| {k} | {c} | {u} | {d} |" for k, c, u, d in kind_table(plan)),
        ]

    @staticmethod
    def _conflicts(plan: Plan) -> list[str]:
        if not plan.conflicts:
            return []
        return [
            f"**{len(plan.conflicts)} conflict(s): the plan fails** (live objects this plan may not take over):",
            "",
            *(f"- `{c.address}`: {c.describe().removeprefix(c.address + ': ')}" for c in plan.conflicts),
            "",
        ]

    def drift(self, report: DriftReport) -> str:
        name = target_name(report.target)
        head = [
            drift_marker(report.target),
            f"### alertc drift on `{name}`: {len(report.items)} object(s) differ, {len(report.unmanaged)} unmanaged",
            "",
            f"Target `{name}` ({describe_target(report.target)}) · checked at {report.created_at}",
            "",
        ]
        if not report.items and not report.conflicts:
            return "\n".join([*head, "No drift."]) + "\n"
        table = ["| object | status | why |", "|---|---|---|"]
        table += [f"| `{i.address}` | {i.status} | {i.cause} |" for i in report.items]
        table += [
            f"| `{c.address}` | conflict | {c.describe().removeprefix(c.address + ': ')} |" for c in report.conflicts
        ]
        body: list[str] = []
        for item in report.items:
            lines = list(drift_lines(item, "pair", Wording()))
            if lines:
                body.append(f"@@ {item.address} @@")
                body.extend(_md_line(d.sign, d.text, d.depth + 1) for d in lines)
        details: list[str] = []
        if body:
            details = [
                "",
                "<details open><summary>Field changes (<code>-</code> live, <code>+</code> definitions)</summary>",
                "",
                *_diff_block(body),
                "",
                "</details>",
            ]
        full = "\n".join([*head, *table, *details]) + "\n"
        if len(full) <= self.limit:
            return full
        too_long = (
            f"The field changes ({len(full):,} characters) are over GitHub's limit: "
            "**full report in the artifact** (`alertc-drift`), or run `alertc drift`."
        )
        return "\n".join([*head, *table, "", too_long]) + "\n"


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
