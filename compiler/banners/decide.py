"""The reference banner decision: what users of one sign-in method see, and why.

This is the rule the backend and the sign-in page must implement, written once
as a pure function so it can be tested exhaustively and used by
``alertc banners status`` to explain the live page. It follows the frontend
(a key counts as down when its status is anything but ``active``, so an
acknowledged incident, ``warning``, still shows the banner; more than one key
down shows the multiple-services banner; maintenance shows from
``start − lead time`` until the end) with one deliberate change, the point
of the issue: only the keys the method depends on count, so an SSOe outage
is invisible to SiS users and the other way round.

Precedence, when several apply: an outage banner (one key or several) wins over
the maintenance notice, because it is about now and the notice is about later.
A key whose status is ``maintenance`` while one of the method's windows on it
is in progress is explained by that window, not counted as an outage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from compiler.banners.config import BannerConfig, BannerText

Status = Literal["active", "warning", "critical", "maintenance", "disabled"]
STATUSES: tuple[Status, ...] = ("active", "warning", "critical", "maintenance", "disabled")
BannerKind = Literal["none", "service", "multiple_services", "maintenance"]


@dataclass(frozen=True)
class ServiceStatus:
    """A status service's live status, and the open incident that set it (id or title), if known."""

    status: Status
    incident: str | None = None


@dataclass(frozen=True)
class Window:
    """A PagerDuty maintenance window, open or upcoming, with the banner keys of its services."""

    id: str
    keys: tuple[str, ...]
    start: datetime
    end: datetime
    message: str = ""


@dataclass(frozen=True)
class Cause:
    key: str
    status: Status
    incident: str | None

    def describe(self) -> str:
        return f"'{self.key}' is {self.status}" + (f" (incident {self.incident})" if self.incident else "")


@dataclass(frozen=True)
class Decision:
    """What one method's users see. ``causes`` and ``window`` are the evidence behind ``reason``."""

    auth_method: str
    banner: BannerKind
    reason: str
    text: BannerText | None = None
    key: str | None = None
    causes: tuple[Cause, ...] = ()
    window: Window | None = None
    unknown_keys: tuple[str, ...] = ()


Rule = Callable[[BannerConfig, Mapping[str, ServiceStatus | str], Sequence[Window], str, datetime], Decision]
"""One auth method's decision at ``now``: ``decide`` (the intended rules) or ``frontend.decide_current`` (today's)."""


def as_status(value: ServiceStatus | str) -> ServiceStatus:
    if isinstance(value, ServiceStatus):
        return value
    if value not in STATUSES:
        raise ValueError(f"unknown PagerDuty service status {value!r} (expected one of {', '.join(STATUSES)})")
    return ServiceStatus(value)


def _window_label(window: Window) -> str:
    span = f"{window.start.isoformat()} to {window.end.isoformat()}"
    return f"maintenance window '{window.id}' on {', '.join(window.keys)} ({span})"


def decide(
    config: BannerConfig,
    statuses: Mapping[str, ServiceStatus | str],
    windows: Iterable[Window],
    auth_method: str,
    now: datetime,
) -> Decision:
    """The banner ``auth_method``'s users see at ``now``.

    A key missing from ``statuses`` is treated as active (no evidence of an
    outage) and listed in ``unknown_keys``, so a caller can tell "fine" from
    "not reported".
    """
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    method = config.auth_methods.get(auth_method)
    if method is None:
        raise ValueError(f"unknown auth method '{auth_method}' (known: {', '.join(sorted(config.auth_methods))})")
    keys = method.depends_on
    affecting = set(keys) | ({config.global_key} if config.global_key else set())
    lead = timedelta(seconds=config.maintenance_lead_time_seconds)
    relevant = sorted(
        (w for w in windows if affecting & set(w.keys) and w.start - lead <= now < w.end),
        key=lambda w: (w.start, w.id),
    )
    in_progress: set[str] = set()
    for window in relevant:
        if window.start <= now:
            in_progress |= set(keys) if config.global_key in window.keys else set(window.keys)

    causes: list[Cause] = []
    unknown: list[str] = []
    for key in keys:
        if key not in statuses:
            unknown.append(key)
            continue
        current = as_status(statuses[key])
        if current.status == "active" or (current.status == "maintenance" and key in in_progress):
            continue
        causes.append(Cause(key, current.status, current.incident))

    decision = partial(Decision, auth_method=auth_method, unknown_keys=tuple(unknown))
    if len(causes) > 1:
        reason = f"{len(causes)} keys auth method '{auth_method}' depends on are down: "
        reason += "; ".join(c.describe() for c in causes)
        return decision(banner="multiple_services", text=config.multiple_services, causes=tuple(causes), reason=reason)
    if causes:
        cause = causes[0]
        reason = f"{cause.describe()}, and auth method '{auth_method}' depends on it"
        text = config.dependencies[cause.key].banner
        return decision(banner="service", text=text, key=cause.key, causes=(cause,), reason=reason)
    if relevant:
        window = relevant[0]
        when = "in progress" if window.start <= now else f"starts within the {lead} lead time"
        reason = f"{_window_label(window)} {when}"
        return decision(banner="maintenance", text=config.maintenance, window=window, reason=reason)
    reason = f"every key auth method '{auth_method}' depends on is active and no maintenance is due"
    return decision(banner="none", reason=reason)


def decide_all(
    config: BannerConfig,
    statuses: Mapping[str, ServiceStatus | str],
    windows: Iterable[Window],
    now: datetime,
    rule: Rule = decide,
) -> dict[str, Decision]:
    """One decision per auth method, by name: what ``alertc banners status`` shows (by ``rule``)."""
    window_list = list(windows)
    return {name: rule(config, statuses, window_list, name, now) for name in sorted(config.auth_methods)}


def render_decisions(decisions: Mapping[str, Decision]) -> str:
    """Plain text for the terminal: one block per auth method."""
    lines: list[str] = []
    for name, decision in decisions.items():
        shown = "no banner" if decision.text is None else f'{decision.banner} banner: "{decision.text.headline}"'
        lines.append(f"{name}: {shown}")
        lines.append(f"  why: {decision.reason}")
        if decision.unknown_keys:
            lines.append(f"  not reported (treated as active): {', '.join(decision.unknown_keys)}")
    return "\n".join(lines) + ("\n" if lines else "")
