"""What the text and markdown outputs share: the output interface, names, headlines, counts and diff lines."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator
from typing import ClassVar

from compiler.drift import DriftItem, DriftReport
from compiler.outputs.changes import DRIFT_WORDING, DiffLine, Style, Wording, change_lines, value_lines
from compiler.plan import Change, Plan, mask_unknown

SIGNS = {"adopt": "<=", "create": "+", "update": "~", "delete": "-"}


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
            per[kind_label(change)] += 1
    return dict(per)


def kind_table(plan: Plan) -> list[tuple[str, int, int, int]]:
    per: dict[str, Counter[str]] = {}
    for change in plan.changes:
        per.setdefault(kind_label(change), Counter())[change.action] += 1
    return [(kind, c["create"], c["update"], c["delete"]) for kind, c in sorted(per.items())]


def kind_label(change: Change) -> str:
    """``datadog monitor``: the provider and the kind, as the tables and headings name it."""
    return f"{change.provider} {change.kind.replace('_', ' ')}"


def headline(change: Change) -> str:
    what = f"{kind_label(change)} {change.key}"
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
