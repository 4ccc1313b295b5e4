"""The alert-test file format: ``*.alertc-test.yaml`` among the definitions (``alertc schema alert-test``).

A file holds ``tests``; each test feeds series to the compiled alerting from a clock ``start`` and states what must
happen at given times. Times are offsets from the start (``0m``, ``15m``, ``1h30m``). See the README's
"alertc test" for the whole format.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    model_validator,
)

from compiler.alerttest.values import ValuesError, expand
from compiler.definitions.types import Email, Name, SlackChannel, fail

_OFFSET = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNITS = (604800, 86400, 3600, 60, 1)
OFFSET_PATTERN = r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$"
SCHEMA_ID = "https://alertc.dev/schema/alert-test.schema.json"
DEFAULT_SCHEMA_PATH = "schema/alert-test.schema.json"
MonitorState = Literal["ok", "warn", "alert", "no data"]
BannerShown = str  # none | maintenance | multiple_services | a banner key


def _offset(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = raw.strip().lower() if isinstance(raw, str) else None
    match = _OFFSET.match(text) if text else None
    if match is None:
        raise fail(f"invalid time {raw!r}", "a time since the test's start, e.g. '0m', '15m', '1h30m' or '90s'")
    return sum(int(g) * size for g, size in zip(match.groups(), _UNITS, strict=True) if g)


Offset = Annotated[
    int,
    BeforeValidator(_offset),
    WithJsonSchema(
        {"type": "string", "pattern": OFFSET_PATTERN, "description": "A time since the start: 0m, 15m, 1h30m, 90s."}
    ),
]


def _values(raw: object) -> str:
    if isinstance(raw, list):
        raw = " ".join("_" if v is None else str(v) for v in raw)
    if not isinstance(raw, str):
        raise fail(f"expected values such as '100x9 40x19', got {raw!r}")
    try:
        expand(raw)
    except ValuesError as exc:
        raise fail(str(exc), "promtool's notation: 100x9 is ten samples of 100, _ a missing sample") from None
    return raw


Values = Annotated[
    str,
    BeforeValidator(_values),
    WithJsonSchema(
        {
            "type": "string",
            "description": "Samples in promtool's expanding notation: 'a+bxn' is a, a+b, ..., a+nb (n + 1 samples); "
            "'axn' is a n + 1 times; '_' a missing sample, '_xn' n of them.",
            "examples": ["100x9 40x19 100x29", "0+10x5", "1 2 _ 4"],
        }
    ),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeriesSpec(Model):
    """One input series: a metric, its tags, and its samples from the start."""

    metric: Annotated[str, Field(pattern=r"^[A-Za-z][\w.]*$")] = Field(
        description="The metric name, e.g. trace.rack.request.hits."
    )
    tags: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_./-]*$")], str] = Field(
        default_factory=dict, description="The series' tags, e.g. {env: eks-prod, type: idme}."
    )
    values: Values
    interval: Offset | None = Field(default=None, description="Time between samples [default: the test's interval].")


class Acknowledgement(Model):
    """Someone acknowledges the open PagerDuty incidents (of one service, or all) at a time."""

    at: Offset
    service: str | None = Field(default=None, description="Only this service's incidents (its definitions name).")
    by: Email | None = Field(default=None, description="Who acknowledges [default: the incident's assignee].")


class MonitorExpectation(Model):
    state: MonitorState | None = Field(default=None, description="The monitor's overall state (its worst group).")
    groups: dict[str, MonitorState] | None = Field(
        default=None, description="States of a multi alert's groups, e.g. {'type:idme': alert}."
    )
    silenced: StrictBool | None = Field(default=None, description="Whether a downtime silences it (any group).")


class PageExpectation(Model):
    """A PagerDuty notification of a person; unset fields match anything."""

    person: Email | None = None
    service: str | None = Field(default=None, description="The PagerDuty service (its definitions name).")
    urgency: Literal["high", "low"] | None = None
    monitor: str | None = Field(default=None, description="The monitor (or SLO alert) whose incident it is.")


class SlackExpectation(Model):
    channel: SlackChannel | None = None
    monitor: str | None = None
    state: Literal["ok", "warn", "alert", "no data"] | None = Field(
        default=None, description="The state the notification announces (ok for a recovery)."
    )
    renotification: StrictBool | None = None
    contains: str | None = Field(default=None, description="Text the rendered message contains.")


class PagerDutyEventExpectation(Model):
    """An event Datadog sends to PagerDuty (the Events API)."""

    service: str | None = None
    action: Literal["trigger", "resolve"] | None = None
    monitor: str | None = None


class PromptExpectation(Model):
    """The notification that asks for an incident declaration."""

    monitor: str | None = None


class Expectation(Model):
    """What must hold at a time (``at``) or throughout and within an interval (``between``).

    State checks (monitors, banners, incidents) hold at ``at``, or at every minute of ``between``. An event list
    (pages, slack, pagerduty, declaration_prompts) is the complete list of such events at ``at`` or within
    ``between``: ``[]`` means none.
    """

    at: Offset | None = None
    between: Annotated[list[Offset], Field(min_length=2, max_length=2)] | None = None
    monitors: dict[str, MonitorState | MonitorExpectation] = Field(default_factory=dict)
    banners: dict[str, BannerShown] = Field(
        default_factory=dict,
        description="Sign-in method → the banner its users see: none, maintenance, multiple_services, or a key.",
    )
    incidents: dict[str, Literal["none", "triggered", "acknowledged"]] = Field(
        default_factory=dict, description="PagerDuty service → the status of its open incidents."
    )
    pages: list[PageExpectation] | None = None
    slack: list[SlackExpectation] | None = None
    pagerduty: list[PagerDutyEventExpectation] | None = None
    declaration_prompts: list[PromptExpectation] | None = None

    @model_validator(mode="after")
    def _when(self) -> Expectation:
        if (self.at is None) == (self.between is None):
            raise fail("an expectation needs exactly one of 'at' or 'between'", "e.g. at: 20m, or between: [0m, 5m]")
        if self.between is not None and self.between[0] > self.between[1]:
            raise fail("between must go from the earlier time to the later one")
        return self

    @property
    def window(self) -> tuple[int, int]:
        if self.at is not None:
            return self.at, self.at
        assert self.between is not None
        return self.between[0], self.between[1]


class AlertTest(Model):
    name: Name = Field(description="Unique across the test files; `alertc test --run NAME` selects it.")
    description: str = Field(default="", description="The process statement the test proves.")
    start: AwareDatetime | None = Field(default=None, description="The clock at 0m, with its UTC offset.")
    interval: Offset | None = Field(default=None, description="Time between samples [default: the file's, else 1m].")
    duration: Offset | None = Field(default=None, description="How long to run [default: the longest series or check].")
    series: list[SeriesSpec] = Field(default_factory=list)
    acknowledgements: list[Acknowledgement] = Field(default_factory=list)
    allow_other_pages: StrictBool = Field(
        default=False, description="Do not fail on high-urgency pages no expectation lists."
    )
    expect: list[Expectation] = Field(min_length=1)


class AlertTestFile(Model):
    model_config = ConfigDict(
        extra="forbid",
        title="alertc alert tests",
        json_schema_extra={"$comment": "Generated by `alertc schema alert-test`; do not edit by hand."},
    )

    start: AwareDatetime | None = Field(default=None, description="Default clock at 0m of every test.")
    interval: Offset | None = Field(default=None, description="Default time between samples (1m).")
    tests: list[AlertTest] = Field(min_length=1)


def alert_test_schema() -> dict[str, Any]:
    schema = AlertTestFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


def render_schema() -> str:
    """Stable text: sorted keys, two-space indent, trailing newline (diff-friendly)."""
    return json.dumps(alert_test_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
