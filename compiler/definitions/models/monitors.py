"""The monitors section: what is watched, how bad it is when it fires, and who hears of it."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, model_validator

from compiler.definitions.models.process import PROCESS, severity_names
from compiler.definitions.models.services import SERVICES
from compiler.definitions.section import Many, Model, References
from compiler.definitions.types import (
    BannerKey,
    CalendarDuration,
    Name,
    SlackChannel,
    Url,
    fail,
)

Comparator = Literal["<", "<=", ">", ">="]


class Thresholds(Model):
    critical: float
    warning: float | None = None
    recovery: float | None = Field(default=None, description="Critical recovers only past this value.")
    warning_recovery: float | None = None


class Impact(Model):
    """What a firing monitor means for users: absolute, or a fraction of the service's traffic."""

    users_per_hour: Annotated[int, Field(ge=0)] | None = None
    failing_fraction: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _one(self) -> Impact:
        if (self.users_per_hour is None) == (self.failing_fraction is None):
            raise fail("impact is exactly one of users_per_hour or failing_fraction")
        return self


class Notifications(Model):
    channels: list[SlackChannel] = Field(default_factory=list, description="Extra Slack channels.")
    handles: list[Annotated[str, Field(pattern=r"^@[\w.+-]+(@[\w.-]+)?$")]] = Field(
        default_factory=list, description="Extra Datadog @-handles."
    )
    replace_defaults: StrictBool = Field(
        default=False, description="Notify only these, not the team channel and PagerDuty service."
    )


class Monitor(Model):
    name: Name
    title: str
    service: Name
    type: Literal["query alert", "metric alert", "service check", "event-v2 alert", "log alert"] = "query alert"
    query: str = Field(min_length=1, description="The metric expression, without aggregation or comparison.")
    aggregation: Literal["avg", "sum", "min", "max", "last", "change", "pct_change"] = "avg"
    window: CalendarDuration = Field(description="Evaluation window, e.g. '15m'.")
    comparator: Comparator
    thresholds: Thresholds
    severity: Name | None = None
    impact: Impact | None = None
    runbook: Url | None = None
    notify: Notifications = Field(default_factory=Notifications)
    banner_key: BannerKey | None = Field(default=None, description="Dependency key whose status service this drives.")
    banner_on_no_data: StrictBool = Field(
        default=False,
        description="Also raise the banner on No Data (off by default: a metrics gap is not a sign-in outage).",
    )
    dependency_group: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_./-]*$")] | None = Field(
        default=None,
        description="The group-by tag whose values are dependency keys (e.g. 'type' for a monitor grouped "
        "'by {type}' per CSP, with groups type:logingov, type:idme): a maintenance window on a key silences that "
        "key's group of this monitor for the window.",
    )
    guidance: str = Field(default="", description="What the responder must know or decide for this alert.")
    no_data: CalendarDuration | None = Field(default=None, description="Alert when data is missing this long.")
    tags: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_./:-]*$")]] = Field(default_factory=list)
    options: dict[str, Any] = Field(
        default_factory=dict, description="Raw Datadog monitor options, merged last (escape hatch)."
    )

    @model_validator(mode="after")
    def _thresholds(self) -> Monitor:
        if self.severity is None and self.impact is None:
            raise fail(
                "a monitor needs a severity or an impact",
                "set severity: <name>, or impact: {users_per_hour: N} to derive it from the severity table",
            )
        t, below = self.thresholds, self.comparator in ("<", "<=")
        sign = 1.0 if below else -1.0  # healthy values are above critical for '<', below it for '>'
        ok_side = "above" if below else "below"
        if t.warning is not None and sign * (t.warning - t.critical) <= 0:
            raise fail(
                f"warning threshold {t.warning} must be {ok_side} critical {t.critical} "
                f"for comparator '{self.comparator}'"
            )
        if t.recovery is not None and sign * (t.recovery - t.critical) <= 0:
            raise fail(
                f"recovery threshold {t.recovery} must be {ok_side} critical {t.critical} "
                f"for comparator '{self.comparator}'",
                "the monitor recovers once the value is back on the healthy side of this threshold",
            )
        if t.warning_recovery is not None:
            if t.warning is None:
                raise fail("warning_recovery needs a warning threshold")
            if sign * (t.warning_recovery - t.warning) <= 0:
                raise fail(f"warning_recovery {t.warning_recovery} must be {ok_side} warning {t.warning}")
        if self.dependency_group is not None:
            grouped = {
                tag.strip() for clause in re.findall(r"\bby\s*\{([^}]*)\}", self.query) for tag in clause.split(",")
            }
            if self.dependency_group not in grouped:
                raise fail(
                    f"dependency_group '{self.dependency_group}' is not a group of the query",
                    f"group the query by it ('by {{{self.dependency_group}}}'), or remove dependency_group",
                )
        if self.options and {"thresholds", "notify_no_data", "no_data_timeframe"} & set(self.options):
            reserved = {"thresholds", "notify_no_data", "no_data_timeframe"} & set(self.options)
            raise fail(
                f"options may not set {', '.join(sorted(reserved))}",
                "use the monitor's thresholds and no_data fields instead",
            )
        return self


def _references(refs: References) -> None:
    process = refs.value(PROCESS)
    services = {s.name for s in refs.items(SERVICES)}
    severities = severity_names(process)
    keys = refs.names("dependencies")
    for monitor in refs.items(MONITORS):
        refs.check_known(monitor, ("service",), "service", monitor.service, services)
        if monitor.severity is not None and process is not None:
            refs.check_known(monitor, ("severity",), "severity", monitor.severity, severities)
        if monitor.banner_key is not None:
            refs.check_known(monitor, ("banner_key",), "dependency key", monitor.banner_key, keys)
        refs.unique_within(monitor, ("notify", "channels"), monitor.notify.channels, "channel")
        refs.unique_within(monitor, ("notify", "handles"), monitor.notify.handles, "handle")
        refs.unique_within(monitor, "tags", monitor.tags, "tag")


MONITORS: Many[Monitor] = Many(Monitor, "monitor", check=_references)
