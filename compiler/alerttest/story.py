"""The timeline of a played test, as a team would live it: what the monitors did, who heard, what users saw."""

from __future__ import annotations

from dataclasses import dataclass

from compiler.alerttest.expect import offset
from compiler.alerttest.scenario import Played
from compiler.compile.messages import DECLARATION_PROMPT
from compiler.evaluate.series import ALL

_LABEL = {"ok": "OK", "warn": "WARN", "alert": "ALERT", "no data": "NO DATA"}


@dataclass(frozen=True)
class Line:
    time: int
    text: str

    def render(self) -> str:
        return f"{offset(self.time):>7}  {self.text}"


def _value(value: float | None) -> str:
    return "" if value is None else f" (value {value:.4g})"


def story(played: Played) -> list[Line]:
    timeline, world = played.timeline, played.world
    lines: list[Line] = []
    for key, run in sorted(timeline.monitors.items()):
        if run.unmatched:
            missing = ", ".join(run.unmatched)
            lines.append(Line(0, f"{key}: part of its query has no series, so it has no value: {missing}"))
        for group, history in sorted(run.groups.items()):
            name = key if group == ALL else f"{key} {{{group}}}"
            for e in history.events:
                if e.cause == "transition":
                    text = f"{name}: {_LABEL[e.before]} → {_LABEL[e.after]}{_value(e.value)}"
                elif e.cause == "renotify":
                    text = f"{name}: still {_LABEL[e.after]}, re-notification"
                else:
                    text = f"{name}: downtime ended while {_LABEL[e.after]}"
                if e.silenced_by is not None:
                    text += f" — silenced ({e.silenced_by})"
                lines.append(Line(e.time, text))
    for note in timeline.notifications:
        prompt = " — asks for an incident declaration" if DECLARATION_PROMPT in note.text else ""
        lines.append(Line(note.time, f"  {note.monitor} notifies {' '.join(note.handles) or 'nobody'}{prompt}"))
    for note, handle in timeline.unrouted:
        lines.append(Line(note.time, f"  {handle}: no PagerDuty service object has this name; nothing is sent"))
    for event, why in timeline.pagerduty.dropped:
        service = world.services[event.service_id].key if event.service_id in world.services else event.service_id
        lines.append(Line(event.time, f"PagerDuty {service}: {event.action} from {event.source} dropped: {why}"))
    for incident in timeline.pagerduty.incidents:
        service = world.services[incident.service_id].key
        for when, what in incident.history:
            lines.append(Line(when, f"PagerDuty {service} #{incident.number}: {what}"))
    for page in timeline.pagerduty.pages:
        service = world.services[page.service_id].key
        lines.append(
            Line(page.time, f"page {world.person(page.person)} ({page.urgency} urgency) via {service} #{page.incident}")
        )
    lines += _banner_lines(played)
    for issue in timeline.issues:
        lines.append(Line(0, f"not evaluated: {issue.describe()}"))
    return sorted(lines, key=lambda line: line.time)


def _banner_lines(played: Played) -> list[Line]:
    if played.banner_config is None:
        return []
    out: list[Line] = []
    for method in sorted(played.banner_config.auth_methods):
        shown = "none"
        for when in range(0, played.duration + 1, 60):
            now = played.shown(method, when)
            if now != shown:
                out.append(Line(when, f"banner for '{method}' users: {shown} → {now}"))
                shown = now
    return out
