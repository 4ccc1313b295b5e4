"""Value types of the definitions language, each with its own validation and schema.

The rules here are the ones the target APIs enforce (PagerDuty's time-zone
list, Slack's channel names, Datadog's tag characters), applied at load time
so a typo fails with a position and a hint instead of a 400 during apply.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from compiler.definitions.timezone_links import OLD_TIME_ZONE_NAMES
from compiler.definitions.timezones import PAGERDUTY_TIME_ZONES


def fail(message: str, hint: str | None = None) -> PydanticCustomError:
    """An error whose text reaches the user as written (no pydantic prefix)."""
    return PydanticCustomError("alertc", message.replace("{", "{{").replace("}", "}}"), {"hint": hint or ""})


def _did_you_mean(value: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


# --- durations --------------------------------------------------------------------------

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_COMPOUND = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_BUSINESS = re.compile(r"^(\d+)\s+business\s+days?$")
DURATION_PATTERN = r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$|^\d+ business days?$"


_PARSED_DURATIONS: dict[str, Duration] = {}  # frozen values, so one object may stand for every equal text


@dataclass(frozen=True)
class Duration:
    """A span such as ``30m``, ``1h30m``, ``1d`` or ``1 business day``.

    Business days are kept apart from calendar time because they cannot be
    converted without a calendar: "1 business day" after Friday 17:00 is
    Monday 17:00, not Saturday.
    """

    seconds: int = 0
    business_days: int = 0

    @property
    def is_business(self) -> bool:
        return self.business_days > 0

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    def __str__(self) -> str:
        if self.business_days:
            return f"{self.business_days} business day" + ("s" if self.business_days != 1 else "")
        rest, parts = self.seconds, []
        for unit in ("w", "d", "h", "m", "s"):
            size = _UNIT_SECONDS[unit]
            if rest >= size:
                parts.append(f"{rest // size}{unit}")
                rest %= size
        return "".join(parts) or "0s"

    @classmethod
    def parse(cls, raw: object) -> Duration:
        if isinstance(raw, Duration):
            return raw
        if not isinstance(raw, str):
            raise fail(
                f"expected a duration such as '30m', '1h' or '1 business day', got {raw!r}",
                "durations are strings with a unit: s, m, h, d, w",
            )
        known = _PARSED_DURATIONS.get(raw)
        if known is not None and type(known) is cls:
            return known
        parsed = cls._parse_text(raw)
        if len(_PARSED_DURATIONS) < 4096:  # a set repeats a few spans (5m, 1h) thousands of times
            _PARSED_DURATIONS[raw] = parsed
        return parsed

    @classmethod
    def _parse_text(cls, raw: str) -> Duration:
        text = raw.strip().lower()
        business = _BUSINESS.match(text)
        if business:
            days = int(business.group(1))
            if days == 0:
                raise fail("a duration must be longer than zero")
            return cls(business_days=days)
        match = _COMPOUND.match(text)
        if not text or match is None:
            raise fail(
                f"invalid duration '{raw}'",
                "use a number and a unit (s, m, h, d, w), e.g. '30m', '1h30m', '1d', or 'N business days'",
            )
        seconds = sum(int(g) * _UNIT_SECONDS[u] for g, u in zip(match.groups(), "wdhms", strict=True) if g is not None)
        if seconds == 0:
            raise fail("a duration must be longer than zero")
        return cls(seconds=seconds)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration: 30m, 1h, 1h30m, 1d, 1w, or 'N business days'.",
            "examples": ["30m", "1h", "1 business day"],
        }


def _calendar_only(value: Duration) -> Duration:
    if value.is_business:
        raise fail(
            f"'{value}' is not allowed here: this field needs calendar time",
            "use s, m, h, d or w; business days only fit response times",
        )
    return value


CalendarDuration = Annotated[Duration, AfterValidator(_calendar_only)]


# --- identifiers and contact points --------------------------------------------------------

_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def _check_name(value: object) -> str:
    if not isinstance(value, str):
        raise fail(f"expected a name (lowercase letters, digits and '-'), got {value!r}")
    if not _NAME.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        raise fail(
            f"invalid name '{value}': use lowercase letters, digits and '-' (at most 64)",
            f"names become Datadog tags and PagerDuty keys; try '{suggestion}'" if suggestion else None,
        )
    return value


Name = Annotated[
    str,
    BeforeValidator(_check_name),
    WithJsonSchema({"type": "string", "pattern": _NAME.pattern, "maxLength": 64}),
]

_BANNER_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")


def _check_banner_key(value: object) -> str:
    if not isinstance(value, str) or not _BANNER_KEY.match(value):
        raise fail(
            f"invalid banner key {value!r}: use lowercase letters, digits, '_' and '-' (at most 64)",
            "banner keys are the sign-in backend's service keys, e.g. 'logingov' or 'ssoe_oauth'",
        )
    return value


BannerKey = Annotated[
    str,
    BeforeValidator(_check_banner_key),
    WithJsonSchema({"type": "string", "pattern": _BANNER_KEY.pattern, "maxLength": 64}),
]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def _check_email(value: object) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise fail(f"invalid email address {value!r}", "PagerDuty users are identified by email, e.g. ada@example.com")
    return value.lower()


Email = Annotated[
    str,
    BeforeValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "pattern": _EMAIL.pattern}),
]

_SLACK = re.compile(r"^#[a-z0-9][a-z0-9._-]{0,79}$")


def _check_slack(value: object) -> str:
    if value is None:  # `alerts: #web-alerts` unquoted: YAML read a comment, and the value is empty
        raise fail(
            "Slack channel is empty: YAML read an unquoted '#channel' as a comment",
            "quote the channel, e.g. \"#web-alerts\": in YAML a '#' after a space starts a comment",
        )
    if not isinstance(value, str) or not _SLACK.match(value):
        hint = "Slack channel names start with '#', use lowercase letters, digits, '-', '_' or '.', at most 80"
        if isinstance(value, str) and not value.startswith("#") and _SLACK.match("#" + value):
            hint = f"write it as '#{value}' (in YAML, quote it: \"#{value}\", or it becomes a comment)"
        raise fail(f"invalid Slack channel {value!r}", hint)
    return value


SlackChannel = Annotated[
    str,
    BeforeValidator(_check_slack),
    WithJsonSchema({"type": "string", "pattern": _SLACK.pattern}),
]


# The common plain form (ASCII host, printable ASCII after it), accepted without urlsplit: every string it matches,
# urlsplit splits into an http(s) scheme and a non-empty netloc, and none has a space. Anything else takes urlsplit.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")


def _check_url(value: object) -> str:
    if not isinstance(value, str):
        raise fail(f"expected a URL, got {value!r}")
    if _PLAIN_URL.fullmatch(value):
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise fail(f"invalid URL '{value}'", "links must be absolute http(s) URLs, e.g. https://example.com/runbook")
    return value


Url = Annotated[
    str,
    BeforeValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]


def _check_time_zone(value: object) -> str:
    if not isinstance(value, str):
        raise fail(f"expected a time zone name, got {value!r}")
    if value not in PAGERDUTY_TIME_ZONES:
        current = OLD_TIME_ZONE_NAMES.get(value)  # an old tz name (US/Eastern): its current one, not a look-alike
        hint = (
            f"did you mean '{current}'?"
            if current
            else _did_you_mean(value, PAGERDUTY_TIME_ZONES) or "PagerDuty accepts only its documented time zone ids"
        )
        raise fail(f"time zone '{value}' is not accepted by PagerDuty", hint)
    return value


TimeZone = Annotated[
    str,
    BeforeValidator(_check_time_zone),
    WithJsonSchema({"type": "string", "enum": list(PAGERDUTY_TIME_ZONES)}),
]


def _check_percentage(value: object) -> float:
    number: float
    if isinstance(value, bool):
        raise fail(f"expected a percentage such as '99.9%', got {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = float(value.strip()[:-1])
        except ValueError:
            raise fail(f"invalid percentage '{value}'", "write it as '99.9%' or 99.9") from None
    else:
        raise fail(f"invalid percentage {value!r}", "write it as '99.9%' or 99.9")
    if not 0 < number < 100:
        raise fail(f"percentage {value!r} must be above 0% and below 100%")
    return number


Percentage = Annotated[
    float,
    BeforeValidator(_check_percentage),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100},
                {"type": "string", "pattern": r"^\d+(\.\d+)?%$"},
            ],
            "description": "A percentage, e.g. '99.9%' or 99.9.",
        }
    ),
]

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _check_clock(value: object) -> str:
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise fail(f"invalid time of day {value!r}", 'use 24-hour HH:MM, quoted, e.g. "09:00"')
    return value


ClockTime = Annotated[
    str,
    BeforeValidator(_check_clock),
    WithJsonSchema({"type": "string", "pattern": _CLOCK.pattern}),
]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clock_minutes(value: str) -> int:
    """Minutes after midnight of an ``HH:MM`` string already validated by ClockTime."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)
