"""The OpenSLO words both directions share, and the numbers they translate.

Import and export must agree on every name here (annotation keys, label keys,
the data-source type), or a definition would not survive export → import.
Targets are percentages in alertc (``99.9``) and fractions in OpenSLO
(``0.999``); the conversion shifts the decimal point of the number's shortest
text instead of multiplying floats, so ``99.9`` comes back as ``99.9`` and not
``99.90000000000001`` (exact for numbers of up to 15 significant digits).
"""

from __future__ import annotations

from decimal import Decimal

from compiler.compile.text import number
from compiler.definitions.types import Duration

API_V1 = "openslo/v1"
API_V1ALPHA = "openslo/v1alpha"
V1_KINDS = ("Service", "SLI", "SLO", "DataSource", "AlertPolicy", "AlertCondition", "AlertNotificationTarget")
V1ALPHA_KINDS = ("Service", "SLO")
DATADOG = "datadog"  # metric source types are compared case-insensitively ("Datadog", "datadog")

# Annotations alertc writes on export and reads back on import: what OpenSLO has no field for.
PREFIX = "alertc.dev/"
WARNING = PREFIX + "warning"  # Datadog's warning threshold, a percentage
TAGS = PREFIX + "tags"  # the SLO's extra Datadog tags, comma-separated (Datadog tags never hold a comma)
DATADOG_SLO = PREFIX + "datadog-slo"  # an existing Datadog SLO's id (alertc then creates none)
ON_INVALID_TIER = PREFIX + "on-invalid-tier"  # error | drop | clamp
DESCRIPTION = PREFIX + "description"  # the whole description, when it is longer than OpenSLO's 1,050 characters
USERS_PER_HOUR = PREFIX + "users-per-hour"  # a service's traffic
TIERS = PREFIX + "tiers"  # "recommended": the policies are the recommended tiers (rated by the service)
RECOMMENDED = "recommended"
SLO_ANNOTATIONS = (WARNING, TAGS, DATADOG_SLO, ON_INVALID_TIER, TIERS, DESCRIPTION)
SERVICE_ANNOTATIONS = (USERS_PER_HOUR,)

# Labels on Service documents: the team and environment of the alertc service.
TEAM_LABEL = "team"
ENV_LABEL = "env"

MAX_DESCRIPTION = 1050  # OpenSLO's limit on every description field
ROLLING_TIMEFRAMES = {7 * 86400: "7d", 30 * 86400: "30d", 90 * 86400: "90d"}  # what Datadog SLOs offer
SLICES = {60: "1m", 300: "5m"}  # Datadog time-slice SLOs: one-minute or five-minute slices

OPERATORS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
OPERATOR_NAMES = {symbol: name for name, symbol in OPERATORS.items()}

_SHORTHAND_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}  # M, Q and Y have no fixed length


def fraction_of(percent: float) -> float:
    """``99.9`` → ``0.999``: an alertc target as an OpenSLO objective target."""
    return float(Decimal(repr(percent)).scaleb(-2))


def percent_of(fraction: float) -> float:
    """``0.999`` → ``99.9``: an OpenSLO objective target as an alertc percentage."""
    return float(Decimal(repr(float(fraction))).scaleb(2))


def shorthand(duration: Duration) -> str:
    """A whole-minute duration in OpenSLO's shorthand, with the largest unit that divides it (``90m`` → ``90m``)."""
    seconds = duration.seconds
    if seconds <= 0 or seconds % 60 or duration.is_business:
        raise ValueError(f"{duration} is not a whole number of minutes")
    for unit in ("w", "d", "h", "m"):
        size = _SHORTHAND_UNITS[unit]
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable: every whole-minute duration divides by 60")  # pragma: no cover


def shorthand_seconds(text: object) -> int | None:
    """Seconds of a duration shorthand (``5m``, ``1h``, ``4w``); None for months, quarters, years or non-shorthand.

    A bare number is minutes, as the specification says of ``timeSliceWindow``.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text * 60 if text > 0 else None
    if not isinstance(text, str) or len(text) < 2 or not text[:-1].isdigit() or text[0] == "0":
        return None
    size = _SHORTHAND_UNITS.get(text[-1])
    return int(text[:-1]) * size if size is not None else None


def alertc_percent(percent: float) -> str:
    """``99.9`` → ``99.9%``."""
    return f"{number(percent)}%"


def alertc_duration(seconds: int) -> str:
    """Seconds as an alertc duration (``3600`` → ``1h``)."""
    return str(Duration(seconds=seconds))


def dangling(key: str, ref: object, kind: str) -> str:
    """``conditionRef 'x' names no AlertCondition``, or, for an empty reference, that it is empty."""
    if ref is None or ref == "":
        return f"{key} is empty (it should name a {kind})"
    return f"{key} '{ref}' names no {kind}"
