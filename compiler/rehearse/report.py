"""The rehearsal as a team reads it: a timeline in text, or a markdown report with a Mermaid sequence diagram.

The diagram's participants are Datadog's monitors, Slack, PagerDuty, each person paged, the team (asked to declare
an incident) and the sign-in users (the banners); each message is one event at its offset. It is written with
``compiler.diagrams.mermaid``'s rules, and parsed by Mermaid's own parser in ``make diagrams``.
"""

from __future__ import annotations

from compiler.alerttest.expect import offset
from compiler.diagrams.mermaid import block, node_id, plain
from compiler.rehearse.play import Rehearsal

FIXED = {
    "datadog": "Datadog monitors",
    "slack": "Slack",
    "pagerduty": "PagerDuty",
    "team": "The team",
    "banner": "Banner configuration",
    "users": "Sign-in users",
}


def _heading(r: Rehearsal) -> str:
    minutes = r.duration // 60
    return f"Rehearsal '{r.case.test.name}' on target '{r.target}' (0m = {r.start.isoformat()}, {minutes} minutes)"


def _lines(r: Rehearsal) -> list[tuple[int, str]]:
    return [(e.at, e.text) for e in r.sorted_events() if e.text]


def render_text(r: Rehearsal) -> str:
    out = [_heading(r)]
    if r.case.test.description:
        out.append(f"  {r.case.test.description}")
    out += [f"{offset(at):>7}  {text}" for at, text in _lines(r)]
    if not _lines(r):
        out.append("  nothing happened: no monitor notified, nobody was paged, no banner changed")
    return "\n".join(out) + "\n"


def _participant(name: str) -> str:
    return FIXED.get(name) or name


def sequence(r: Rehearsal) -> list[str]:
    """The Mermaid sequence diagram (a fenced block)."""
    events = [e for e in r.sorted_events() if e.source != e.target]
    used: list[str] = []
    for e in events:
        for who in (e.source, e.target):
            if who not in used:
                used.append(who)
    order = [w for w in FIXED if w in used] + [w for w in used if w not in FIXED]
    lines = ["sequenceDiagram"]
    lines += [f"  participant {node_id(w)} as {plain(_participant(w))}" for w in order]
    for e in events:
        lines.append(f"  {node_id(e.source)}->>{node_id(e.target)}: {offset(e.at)} {plain(e.what)}")
    if not events:
        lines.append(f"  Note over {node_id('datadog')}: {plain('nothing happened')}")
    return block(lines)


def render_markdown(r: Rehearsal) -> str:
    out = [f"# {_heading(r)}", ""]
    if r.case.test.description:
        out += [r.case.test.description, ""]
    out += ["| at | what happened |", "|---|---|"]
    out += ["| " + offset(at) + " | " + text.replace("|", "\\|") + " |" for at, text in _lines(r)]
    out += ["", *sequence(r)]
    return "\n".join(out)
