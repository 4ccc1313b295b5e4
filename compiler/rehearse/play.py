"""A scenario played on a sandbox: its samples submitted minute by minute through Datadog's metric intake, its
acknowledgements made through PagerDuty's incident API, the sandbox clock moved on, and what happened collected.

The sandbox evaluates the applied monitors and pages people itself (``compiler.sandbox.evaluation``); the rehearsal
only feeds it and watches it, through the same clients alertc uses: the notification log for the monitors'
notifications and the pages, PagerDuty's incidents, and the banner each sign-in method's users see
(``compiler.banners.status``, read every minute as ``alertc banners status`` reads it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from datadog_api_client.v2.api.metrics_api import MetricsApi
from datadog_api_client.v2.model.metric_intake_type import MetricIntakeType
from datadog_api_client.v2.model.metric_payload import MetricPayload
from datadog_api_client.v2.model.metric_point import MetricPoint
from datadog_api_client.v2.model.metric_series import MetricSeries

from compiler.alerttest.load import Case
from compiler.banners.status import banner_status
from compiler.compile.messages import DECLARATION_PROMPT
from compiler.definitions import Definitions
from compiler.evaluate.series import Series
from compiler.live import Session
from compiler.rehearse.admin import SandboxAdmin

STEP = 60  # the sandbox clock moves a minute at a time


@dataclass(frozen=True)
class Event:
    """One thing that happened, for the timeline and the sequence diagram (``source`` → ``target``: ``what``)."""

    at: int  # seconds from the scenario's 0m
    text: str
    source: str
    target: str
    what: str


@dataclass
class Rehearsal:
    case: Case
    start: datetime
    duration: int
    target: str
    events: list[Event] = field(default_factory=list)

    def sorted_events(self) -> list[Event]:
        rank = {"datadog": 0, "pagerduty": 1, "ack": 2, "banner": 3, "slack": 4}
        return sorted(self.events, key=lambda e: (e.at, rank.get(e.source, 5)))


def _offset(start: datetime, stamp: str) -> int:
    return int((datetime.fromisoformat(stamp.replace("Z", "+00:00")) - start).total_seconds())


def _submit(metrics: MetricsApi, series: list[Series], start: datetime, second: int) -> None:
    payload = []
    for s in series:
        values = [v for t, v in zip(s.times, s.values, strict=True) if second <= t < second + STEP]
        if not values:
            continue
        tags = [f"{k}:{v}" for k, v in sorted(s.tags.items())]
        at = int((start + timedelta(seconds=second)).timestamp())
        points = [MetricPoint(timestamp=at, value=float(values[-1]))]
        payload.append(
            MetricSeries(metric=s.metric, type=MetricIntakeType.COUNT, interval=s.interval, tags=tags, points=points)
        )
    if payload:
        metrics.submit_metrics(body=MetricPayload(series=payload))


def _acknowledge(session: Session, service_ids: dict[str, str], service: str | None, by: str | None) -> list[str]:
    """Acknowledge the triggered incidents (of one service): their numbers."""
    client = session.pagerduty.client
    params: dict[str, Any] = {"statuses[]": ["triggered"]}
    if service is not None:
        params["service_ids[]"] = [service_ids[service]]
    done = []
    for incident in client.list_all("incidents", params=params):
        headers = {"From": by} if by else None
        client.rput(
            f"incidents/{incident['id']}",
            json={"incident": {"type": "incident", "status": "acknowledged"}},
            headers=headers,
        )
        done.append(f"#{incident['incident_number']}")
    return done


def play(
    case: Case,
    definitions: Definitions,
    session: Session,
    admin: SandboxAdmin,
    *,
    series: list[Series],
    start: datetime,
    duration: int,
    monitor_keys: dict[str, str],
    service_ids: dict[str, str],
) -> Rehearsal:
    """Feed the sandbox minute by minute and collect what it did. ``monitor_keys``: monitor name → definitions name;
    ``service_ids``: definitions service name → live PagerDuty id."""
    rehearsal = Rehearsal(case, start, duration, session.target.name or session.target.mode)
    metrics = session.datadog.api(MetricsApi)
    acks: dict[int, list[Any]] = defaultdict(list)
    for ack in case.test.acknowledgements:
        acks[ack.at - ack.at % STEP].append(ack)
    shown: dict[str, str] = {}
    boundaries = _window_moments(definitions, start)
    incidents: list[tuple[str, str]] | None = None
    if series:
        names = sorted({s.metric for s in series})
        what = f"the scenario's {len(series)} series start ({', '.join(names)})"
        rehearsal.events.append(Event(0, what, "datadog", "datadog", what))
    for second in range(0, duration + 1, STEP):
        _submit(metrics, series, start, second)
        admin.set_clock(start + timedelta(seconds=second))
        for ack in acks.get(second, []):
            numbers = _acknowledge(session, service_ids, ack.service, ack.by)
            who = ack.by or "the assignee"
            what = f"{who} acknowledges {', '.join(numbers) or 'nothing (no triggered incident)'}"
            rehearsal.events.append(Event(second, what, "ack", "pagerduty", what))
        if definitions.banners is None or not definitions.auth_methods:
            continue
        now = [(i["id"], i["status"]) for i in session.pagerduty.client.list_all("incidents")]
        if now != incidents or second in boundaries:  # a banner changes with a service status or a window
            _banners(rehearsal, definitions, session, second, shown)
        incidents = now
    _incidents(rehearsal, session, service_ids)  # first: an incident opens before its pages in the timeline
    _from_log(rehearsal, admin.notifications(), monitor_keys)
    return rehearsal


def _window_moments(definitions: Definitions, start: datetime) -> set[int]:
    """The minutes at which a maintenance window's banner may appear or go (its lead time, start and end)."""
    lead = definitions.banners.maintenance_lead_time.seconds if definitions.banners is not None else 0
    out = set()
    for window in definitions.maintenance_windows:
        for moment in (window.start - timedelta(seconds=lead), window.start, window.end):
            second = int((moment - start).total_seconds())
            out.add(second - second % STEP + (STEP if second % STEP else 0))
    return out


