"""A monitor group's state over time: thresholds, recovery, No Data, new groups, re-notification, downtimes.

The rules, each as Datadog documents it:

* States are OK, WARN, ALERT and NO DATA. A value past the critical threshold is ALERT, past the warning threshold
  WARN (https://docs.datadoghq.com/monitors/configuration/#thresholds).
* Recovery thresholds: out of ALERT only once the value passes ``critical_recovery`` (``> t`` recovers at
  ``<= r``, ``>= t`` at ``< r``, ``< t`` at ``>= r``, ``<= t`` at ``> r``), out of WARN once it passes
  ``warning_recovery``; without one, as soon as the alert condition no longer holds
  (https://docs.datadoghq.com/monitors/guide/recovery-thresholds/).
* No Data: with ``notify_no_data``, a group that has reported before and then reports nothing for
  ``no_data_timeframe`` minutes (default twice the window) goes NO DATA; without it, a window without data leaves
  the state as it was (https://docs.datadoghq.com/monitors/guide/monitor_api_options/,
  https://docs.datadoghq.com/monitors/configuration/#no-data).
* New groups of a multi alert are not evaluated for ``new_group_delay`` seconds (default 60) after they first report
  (https://docs.datadoghq.com/monitors/configuration/#new-group-delay). Groups reporting when the run starts are
  not new.
* Re-notification: every ``renotify_interval`` minutes after the last notification while the group stays in one of
  ``renotify_statuses`` (default alert and no data), at most ``renotify_occurrences`` times; without a limit,
  re-notifications stop 30 hours after the first alert (https://docs.datadoghq.com/monitors/notify/#renotify,
  https://docs.datadoghq.com/monitors/guide/monitor_api_options/).
* Downtimes silence notifications but not transitions; the first recovery of a group that alerted before the
  downtime is still sent unless ``mute_first_recovery_notification``; when a downtime expires with the group in one
  of its ``notify_end_states``, a notification is sent (https://docs.datadoghq.com/monitors/downtimes/).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from compiler.evaluate.metric_query import OPERATORS, SKIP, Value

State = Literal["ok", "warn", "alert", "no data"]
Cause = Literal["transition", "renotify", "downtime_end"]
DEFAULT_NEW_GROUP_DELAY = 60
RENOTIFY_LIMIT_SECONDS = 30 * 3600
_RECOVERY = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_WORST = {"alert": 3, "no data": 2, "warn": 1, "ok": 0}


@dataclass(frozen=True)
class Silence:
    """A downtime in force for a group: its id, when it ends, and its end and first-recovery options."""

    downtime: str
    end: int | None  # seconds from the start; None: no end
    notify_end_states: frozenset[str] = frozenset({"alert", "no data", "warn"})
    mute_first_recovery: bool = False


SilenceLookup = Callable[[str, int], Silence | None]  # (group, time) → the downtime in force, if any


@dataclass(frozen=True)
class MonitorEvent:
    time: int
    group: str
    cause: Cause
    before: State
    after: State
    value: float | None
    silenced_by: str | None = None  # the downtime that kept it from notifying

    @property
    def notifies(self) -> bool:
        return self.silenced_by is None


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of a monitor and the comparator they are read with."""

    op: str
    critical: float
    warning: float | None = None
    critical_recovery: float | None = None
    warning_recovery: float | None = None

    @classmethod
    def from_options(cls, op: str, critical: float, options: Mapping[str, Any]) -> Thresholds:
        given = options.get("thresholds") or {}

        def number(name: str) -> float | None:
            value = given.get(name)
            return None if value is None else float(value)

        return cls(op, critical, number("warning"), number("critical_recovery"), number("warning_recovery"))

    def quiet(self, values: Sequence[Value]) -> list[bool]:
        """For each value: whether it keeps an OK group OK (a number within both thresholds, or no evaluation)."""
        compare, critical, warning = self._compare, self.critical, self.warning
        if warning is None:
            return [value is SKIP or (type(value) is float and not compare(value, critical)) for value in values]
        return [
            value is SKIP or (type(value) is float and not compare(value, critical) and not compare(value, warning))
            for value in values
        ]

    def _past(self, value: float, threshold: float | None) -> bool:
        return threshold is not None and self._compare(value, threshold)

    @functools.cached_property
    def _compare(self) -> Callable[[float, float], bool]:
        return OPERATORS[self.op]

    def _recovered(self, value: float, threshold: float | None, recovery: float | None) -> bool:
        if recovery is None:
            return not self._past(value, threshold)
        return OPERATORS[_RECOVERY[self.op]](value, recovery)

    def next_state(self, state: State, value: float) -> State:
        if self._past(value, self.critical):
            return "alert"
        if state == "alert" and not self._recovered(value, self.critical, self.critical_recovery):
            return "alert"
        if self._past(value, self.warning):
            return "warn"
        if state == "warn" and not self._recovered(value, self.warning, self.warning_recovery):
            return "warn"
        return "ok"


