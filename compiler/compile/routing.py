"""Severity, priority and who is notified: the process table applied to one monitor or burn-rate alert.

These rules are the heart of "the alerting matches the documented process":
a monitor's severity comes from the process's severity ladder (explicitly, or
from the users per hour it means), its priority from the tier × users matrix,
and its recipients from whether that severity pages.

One priority rule for everything that alerts: priority = matrix[tier][users per hour]. When the users per
hour are known (a declared impact) they are used as they are. An explicit severity (a monitor's, or a
burn-rate tier's) stands for its band of the severity ladder, from just above its own threshold up to the
next more severe rung's threshold, and is rated at the band's upper edge, the worst case it names: with the
SLA's ladder an explicit sev2 means "up to 1,000 users/hour" → P2 in production, like an impact of 300
users/hour, and a sev2 burn-rate tier is P2 too.

A qualitative ladder (OfficeLuv's Critical/Moderate/Low, each rung an impact category) has no users/hour:
every monitor names its severity, and the priority matrix has one column per severity, so priority =
matrix[tier][severity]. A matrix by severity works with a users/hour ladder too: a declared impact first
derives its severity from the ladder, then takes that severity's column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.definitions import models as m
from compiler.definitions.types import Duration


@dataclass(frozen=True)
class Rating:
    """What a firing monitor means, with the arithmetic kept for messages and findings.

    ``users_per_hour`` is None on a qualitative ladder: the severity's impact category is the measure.
    """

    severity: m.Severity
    derived_severity: m.Severity | None
    priority: m.Priority
    tier: m.Tier
    users_per_hour: int | None
    users_explained: str

    @property
    def pages(self) -> bool:
        return self.severity.pages

    @property
    def disagrees(self) -> bool:
        """An explicit severity that the declared impact would rate differently."""
        return self.derived_severity is not None and self.derived_severity.name != self.severity.name


def tier_of(process: m.Process, environment: str) -> m.Tier:
    for tier in process.tiers:
        if environment in tier.environments:
            return tier
    raise KeyError(environment)  # the services' reference check guarantees every environment has a tier


def severity_for_users(process: m.Process, users_per_hour: int, *, production: bool) -> m.Severity:
    """The most severe rung whose threshold the impact exceeds (a quantitative ladder only).

    Non-production problems take the rung marked ``includes_non_production``
    whatever their size (the SLA: "Includes non-production issues").
    """
    if process.qualitative:
        raise ValueError("a qualitative ladder rates no users/hour; the monitor must name its severity")
    if not production:
        for severity in process.severities:
            if severity.includes_non_production:
                return severity
    for severity in process.severities:
        if users_per_hour > (severity.users_per_hour_above or 0):
            return severity
    return process.severities[-1]


def priority_for(process: m.Process, tier: m.Tier, users_per_hour: int) -> m.Priority:
    """The priority of a users/hour impact (a matrix with users/hour columns)."""
    matrix = process.priority_matrix
    thresholds = matrix.users_per_hour_above or []
    row = matrix.rows[tier.name]
    column = len(thresholds) - 1
    for index, threshold in enumerate(thresholds):
        if users_per_hour > threshold:
            column = index
            break
    return _priority(process, row[column])


def priority_for_severity(process: m.Process, tier: m.Tier, severity: m.Severity) -> m.Priority:
    """The priority of a severity (a matrix with severity columns): the row of the tier, the severity's column."""
    columns = process.priority_matrix.severities or []
    return _priority(process, process.priority_matrix.rows[tier.name][columns.index(severity.name)])


def _priority(process: m.Process, name: str) -> m.Priority:
    return next(p for p in process.priorities if p.name == name)


def impact_users(monitor: m.Monitor, service: m.Service) -> tuple[int, str] | None:
    """Users per hour a firing monitor means, and how that number was reached."""
    if monitor.impact is None:
        return None
    if monitor.impact.users_per_hour is not None:
        return monitor.impact.users_per_hour, f"{monitor.impact.users_per_hour} users/hour (declared impact)"
    fraction = monitor.impact.failing_fraction or 0.0
    users = round(service.users_per_hour * fraction)
    return users, (f"{users} users/hour = {service.users_per_hour} users/hour of {service.name} × {fraction:g} failing")


def impact_words(severity: m.Severity) -> str:
    """What a qualitative rung says is hurt, as messages state it (``impact: prevents customer operations``)."""
    return f"impact: {severity.impact}" if severity.impact else f"impact: {severity.title}"


_BANDS: dict[tuple[int, str], tuple[m.Process, tuple[int, str]]] = {}


def band_users(process: m.Process, severity: m.Severity) -> tuple[int, str]:
    """The users/hour an explicit severity stands for (its band's upper edge), and the words for it."""
    cached = _BANDS.get((id(process), severity.name))
    if cached is not None and cached[0] is process:  # identity, not equality: a process is never mutated
        return cached[1]
    if len(_BANDS) > 64:
        _BANDS.clear()
    band = _band_users(process, severity)
    _BANDS[(id(process), severity.name)] = (process, band)
    return band


def _band_users(process: m.Process, severity: m.Severity) -> tuple[int, str]:
    index = next(i for i, s in enumerate(process.severities) if s.name == severity.name)
    own = severity.users_per_hour_above or 0
    if index == 0:
        return own + 1, f"more than {own} users/hour ({severity.title})"
    upper = process.severities[index - 1].users_per_hour_above or 0
    return upper, f"up to {upper} users/hour ({severity.title}: more than {own}, up to {upper} users/hour)"