def _banners(
    rehearsal: Rehearsal, definitions: Definitions, session: Session, second: int, shown: dict[str, str]
) -> None:
    now = rehearsal.start + timedelta(seconds=second)
    for method, decision in sorted(banner_status(definitions, session, now=now).items()):
        seen = decision.key if decision.banner == "service" and decision.key else decision.banner
        before = shown.get(method, "none")
        if seen != before:
            text = f"banner for '{method}' users: {before} → {seen}"
            rehearsal.events.append(Event(second, text, "banner", "users", f"{method} users see {seen}"))
        shown[method] = seen


def _from_log(rehearsal: Rehearsal, log: list[dict[str, Any]], monitor_keys: dict[str, str]) -> None:
    for item in log:
        at = _offset(rehearsal.start, item["at"])
        if item["type"] == "monitor_notification":
            name = monitor_keys.get(str(item["monitor"]["name"]), str(item["monitor"]["name"]))
            if item.get("group"):
                name += f" {{{item['group']}}}"
            value = f" (value {item['value']:.4g})" if item.get("value") is not None else ""
            slack = [r.removeprefix("@slack-") for r in item["recipients"] if r.startswith("@slack-")]
            pages = [r for r in item["recipients"] if r.startswith("@pagerduty-")]
            prompt = DECLARATION_PROMPT in str(item.get("text", ""))
            text = f"{name}: {item['transition']}{value}"
            if slack:
                text += f" → Slack {', '.join('#' + c for c in slack)}"
            if pages:
                text += f" → {', '.join(pages)}"
            if prompt:
                text += " — declare an incident now (the notification asks for it)"
            rehearsal.events.append(
                Event(at, text, "datadog", "slack" if slack else "datadog", f"{name} {item['transition']}")
            )
            if pages:
                rehearsal.events.append(
                    Event(at, "", "datadog", "pagerduty", f"{item['transition']} to {' '.join(pages)}")
                )
            if prompt:
                rehearsal.events.append(Event(at, "", "slack", "team", "declare an incident"))
        else:
            user = item["user"]["email"]
            incident = item.get("incident") or {}
            number = f" #{incident['incident_number']}" if incident else ""
            text = f"page {user} ({item['urgency']} urgency) via {item['service']['name']}{number}: {item['reason']}"
            rehearsal.events.append(
                Event(at, text, "pagerduty", user, f"{item['urgency']} urgency page: {item['reason']}")
            )


def _incidents(rehearsal: Rehearsal, session: Session, service_ids: dict[str, str]) -> None:
    names = {v: k for k, v in service_ids.items()}
    client = session.pagerduty.client
    for incident in client.list_all("incidents"):
        service = names.get(incident["service"]["id"], incident["service"].get("summary", ""))
        number = incident["incident_number"]
        opened = _offset(rehearsal.start, incident["created_at"])
        text = f"PagerDuty {service} #{number}: triggered ({incident['urgency']} urgency) — {incident['title']}"
        rehearsal.events.append(Event(opened, text, "pagerduty", "pagerduty", f"{service} #{number} triggered"))
        if incident["status"] == "resolved":
            closed = _offset(rehearsal.start, incident["last_status_change_at"])
            text = f"PagerDuty {service} #{number}: resolved"
            rehearsal.events.append(Event(closed, text, "pagerduty", "pagerduty", f"{service} #{number} resolved"))
