"""Checking a played test against its expectations.

State checks hold at ``at`` or at every minute of ``between``. An event list in an expectation is the complete list
of such events at ``at`` or within ``between`` (``[]``: none); each expected item matches one event on the fields it
sets. High-urgency pages that no expectation lists fail the test unless ``allow_other_pages``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from compiler.alerttest.model import Expectation, MonitorExpectation
from compiler.alerttest.scenario import Played
from compiler.checks.findings import Location
from compiler.compile.messages import DECLARATION_PROMPT
from compiler.evaluate.run import MonitorRun


def offset(seconds: int) -> str:
    """``0m``, ``15m``, ``1h30m``, ``90s``: how tests write times."""
    if seconds % 60:
        return f"{seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


@dataclass(frozen=True)
class Failure:
    location: Location
    message: str


@dataclass(frozen=True)
class Verdict:
    """How one expectation fared: shown in the timeline at its time."""

    expectation: Expectation
    location: Location
    held: bool

    def describe(self) -> str:
        e = self.expectation
        checked = [
            name
            for name in ("monitors", "banners", "incidents", "pages", "slack", "pagerduty", "declaration_prompts")
            if getattr(e, name)
            or (getattr(e, name) == [] and name in ("pages", "slack", "pagerduty", "declaration_prompts"))
        ]
        when = (
            f"at {offset(e.window[0])}" if e.at is not None else f"from {offset(e.window[0])} to {offset(e.window[1])}"
        )
        verdict = "as expected" if self.held else "NOT as expected"
        return f"expected {when} (line {self.location.line}: {', '.join(checked) or 'nothing'}): {verdict}"


@dataclass(frozen=True)
class Event:
    """One observed event, with the fields an expectation may name."""

    time: int
    category: str  # page | slack | pagerduty | prompt
    fields: dict[str, Any]
    text: str  # how the timeline shows it


def events(played: Played) -> list[Event]:
    timeline, world = played.timeline, played.world
    out: list[Event] = []
    by_number = {i.number: i for i in timeline.pagerduty.incidents}
    for page in timeline.pagerduty.pages:
        service = world.services[page.service_id].key
        person = world.person(page.person)
        monitor = by_number[page.incident].monitor
        out.append(
            Event(
                page.time,
                "page",
                {"person": person, "service": service, "urgency": page.urgency, "monitor": monitor},
                f"page {person} ({page.urgency} urgency) via {service} #{page.incident}: {page.reason}",
            )
        )
    for note in timeline.notifications:
        for handle in note.slack_channels():
            out.append(
                Event(
                    note.time,
                    "slack",
                    {
                        "channel": handle,
                        "monitor": note.monitor,
                        "state": note.event.after,
                        "renotification": note.event.cause == "renotify",
                        "text": note.text,
                    },
                    f"Slack {handle}: {note.monitor} {note.label}",
                )
            )
        for event in note.pagerduty:
            service_id = world.handles.get(event.handle)
            service = world.services[service_id].key if service_id in world.services else event.handle
            out.append(
                Event(
                    note.time,
                    "pagerduty",
                    {"service": service, "action": event.action, "monitor": note.monitor},
                    f"PagerDuty event {event.action} to {service} ({event.handle}) from {note.monitor}",
                )
            )
        if DECLARATION_PROMPT in note.text:
            out.append(Event(note.time, "prompt", {"monitor": note.monitor}, f"declaration prompt from {note.monitor}"))
    return sorted(out, key=lambda e: (e.time, e.category, e.text))


def _channel_matches(expected: str, handle: str) -> bool:
    name = expected.lstrip("#").lower()
    return handle == f"@slack-{name}" or handle.endswith(f"-{name}")


def _matches(expected: dict[str, Any], event: Event) -> bool:
    for name, value in expected.items():
        if value is None:
            continue
        actual = event.fields.get(name)
        if name == "channel":
            if not _channel_matches(str(value), str(actual)):
                return False
        elif name == "contains":
            if str(value) not in str(event.fields.get("text", "")):
                return False
        elif actual != value:
            return False
    return True


def _describe(expected: dict[str, Any]) -> str:
    shown = ", ".join(f"{k}: {v}" for k, v in expected.items() if v is not None)
    return "{" + shown + "}"


class Checker:
    def __init__(self, played: Played) -> None:
        self.played = played
        self.events = events(played)
        self.matched: set[int] = set()  # ids of page events some expectation listed
        self.failures: list[Failure] = []
        self.verdicts: list[Verdict] = []  # one per expectation, for the timeline

    def check(self) -> list[Failure]:
        case = self.played.case
        for j, expect in enumerate(case.test.expect):
            before = len(self.failures)
            self._states(expect, j)
            for field_name, category in (
                ("pages", "page"),
                ("slack", "slack"),
                ("pagerduty", "pagerduty"),
                ("declaration_prompts", "prompt"),
            ):
                items = getattr(expect, field_name)
                if items is not None:
                    self._events(expect, j, field_name, category, [i.model_dump() for i in items])
            self.verdicts.append(Verdict(expect, case.at("expect", j), len(self.failures) == before))
        if not case.test.allow_other_pages:
            for event in self.events:
                if event.category == "page" and event.fields["urgency"] == "high" and id(event) not in self.matched:
                    self.failures.append(
                        Failure(case.at("name"), f"unexpected page at {offset(event.time)}: {event.text}")
                    )
        return self.failures

    # --- states ------------------------------------------------------------------------------------------

    def _minutes(self, expect: Expectation) -> list[int]:
        first, last = expect.window
        return [first] if first == last else list(range(first, last + 1, 60))

    def _when(self, expect: Expectation, at: int) -> str:
        if expect.between is None:
            return f"at {offset(at)}"
        return f"at {offset(at)} (between {offset(expect.between[0])} and {offset(expect.between[1])})"

    def _fail_once(self, expect: Expectation, location: Location, check: Callable[[int], str | None]) -> None:
        for at in self._minutes(expect):
            problem = check(at)
            if problem is not None:
                self.failures.append(Failure(location, f"{self._when(expect, at)}: {problem}"))
                return

    def _states(self, expect: Expectation, j: int) -> None:
        case, played = self.played.case, self.played
        for name, wanted in expect.monitors.items():
            spec = wanted if isinstance(wanted, MonitorExpectation) else MonitorExpectation(state=wanted)
            run = played.timeline.monitors.get(name)
            where = case.at("expect", j, "monitors", name)
            if run is None:
                continue
            self._fail_once(expect, where, functools.partial(_monitor_problem, name, run, spec))
        for method, shown in expect.banners.items():
            where = case.at("expect", j, "banners", method)

            def banner_problem(at: int, method: str = method, shown: str = shown) -> str | None:
                decision = played.banner(method, at)
                actual = played.shown(method, at)
                return (
                    None
                    if actual == shown
                    else f"users of '{method}' see {actual}, expected {shown} ({decision.reason})"
                )

            self._fail_once(expect, where, banner_problem)
        for key, wanted_status in expect.incidents.items():
            service = played.world.service_by_key(key)
            where = case.at("expect", j, "incidents", key)
            if service is None:
                continue

            def incident_problem(
                at: int, key: str = key, wanted: str = wanted_status, service_id: str = service.id
            ) -> str | None:
                actual = played.timeline.pagerduty.status_at(service_id, at) or "none"
                return None if actual == wanted else f"incidents on '{key}' are {actual}, expected {wanted}"

            self._fail_once(expect, where, incident_problem)

    # --- events ------------------------------------------------------------------------------------------

    def _events(
        self, expect: Expectation, j: int, field_name: str, category: str, wanted: Sequence[dict[str, Any]]
    ) -> None:
        first, last = expect.window
        pool = [e for e in self.events if e.category == category and first <= e.time <= last]
        free = list(pool)
        order = sorted(range(len(wanted)), key=lambda i: -sum(v is not None for v in wanted[i].values()))
        span = f"at {offset(first)}" if first == last else f"between {offset(first)} and {offset(last)}"
        for i in order:
            found = next((e for e in free if _matches(wanted[i], e)), None)
            where = self.played.case.at("expect", j, field_name, i)
            if found is None:
                seen = "; ".join(f"{offset(e.time)} {e.text}" for e in pool) or "none"
                self.failures.append(Failure(where, f"no {category} {_describe(wanted[i])} {span} (there: {seen})"))
                continue
            free.remove(found)
            if category == "page":
                self.matched.add(id(found))
        for extra in free:
            if category == "page":
                self.matched.add(id(extra))  # reported here, not again as unexpected
            self.failures.append(
                Failure(
                    self.played.case.at("expect", j, field_name),
                    f"unexpected {category} {span}: {offset(extra.time)} {extra.text}",
                )
            )


def _monitor_problem(name: str, run: MonitorRun, spec: MonitorExpectation, at: int) -> str | None:
    if spec.state is not None:
        actual = run.state_at(at)
        if actual != spec.state:
            return f"monitor '{name}' is {actual}, expected {spec.state}"
    for group, wanted in (spec.groups or {}).items():
        actual = run.state_at(at, group)
        if actual != wanted:
            known = ", ".join(sorted(run.groups)) or "none"
            return f"monitor '{name}' group '{group}' is {actual}, expected {wanted} (groups: {known})"
    if spec.silenced is not None:
        actual_silenced = run.silenced_at(at)
        if actual_silenced != spec.silenced:
            said = {True: "silenced", False: "not silenced"}
            return f"monitor '{name}' is {said[actual_silenced]} by a downtime, expected {said[spec.silenced]}"
    return None
