"""Severity, priority and who is notified: the process table applied to one monitor.

These rules are the heart of "the alerting matches the documented process":
a monitor's severity comes from the process's severity ladder (explicitly, or
from the users per hour it means), its priority from the tier × users matrix,
and its recipients from whether that severity pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.definitions import models as m


@dataclass(frozen=True)
class Rating:
    """What a firing monitor means, with the arithmetic kept for messages and findings."""

    severity: m.Severity
    derived_severity: m.Severity | None
    priority: m.Priority
    tier: m.Tier
    users_per_hour: int
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
    raise KeyError(environment)  # references.py guarantees every environment has a tier


def severity_for_users(process: m.Process, users_per_hour: int, *, production: bool) -> m.Severity:
    """The most severe rung whose threshold the impact exceeds.

    Non-production problems take the rung marked ``includes_non_production``
    whatever their size (the SLA: "Includes non-production issues").
    """
    if not production:
        for severity in process.severities:
            if severity.includes_non_production:
                return severity
    for severity in process.severities:
        if users_per_hour > severity.users_per_hour_above:
            return severity
    return process.severities[-1]


def priority_for(process: m.Process, tier: m.Tier, users_per_hour: int) -> m.Priority:
    matrix = process.priority_matrix
    row = matrix.rows[tier.name]
    column = len(matrix.users_per_hour_above) - 1
    for index, threshold in enumerate(matrix.users_per_hour_above):
        if users_per_hour > threshold:
            column = index
            break
    name = row[column]
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


def rate_monitor(process: m.Process, monitor: m.Monitor, service: m.Service) -> Rating:
    tier = tier_of(process, service.environment)
    impact = impact_users(monitor, service)
    derived = severity_for_users(process, impact[0], production=tier.production) if impact is not None else None
    if monitor.severity is not None:
        severity = next(s for s in process.severities if s.name == monitor.severity)
    else:
        assert derived is not None  # the model requires a severity or an impact
        severity = derived
    if impact is not None:
        users, explained = impact
    else:
        # An explicit severity without impact means at least its own threshold is crossed.
        users = severity.users_per_hour_above + 1
        explained = f"more than {severity.users_per_hour_above} users/hour ({severity.title})"
    return Rating(
        severity=severity,
        derived_severity=derived,
        priority=priority_for(process, tier, users),
        tier=tier,
        users_per_hour=users,
        users_explained=explained,
    )
