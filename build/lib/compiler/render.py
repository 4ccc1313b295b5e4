"""Plan → text (terminal), markdown (pull-request comment), json (machines).

Rendering is kept apart from planning so that the saved plan, the CI comment
and the terminal show the same data. Text follows Terraform's conventions
(``+`` create, ``~`` update with only the changed fields, ``-`` delete, a
summary per kind) because that is what reviewers already read fluently.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from compiler.plan import Change, Plan, mask_unknown

MARKDOWN_LIMIT = 60_000  # GitHub comments hold 65,536 characters; leave room for the summary
_SIGN = {"create": "+", "update": "~", "delete": "-"}


def _value(value: Any) -> str:
    text = json.dumps(mask_unknown(value), sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 200 else text[:197] + "..."


def _headline(change: Change) -> str:
    what = f"{change.provider} {change.kind.replace('_', ' ')} {change.key}"
    if change.live_id:
        what += f" (id {change.live_id})"
    if change.name and change.action == "create":
        what += f"  {json.dumps(change.name, ensure_ascii=False)}"
    return f"{_SIGN[change.action]} {what}"


def change_lines(change: Change) -> list[str]:
    lines = [_headline(change)]
    if change.action == "create" and change.desired:
        for key in sorted(change.desired):
            lines.append(f"    {key} = {_value(change.desired[key])}")
    for field in change.fields:
        lines.append(f"    {field.path}: {_value(field.before)} -> {_value(field.after)}")
    return lines


def summary_line(plan: Plan) -> str:
    counts = plan.counts()
    return f"Plan: {counts['create']} to create, {counts['update']} to update, {counts['delete']} to delete."


def kind_table(plan: Plan) -> list[tuple[str, int, int, int]]:
    per: dict[str, Counter[str]] = {}
    for change in plan.changes:
        per.setdefault(f"{change.provider} {change.kind.replace('_', ' ')}", Counter())[change.action] += 1
    return [(kind, c["create"], c["update"], c["delete"]) for kind, c in sorted(per.items())]


def target_label(target: dict[str, str]) -> str:
    """``'production' (live: datadoghq.com, https://api.pagerduty.com)``: the name first, then where it points."""
    mode = target.get("mode")
    where = "embedded sandbox" if mode == "embedded" else f"{target.get('datadog')}, {target.get('pagerduty')}"
    return f"'{target.get('name', 'default')}' ({mode + ': ' if mode else ''}{where})"


def render_text(plan: Plan) -> str:
    out: list[str] = []
    out.append(f"alertc plan for target {target_label(plan.target)}")
    out.append("")
    if not plan.changes:
        out.append("No changes. Live state matches the definitions.")
    for change in plan.changes:
        out.extend(change_lines(change))
    if plan.changes:
        out.append("")
        for kind, create, update, delete in kind_table(plan):
            out.append(f"  {kind:<34} +{create} ~{update} -{delete}")
    for conflict in plan.conflicts:
        out.append(
            f"! {conflict.address}: live object {json.dumps(conflict.name)} (id {conflict.live_id}) exists but is not "
            "managed by alertc; it is not taken over. Rename the definition, or adopt the object explicitly."
        )
    out.append("")
    out.append(summary_line(plan))
    return "\n".join(out) + "\n"


def render_markdown(plan: Plan) -> str:
    out = [
        f"### alertc plan for `{plan.target.get('name', 'default')}`: {summary_line(plan).removeprefix('Plan: ')}",
        "",
    ]
    if plan.changes:
        out += ["| kind | create | update | delete |", "|---|---:|---:|---:|"]
        out += [f"| {k} | {c} | {u} | {d} |" for k, c, u, d in kind_table(plan)]
        out.append("")
        body: list[str] = []
        for change in plan.changes:
            body.extend(change_lines(change))
        details = "\n".join(body)
        if len(details) > MARKDOWN_LIMIT:
            details = details[:MARKDOWN_LIMIT].rsplit("\n", 1)[0] + "\n... (truncated; see the JSON plan)"
        out += ["<details><summary>Changes</summary>", "", "```diff", details, "```", "", "</details>"]
    else:
        out.append("No changes.")
    if plan.conflicts:
        out.append("")
        out.append("**Not taken over** (live objects with these names exist but are not managed by alertc):")
        out += [f"- `{c.address}`: {c.name} (id {c.live_id})" for c in plan.conflicts]
    out.append("")
    out.append(f"<sub>definitions digest `{plan.definitions_digest}`, planned at {plan.created_at}</sub>")
    return "\n".join(out) + "\n"


def render_json(plan: Plan) -> str:
    return plan.to_json()


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
