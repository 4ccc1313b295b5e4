"""Monitors evaluated on the sandbox clock, and what follows made visible through the APIs.

Every time the sandbox is read (a GET) after its inputs or its clock changed, the whole story is replayed with
``compiler.evaluate.run`` from the first submitted point (at most ``HORIZON`` back) to the clock: every monitor,
its notifications, the events the Datadog–PagerDuty integration sends, and PagerDuty's side (incidents, urgency,
escalation by the policy's delays, on-call users, acknowledgement timeouts, maintenance windows). Replaying rather
than stepping keeps one evaluator and makes the outcome a function of the inputs and the clock: advancing the clock
by an hour in one step gives what sixty one-minute steps give.
The flip side: an edit to a monitor or a policy counts from the first point on, as if it had always been so.

What the replay decides is then written where the APIs read it:

* monitor states (``overall_state``, per group with ``group_states``) for ``GET /api/v1/monitor[/{id}]``;
* PagerDuty incidents (``pd_incident``, with their assignments), so service status and the banners follow;
  an incident's id comes from its service, deduplication key and opening time, so a replay finds its own again;
* the notification log (``GET /_sandbox/notifications``): every monitor notification, and every person PagerDuty
  notified, with the urgency and the reason (triggered, escalated, acknowledgement timeout).

An acknowledgement (or a resolution) made through ``PUT /incidents`` is an input: it is recorded with the time it
was made (``ACKS``) and the replay halts that incident's escalation from then on. The replay never reopens an
incident a person resolved.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from compiler.evaluate.pagerduty import Acknowledgement, Incident
from compiler.evaluate.run import Timeline, run
from compiler.evaluate.series import ALL, Series, SeriesSet
from compiler.evaluate.world import World
from compiler.sandbox.evaluation.view import world_of
from compiler.sandbox.pagerduty.common import parse_time
from compiler.sandbox.world import World as Sandbox
from compiler.sandbox.world import iso_seconds

SERIES = "dd_metric_series"  # submitted points, one object per series (``intake``)
INCIDENTS = "pd_incident"
ACKS = "sandbox_evaluation_ack"
HORIZON = timedelta(days=7)
INPUTS = (
    SERIES,
    ACKS,
    "dd_monitor",
    "dd_slo",
    "dd_downtime",
    "dd_pagerduty_service",
    "pd_service",
    "pd_escalation_policy",
    "pd_schedule",
    "pd_user",
    "pd_maintenance_window",
)
STATE_NAMES = {"ok": "OK", "alert": "Alert", "warn": "Warn", "no data": "No Data"}


@dataclass(frozen=True)
class Evaluation:
    start: datetime
    duration: int
    world: World
    timeline: Timeline

    def at(self, offset: int) -> str:
        return iso_seconds(self.start + timedelta(seconds=offset))


_lock = threading.Lock()
_latest: weakref.WeakKeyDictionary[Sandbox, tuple[object, datetime, Evaluation | None]] = weakref.WeakKeyDictionary()


def _token(sandbox: Sandbox) -> object:
    """An object that stays the same until one of the inputs changes (the store's per-kind versions)."""
    return sandbox.store.derived("evaluation_inputs", (*INPUTS, INCIDENTS), object)


def catch_up(sandbox: Sandbox) -> Evaluation | None:
    """The evaluation at the sandbox clock, replayed when an input or the clock moved; None without any metric."""
    if sandbox.store.count(SERIES) == 0:
        return None
    with _lock:
        now = sandbox.now()
        hit = _latest.get(sandbox)
        if hit is not None and hit[0] is _token(sandbox) and hit[1] == now:
            return hit[2]
        with sandbox.store.transaction():
            _record_acknowledgements(sandbox)
            evaluation = _replay(sandbox, now)
            if evaluation is not None:
                _write_incidents(sandbox, evaluation)
        _latest[sandbox] = (_token(sandbox), now, evaluation)
        return evaluation


def stored_series(stored: list[dict[str, Any]], begin: int, end: int | None = None) -> list[Series]:
    """The stored series as the evaluator's input: points from epoch second ``begin`` (to ``end``), as offsets."""
    out = []
    for s in stored:
        points = [
            (int(t) - begin, float(v)) for t, v in s["points"] if begin <= int(t) and (end is None or int(t) <= end)
        ]
        if not points:
            continue
        tags = dict(tag.split(":", 1) if ":" in tag else (tag, "") for tag in s["tags"])
        times, values = zip(*points, strict=True)
        out.append(Series(s["metric"], tags, list(times), list(values), int(s.get("interval") or 60)))
    return out


def _series(sandbox: Sandbox, now: datetime) -> tuple[datetime, list[Series]] | None:
    stored = sandbox.store.list(SERIES)
    first = min((int(p[0]) for s in stored for p in s["points"]), default=None)
    if first is None:
        return None
    earliest = int((now - HORIZON).timestamp())
    begin = max(first, earliest)
    begin -= begin % 60
    return datetime.fromtimestamp(begin, UTC), stored_series(stored, begin)


def _replay(sandbox: Sandbox, now: datetime) -> Evaluation | None:
    found = _series(sandbox, now)
    if found is None or found[0] > now:
        return None
    start, series = found
    duration = int((now - start).total_seconds())
    world = world_of(sandbox)
    acks = [
        Acknowledgement(int((parse_time(a["at"], "at") - start).total_seconds()), a["service_id"])
        for a in sandbox.store.list(ACKS)
        if parse_time(a["at"], "at") >= start
    ]
    data = SeriesSet(series, start_epoch=int(start.timestamp()))
    timeline = run(world, data, start=start, duration=duration, acknowledgements=acks)
    return Evaluation(start, duration, world, timeline)


def incident_id(service_id: str, dedup_key: str, opened: datetime) -> str:
    digest = hashlib.sha256(f"{service_id}|{dedup_key}|{int(opened.timestamp())}".encode()).hexdigest()
    return "Q" + digest[:13].upper()


def _record_acknowledgements(sandbox: Sandbox) -> None:
    """An evaluated incident a person acknowledged or resolved since the last replay: an input from then on."""
    for inc in sandbox.store.list(INCIDENTS):
        evaluated = inc.get("_evaluated")
        if not evaluated or inc["status"] == evaluated["status"] or inc["status"] == "triggered":
            continue
        if sandbox.store.get(ACKS, inc["id"]) is None:
            sandbox.store.put(ACKS, inc["id"], {"at": inc["updated_at"], "service_id": inc["service_id"]})


def _title(evaluation: Evaluation, incident: Incident) -> str:
    monitor = evaluation.world.monitors.get(incident.monitor)
    name = str(monitor.body.get("name")) if monitor is not None else incident.monitor
    group = incident.source.partition("{")[2].rstrip("}")
    return f"[Triggered{f' on {group}' if group else ''}] {name}"


def _write_incidents(sandbox: Sandbox, evaluation: Evaluation) -> None:
    store = sandbox.store
    for incident in evaluation.timeline.pagerduty.incidents:
        opened = evaluation.start + timedelta(seconds=incident.opened)
        key = incident_id(incident.service_id, incident.dedup_key, opened)
        stored = store.get(INCIDENTS, key)
        if stored is not None and stored["status"] == "resolved" and incident.status != "resolved":
            continue  # resolved by a person: never reopened
        last = max((t for t, _ in incident.history), default=incident.opened)
        body: dict[str, Any] = {
            "id": key,
            "incident_number": stored["incident_number"] if stored else store.next_counter("incident_number", 1),
            "title": _title(evaluation, incident),
            "created_at": iso_seconds(opened),
            "updated_at": evaluation.at(last),
            "status": incident.status,
            "dedup_key": incident.dedup_key,
            "urgency": incident.urgency,
            "service_id": incident.service_id,
            "assignments": [
                {"at": evaluation.at(last), "assignee": {"id": user, "type": "user_reference"}}
                for user in incident.assigned
            ]
            if incident.status != "resolved"
            else [],
            "escalation_level": incident.level + 1,
            "_evaluated": {"status": incident.status},
        }
        if body != stored:
            store.put(INCIDENTS, key, body)


def monitor_state(sandbox: Sandbox, monitor_id: str) -> dict[str, Any] | None:
    """``overall_state`` and the per-group state of an evaluated monitor; None before it has any data."""
    hit = _latest.get(sandbox)
    evaluation = hit[2] if hit is not None else None
    if evaluation is None:
        return None
    result = evaluation.timeline.monitors.get(monitor_id)
    if result is None or not result.groups:
        return None
    groups: dict[str, Any] = {}
    for group, history in result.groups.items():
        state = result.state_at(evaluation.duration, group)
        entry: dict[str, Any] = {"name": group, "status": STATE_NAMES[state]}
        for event in history.events:
            stamp = int((evaluation.start + timedelta(seconds=event.time)).timestamp())
            if event.after == "alert":
                entry["last_triggered_ts"] = stamp
            elif event.after == "no data":
                entry["last_nodata_ts"] = stamp
            elif event.after == "ok":
                entry["last_resolved_ts"] = stamp
            if event.notifies:
                entry["last_notified_ts"] = stamp
        groups[group] = entry
    overall = STATE_NAMES[result.state_at(evaluation.duration)]
    changes = [e.time for h in result.groups.values() for e in h.events if e.cause != "renotify"]
    modified = evaluation.at(max(changes)) if changes else None
    return {"overall_state": overall, "overall_state_modified": modified, "groups": groups}


def notifications(sandbox: Sandbox) -> list[dict[str, Any]]:
    """The notification log: monitor notifications and the people PagerDuty notified, oldest first."""
    evaluation = catch_up(sandbox)
    if evaluation is None:
        return []
    world, timeline = evaluation.world, evaluation.timeline
    names = {s.id: str(s.body.get("name")) for s in world.services.values()}
    out: list[tuple[int, int, dict[str, Any]]] = []
    for note in timeline.notifications:
        monitor = world.monitors[note.monitor]
        item = {
            "at": evaluation.at(note.time),
            "type": "monitor_notification",
            "monitor": {"id": int(note.monitor), "name": monitor.body.get("name")},
            "group": None if note.group == ALL else note.group,
            "transition": note.label,
            "value": note.event.value,
            "recipients": list(note.handles),
            "text": note.text,
        }
        out.append((note.time, 0, item))
    numbers = _incident_numbers(sandbox, evaluation)
    for page in timeline.pagerduty.pages:
        incident = timeline.pagerduty.incidents[page.incident - 1]
        item = {
            "at": evaluation.at(page.time),
            "type": "pagerduty_notification",
            "user": {"id": page.person, "email": world.person(page.person)},
            "urgency": page.urgency,
            "service": {"id": page.service_id, "name": names.get(page.service_id)},
            "incident": numbers.get(id(incident)),
            "reason": page.reason,
        }
        out.append((page.time, 1, item))
    return [item for _, _, item in sorted(out, key=lambda x: (x[0], x[1]))]


def _incident_numbers(sandbox: Sandbox, evaluation: Evaluation) -> dict[int, dict[str, Any]]:
    out = {}
    for incident in evaluation.timeline.pagerduty.incidents:
        opened = evaluation.start + timedelta(seconds=incident.opened)
        stored = sandbox.store.get(INCIDENTS, incident_id(incident.service_id, incident.dedup_key, opened))
        if stored is not None:
            out[id(incident)] = {"id": stored["id"], "incident_number": stored["incident_number"]}
    return out
