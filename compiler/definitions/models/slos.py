"""The SLOs section: objectives per service, and how their burn rate alerts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from compiler.definitions.models.process import PROCESS, severity_names
from compiler.definitions.models.services import SERVICES
from compiler.definitions.section import Many, Model, Named, References
from compiler.definitions.types import (
    CalendarDuration,
    Name,
    Percentage,
    fail,
)


class BurnRateTier(Model):
    """One window pair of a multi-window burn-rate alert."""

    long_window: CalendarDuration
    short_window: CalendarDuration
    burn_rate: Annotated[float, Field(gt=0)]
    severity: Name

    @model_validator(mode="after")
    def _windows(self) -> BurnRateTier:
        if self.short_window.seconds >= self.long_window.seconds:
            raise fail(f"short_window ({self.short_window}) must be shorter than long_window ({self.long_window})")
        return self


class SloAlerting(Model):
    enabled: StrictBool = True
    tiers: list[BurnRateTier] | None = Field(
        default=None, description="Burn-rate tiers; omitted means Datadog's recommended tiers for the timeframe."
    )
    on_invalid_tier: Literal["error", "drop", "clamp"] = Field(
        default="error", description="What to do with a tier Datadog would reject."
    )
    reason: str | None = Field(
        default=None,
        min_length=1,
        description="Why the SLO alerts as it does (e.g. why it is report-only); the process document shows it.",
    )


Timeframe = Literal["7d", "30d", "90d"]


class SloBase(Named):
    service: Name
    target: Percentage
    warning: Percentage | None = None
    timeframe: Timeframe = "30d"
    tags: list[str] = Field(default_factory=list)
    alerting: SloAlerting = Field(default_factory=SloAlerting)
    datadog_slo: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")] | None = Field(
        default=None,
        description="An existing Datadog SLO, by id: alertc creates and changes no SLO for this definition, its "
        "burn-rate alerts watch that id, and plan checks it exists. The other fields describe the SLO for the "
        "process lint and the burn-rate tiers.",
    )

    @model_validator(mode="after")
    def _warning_above_target(self) -> SloBase:
        if self.warning is not None and self.warning <= self.target:
            raise fail(f"warning ({self.warning}%) must be above target ({self.target}%)")
        return self


class MetricSlo(SloBase):
    """Good events over total events (Datadog metric SLO)."""

    type: Literal["metric"]
    good: str = Field(min_length=1, description="Query counting good events.")
    total: str = Field(min_length=1, description="Query counting all events.")


class TimeSliceSlo(SloBase):
    """Share of time slices in which a query meets a threshold (Datadog time-slice SLO)."""

    type: Literal["time_slice"]
    query: str = Field(min_length=1)
    comparator: Literal["<", "<=", ">", ">="]
    threshold: float
    slice: Literal["1m", "5m"] = "5m"


Slo = Annotated[MetricSlo | TimeSliceSlo, Field(discriminator="type")]


def _references(refs: References) -> None:
    process = refs.value(PROCESS)
    services = {s.name for s in refs.items(SERVICES)}
    severities = severity_names(process)
    for slo in refs.items(SLOS):
        refs.check_known(slo, ("service",), "service", slo.service, services)
        for ti, tier in enumerate(slo.alerting.tiers or []):
            if process is not None:
                refs.check_known(slo, ("alerting", "tiers", ti, "severity"), "severity", tier.severity, severities)
        refs.unique_within(slo, "tags", slo.tags, "tag")


SLOS: Many[MetricSlo | TimeSliceSlo] = Many(Slo, "SLO", check=_references)