Users = tuple[int | None, str]  # users/hour (None on a qualitative ladder), and how the message explains them


def rate_severity(process: m.Process, tier: m.Tier, severity: m.Severity) -> Rating:
    """The rating of an alert that states only its severity (a monitor without impact, a burn-rate tier).

    On a quantitative ladder the severity stands for its band, rated at the band's upper edge; on a
    qualitative ladder it is its impact category, and a matrix by severity gives the priority directly.
    """
    users: Users = (None, impact_words(severity)) if process.qualitative else band_users(process, severity)
    return _rating(process, tier, severity, None, users)


def _rating(process: m.Process, tier: m.Tier, severity: m.Severity, derived: m.Severity | None, users: Users) -> Rating:
    """The rating of ``severity`` for ``users`` on ``tier``: its priority from the process's matrix."""
    if process.priority_matrix.severities is not None:
        priority = priority_for_severity(process, tier, severity)
    else:
        assert users[0] is not None  # a users/hour matrix implies a quantitative ladder (the model checks it)
        priority = priority_for(process, tier, users[0])
    return Rating(severity, derived, priority, tier, *users)  # the fields in their order


_RATINGS: dict[tuple[int, int, int], tuple[m.Process, m.Monitor, m.Service, Rating]] = {}
_RATINGS_KEPT = 1 << 16


def rate_monitor(process: m.Process, monitor: m.Monitor, service: m.Service) -> Rating:
    """The rating of one monitor of ``service`` under ``process``.

    Remembered by identity, like ``band_users`` (definitions are never mutated once loaded): one run asks for
    each monitor's rating four times (its monitor, its PagerDuty service's urgency, two process-lint rules),
    which was a tenth of validating 10,000 monitors.
    """
    key = (id(process), id(monitor), id(service))
    cached = _RATINGS.get(key)
    if cached is not None and cached[0] is process and cached[1] is monitor and cached[2] is service:
        return cached[3]
    if len(_RATINGS) >= _RATINGS_KEPT:
        _RATINGS.clear()
    rating = _rate_monitor(process, monitor, service)
    _RATINGS[key] = (process, monitor, service, rating)
    return rating


def _rate_monitor(process: m.Process, monitor: m.Monitor, service: m.Service) -> Rating:
    tier = tier_of(process, service.environment)
    if process.qualitative:
        # A users/hour impact means nothing on this ladder (a process-lint rule reports it); without an explicit
        # severity the monitor is rated at the least severe rung, which never pages by surprise.
        named = next((s for s in process.severities if s.name == monitor.severity), None)
        return rate_severity(process, tier, named or process.severities[-1])
    impact = impact_users(monitor, service)
    derived = severity_for_users(process, impact[0], production=tier.production) if impact is not None else None
    if monitor.severity is not None:
        severity = next(s for s in process.severities if s.name == monitor.severity)
    else:
        assert derived is not None  # the model requires a severity or an impact
        severity = derived
    return _rating(process, tier, severity, derived, impact if impact is not None else band_users(process, severity))


@dataclass(frozen=True)
class Declaration:
    """When an alert must become a declared incident, and at which priority.

    ``after`` is set for alerts the process escalates by duration (a production paging alert active
    ``incident_after`` or longer is the top priority): the instruction is then sent with the one
    re-notification at exactly that duration, never with the alert itself (``renotify_options``). ``after`` is
    None when the alert's own priority already requires a declaration and the process has no such duration rule.
    """

    priority: m.Priority
    after: Duration | None


def declaration_for(process: m.Process, rating: Rating) -> Declaration | None:
    top = next((p for p in process.priorities if p.declare_incident), None)
    if top is None:
        return None
    if rating.pages and rating.tier.production and process.incident_after is not None:
        return Declaration(top, process.incident_after)
    if rating.priority.declare_incident:
        return Declaration(rating.priority, None)
    return None


def renotify_options(process: m.Process, declaration: Declaration | None, *, no_data: bool) -> dict[str, Any]:
    """Datadog re-notification options of a paging alert (``renotify_interval``, ``_statuses``, ``_occurrences``).

    An alert the process escalates by duration asks for the declaration once, at exactly ``incident_after``: its
    first re-notification comes ``incident_after`` after the alert, and it is the only one
    (``renotify_occurrences: 1``, Datadog's documented way "to receive a single escalation message after the main
    alert": https://docs.datadoghq.com/monitors/notify/#renotify). Reminders after it are the process's opt-in
    (``alert_reminders``): Datadog re-notifies on one cadence, so with a declaration rule they repeat every
    ``incident_after`` (the process lint reports a different ``alert_reminders``). The status-update cadence
    belongs to the declared incident, not to the monitor.
    """
    statuses = ["alert", "no data"] if no_data else ["alert"]
    reminders = process.alert_reminders
    after = declaration.after if declaration is not None else None
    if after is not None:
        options: dict[str, Any] = {"renotify_interval": after.minutes, "renotify_statuses": statuses}
        if reminders is None:
            options["renotify_occurrences"] = 1
        return options
    if reminders is not None:
        return {"renotify_interval": reminders.minutes, "renotify_statuses": statuses}
    return {}
