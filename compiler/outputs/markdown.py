"""The markdown plan and drift report: a pull-request comment and a drift issue that stay useful at any size.

GitHub refuses a comment or issue body over 65,536 characters. A plan of a real
account is often larger than that in full (the example's first plan, 65 creates,
is about 106,000 characters), so the comment is built in order of what a reviewer
needs most, each part added while it fits:

1. the marker, the heading with the counts, the target and digest, conflicts, the
   table per kind (always: the workflow finds its comment by the marker);
2. one line per changed object, grouped by kind: its action, its key, and the
   names of the fields an update changes (or a create's name);
3. the on-call notes (what a monitor change means for who is paged);
4. each object's full diff in its own collapsed ``<details>`` block, in plan
   order, as many as fit;
5. a last line naming what is not shown and exactly where it is: the CI kit's
   artifact (``alertc-plan-<target>``) and the file in it.

A change's diff never is cut in the middle: it is shown whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from compiler.drift import DriftItem, DriftReport
from compiler.notify.plan_section import notification_lines
from compiler.outputs.changes import DiffLine, Wording
from compiler.outputs.parts import (
    SIGNS,
    Output,
    adopt_counts,
    body_lines,
    describe_target,
    drift_lines,
    drift_marker,
    headline,
    kind_label,
    kind_table,
    plan_marker,
    summary_line,
    target_name,
)
from compiler.plan import Change, Plan

GITHUB_COMMENT_LIMIT = 65_536  # characters GitHub accepts in one comment or issue body
OPEN_UP_TO = 10  # a plan of at most this many changes, all shown, has its diffs open
_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~"})


def escape(text: str) -> str:
    """Plain text in markdown: every character markdown or HTML could read as syntax is escaped."""
    return text.translate(_MARKDOWN_SPECIAL)


def plan_artifact(target: dict[str, str]) -> str:
    """The artifact the CI kit's plan workflow uploads the saved plan in (``alertc-plan-<target>``)."""
    return f"alertc-plan-{target_name(target)}"


def drift_artifact(target: dict[str, str]) -> str:
    """The artifact the CI kit's drift workflow uploads the report in (``alertc-drift-<target>``)."""
    return f"alertc-drift-{target_name(target)}"


@dataclass
class Budget:
    """Lines of one body that must stay under ``limit`` characters, ``reserve`` of them kept for the last part."""

    limit: int
    reserve: int
    lines: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, block: list[str], *, force: bool = False) -> bool:
        """Add ``block`` whole if it fits (or ``force``); say whether it was added."""
        cost = sum(len(line) + 1 for line in block)
        if not force and self.size + cost > self.limit - self.reserve:
            return False
        self.lines.extend(block)
        self.size += cost
        return True

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _md_line(sign: str, text: str, depth: int) -> str:
    """Sign in column 0 so GitHub's diff highlighting sees it; nesting after it."""
    return f"{sign} {'    ' * depth}{text}".rstrip()


def _diff_block(lines: Iterable[DiffLine], first: str | None = None) -> list[str]:
    return ["```diff", *([first] if first else []), *(_md_line(d.sign, d.text, d.depth + 1) for d in lines), "```"]