@dataclass(frozen=True)
class Behaviour:
    """The monitor options that shape transitions and notifications."""

    thresholds: Thresholds
    no_data_after: int | None = None  # seconds; None: no NO DATA state
    notify_no_data: bool = False
    new_group_delay: int = 0
    renotify_interval: int | None = None  # seconds
    renotify_statuses: frozenset[str] = frozenset({"alert", "no data"})
    renotify_occurrences: int | None = None


def behaviour(thresholds: Thresholds, options: Mapping[str, Any], *, window: int, multi: bool) -> Behaviour:
    missing = options.get("on_missing_data")
    notify = bool(options.get("notify_no_data")) or missing == "show_and_notify_no_data"
    shows = notify or missing == "show_no_data"
    timeframe = options.get("no_data_timeframe")
    interval = options.get("renotify_interval")
    delay = options.get("new_group_delay", options.get("new_host_delay") if multi else None)
    return Behaviour(
        thresholds=thresholds,
        no_data_after=(int(timeframe) * 60 if timeframe else 2 * window) if shows else None,
        notify_no_data=notify,
        new_group_delay=(DEFAULT_NEW_GROUP_DELAY if delay is None else int(delay)) if multi else 0,
        renotify_interval=int(interval) * 60 if interval else None,
        renotify_statuses=frozenset(options.get("renotify_statuses") or ("alert", "no data")),
        renotify_occurrences=options.get("renotify_occurrences"),
    )


@dataclass
class _Group:
    state: State = "ok"
    last_notified: int | None = None
    episode_start: int | None = None
    renotified: int = 0
    silence: Silence | None = None
    recovered_in_silence: bool = False
    alerted_before_silence: bool = False


@dataclass
class GroupHistory:
    """Every event of one group, and its state after each evaluation."""

    events: list[MonitorEvent] = field(default_factory=list)
    states: list[State] = field(default_factory=list)


def _no_data(data_times: Sequence[int], when: int, after: int) -> bool:
    """True when the group reported before and nothing in the last ``after`` seconds."""
    index = bisect.bisect_right(data_times, when) - 1
    return index >= 0 and when - data_times[index] >= after


def run_group(
    group: str,
    times: Sequence[int],
    values: Sequence[Value],
    data_times: Sequence[int],
    rules: Behaviour,
    silenced: SilenceLookup | None = None,
) -> GroupHistory:
    """The group's history over the evaluation ``times``."""
    history = GroupHistory()
    g = _Group()
    first_seen = data_times[0] if data_times else 0
    evaluated_from = first_seen + rules.new_group_delay if first_seen > 0 else 0  # a new group waits
    next_state = rules.thresholds.next_state
    renotifies = rules.renotify_interval is not None
    silence: Silence | None = None
    states = history.states
    # Where the OK state cannot change (a value within the thresholds, or a skipped evaluation), runs of OK are
    # copied instead of stepped through: most of a day is quiet. Downtimes and new groups take the step path.
    quiet = rules.thresholds.quiet(values) if silenced is None and evaluated_from == 0 else None
    index, count = 0, len(values)
    while index < count:
        if quiet is not None and g.state == "ok" and quiet[index]:
            try:
                stop = quiet.index(False, index)
            except ValueError:
                stop = count
            states.extend(["ok"] * (stop - index))
            index = stop
            continue
        when, value = times[index], values[index]
        index += 1
        if silenced is not None:
            silence = silenced(group, when)
            _downtime_boundary(history, g, group, when, silence)
        state = g.state
        new = state
        numeric: float | None = None
        if value is None:
            if rules.no_data_after is not None and _no_data(data_times, when, rules.no_data_after):
                new = "no data"
        elif value is not SKIP and when >= evaluated_from:
            assert isinstance(value, float)
            numeric = value
            new = next_state("ok" if state == "no data" else state, value)
        if new != state:
            _transition(history, g, group, when, new, numeric, rules, silence)
        elif renotifies and g.last_notified is not None:
            _maybe_renotify(history, g, group, when, numeric, rules, silence)
        states.append(g.state)
    return history


def _downtime_boundary(history: GroupHistory, g: _Group, group: str, when: int, silence: Silence | None) -> None:
    ended = g.silence
    expired = ended is not None and silence is None and ended.end is not None and when >= ended.end
    if expired and ended is not None and g.state in ended.notify_end_states:
        history.events.append(MonitorEvent(when, group, "downtime_end", g.state, g.state, None))
        g.last_notified = when
        g.renotified = 0
    if silence is not None and g.silence is None:
        g.recovered_in_silence = False
        g.alerted_before_silence = g.state != "ok"
    g.silence = silence


def _transition(
    history: GroupHistory,
    g: _Group,
    group: str,
    when: int,
    new: State,
    value: float | None,
    rules: Behaviour,
    silence: Silence | None,
) -> None:
    before = g.state
    g.state = new
    if new == "no data" and not rules.notify_no_data:
        history.events.append(MonitorEvent(when, group, "transition", before, new, value, "notify_no_data is off"))
        return
    silenced_by = silence.downtime if silence is not None else None
    if silence is not None and new == "ok" and g.alerted_before_silence and not g.recovered_in_silence:
        g.recovered_in_silence = True
        if not silence.mute_first_recovery:
            silenced_by = None  # the first recovery during a downtime is sent
    history.events.append(MonitorEvent(when, group, "transition", before, new, value, silenced_by))
    if new == "ok":
        g.episode_start = None
    elif g.episode_start is None:
        g.episode_start = when
    if silenced_by is None:
        g.last_notified = when
        g.renotified = 0


def _maybe_renotify(
    history: GroupHistory,
    g: _Group,
    group: str,
    when: int,
    value: float | None,
    rules: Behaviour,
    silence: Silence | None,
) -> None:
    interval = rules.renotify_interval
    if interval is None or g.last_notified is None or g.state not in rules.renotify_statuses:
        return
    if when - g.last_notified < interval:
        return
    if rules.renotify_occurrences is not None and g.renotified >= rules.renotify_occurrences:
        return
    unlimited = rules.renotify_occurrences is None
    if unlimited and g.episode_start is not None and when - g.episode_start > RENOTIFY_LIMIT_SECONDS:
        return
    silenced_by = silence.downtime if silence is not None else None
    history.events.append(MonitorEvent(when, group, "renotify", g.state, g.state, value, silenced_by))
    g.last_notified = when
    g.renotified += 1


def overall(states: Mapping[str, State]) -> State:
    """A multi alert's overall state: its worst group (alert, then no data, then warn)."""
    return max(states.values(), key=lambda s: _WORST[s], default="ok")