def _details(summary: str, body: list[str], *, opened: bool) -> list[str]:
    return [f"<details{' open' if opened else ''}><summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _diff_headline(change: Change) -> str:
    if change.action == "update":
        return f"@@ ~ {headline(change)} @@"
    if change.action == "adopt":
        return f"@@ <= {headline(change)} @@"
    return _md_line(SIGNS[change.action], headline(change), 0)


def object_line(change: Change) -> str:
    """One line per changed object: action, key, id, and what changes (an update's field names, a create's name)."""
    line = f"- `{SIGNS[change.action]}` `{change.key}`"
    if change.live_id:
        line += f" (id {change.live_id})"
    if change.duplicate_of:
        line += f", a duplicate of id {change.duplicate_of}"
    if change.action in ("update", "adopt"):
        names = list(dict.fromkeys(f.path for f in change.fields))
        line += ": " + (", ".join(f"`{n}`" for n in names) if names else "ownership marks only")
    elif change.action == "create" and change.name:
        line += f": {escape(change.name)}"
    return line


def _by_kind(changes: Iterable[Change]) -> Iterator[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(kind_label(change), []).append(change)
    yield from sorted(groups.items())


class MarkdownOutput(Output):
    """Pull-request comments and drift issues: a line per object, collapsed diffs, a marker, bounded size."""

    name = "markdown"

    def __init__(self, *, limit: int = GITHUB_COMMENT_LIMIT) -> None:
        self.limit = limit

    def plan(self, plan: Plan) -> str:
        head = [*self._plan_head(plan), *self._conflicts(plan)]  # conflicts fail the plan: a reviewer sees them first
        if not plan.changes:
            return "\n".join([*head, "No changes. Live state matches the definitions."]) + "\n"
        budget = Budget(self.limit, reserve=600)
        budget.add([*head, *self._table(plan)], force=True)
        groups = list(_by_kind(plan.changes))
        ordered = [change for _, group in groups for change in group]
        listed = self._list_objects(budget, groups)
        budget.add([""])
        notes = notification_lines(plan)  # issue 13: what a monitor change means for the on-call
        notes_shown = not notes or budget.add(notes)
        opened = listed == len(ordered) <= OPEN_UP_TO and self._all_fit(budget, ordered)
        detailed = 0
        for change in ordered[:listed]:
            if change.action == "delete" or budget.add(self._change_block(change, opened=opened)):
                detailed += 1  # a delete has no body: its line says everything
        budget.add(self._footer(plan, len(ordered), listed, detailed, notes_shown), force=True)
        return budget.text()

    @staticmethod
    def _list_objects(budget: Budget, groups: list[tuple[str, list[Change]]]) -> int:
        """One line per changed object under a heading per kind, while they fit; how many were listed."""
        listed = 0
        for kind, group in groups:
            if not budget.add(["", f"**{escape(kind)}** ({len(group)})", ""]):
                return listed
            for change in group:
                if not budget.add([object_line(change)]):
                    return listed
                listed += 1
        return listed

    def _all_fit(self, budget: Budget, changes: list[Change]) -> bool:
        blocks = [self._change_block(change, opened=True) for change in changes if change.action != "delete"]
        return sum(len(line) + 1 for block in blocks for line in block) <= budget.limit - budget.reserve - budget.size

    def _change_block(self, change: Change, *, opened: bool) -> list[str]:
        summary = f"<code>{SIGNS[change.action]} {escape(kind_label(change))} {change.key}</code>"
        return _details(summary, _diff_block(body_lines(change, "pair"), _diff_headline(change)), opened=opened)

    @staticmethod
    def _footer(plan: Plan, total: int, listed: int, detailed: int, notes_shown: bool) -> list[str]:
        if listed == total and detailed == total and notes_shown:
            return []
        where = (
            f"artifact `{plan_artifact(plan.target)}` of this run, file `plan.txt` (the text plan; `plan.json` "
            "is the saved plan: `alertc show plan.json`)"
        )
        missing = []
        if listed < total:
            missing.append(f"{total - listed:,} of {total:,} changes are not listed")
        if detailed < listed:
            missing.append(f"the diffs of {listed - detailed:,} listed changes are not shown")
        if not notes_shown:
            missing.append("the on-call notes are not shown")
        return [
            "",
            f"**Not all of this plan fits in a comment** (GitHub's limit is {GITHUB_COMMENT_LIMIT:,} characters): "
            f"{'; '.join(missing)}. Every change, in full: {where}.",
        ]

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
        budget = Budget(self.limit, reserve=400)
        budget.add([*head, "| object | status | why |", "|---|---|---|"], force=True)
        rows = [
            *(f"| `{i.address}` | {i.status} | {i.cause} |" for i in report.items),
            *(
                f"| `{c.address}` | conflict | {c.describe().removeprefix(c.address + ': ')} |"
                for c in report.conflicts
            ),
        ]
        listed = 0
        for row in rows:
            if not budget.add([row]):
                break
            listed += 1
        diffs = [_drift_lines(item) for item in report.items if item.fields]
        whole = ["", *_details(_DRIFT_SUMMARY, ["```diff", *(line for d in diffs for line in d), "```"], opened=True)]
        shown = 0
        if listed == len(rows) and diffs:
            if budget.add(whole[:-1]):
                shown = len(diffs)
            else:
                for diff in diffs:
                    if not budget.add(["", *_details(_DRIFT_SUMMARY, ["```diff", *diff, "```"], opened=False)[:-1]]):
                        break
                    shown += 1
        if listed < len(rows) or shown < len(diffs):
            missing = []
            if listed < len(rows):
                missing.append(f"{len(rows) - listed:,} of {len(rows):,} objects are not listed")
            if shown < len(diffs):
                missing.append(f"the field changes of {len(diffs) - shown:,} objects are not shown")
            budget.add(
                [
                    "",
                    f"**Not all of this report fits in an issue** (GitHub's limit is {GITHUB_COMMENT_LIMIT:,} "
                    f"characters): {'; '.join(missing)}. The whole report: artifact `{drift_artifact(report.target)}` "
                    "of this run, file `drift.json`, or run `alertc drift`.",
                ],
                force=True,
            )
        return budget.text()


def _drift_lines(item: DriftItem) -> list[str]:
    return [
        f"@@ {item.address} @@",
        *(_md_line(d.sign, d.text, d.depth + 1) for d in drift_lines(item, "pair", Wording())),
    ]


_DRIFT_SUMMARY = "Field changes (<code>-</code> live, <code>+</code> definitions)"
