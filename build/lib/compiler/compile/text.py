"""Small formatting helpers shared by the compile modules (numbers, windows, handles)."""

from __future__ import annotations

import re

from compiler.definitions.types import Duration


def number(value: float) -> str:
    """A threshold as Datadog writes it in a query: ``50``, ``2.43``, never ``50.0``."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def datadog_window(duration: Duration) -> str:
    """``last_15m`` style window: the largest unit that divides the duration."""
    seconds = duration.seconds
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise ValueError(f"Datadog windows are whole minutes, got {duration}")


def slack_handle(channel: str, account: str | None = None) -> str:
    """``#va-identity-alerts`` → ``@slack-va-identity-alerts``, or ``@slack-<account>-va-identity-alerts``."""
    name = channel.removeprefix("#")
    return f"@slack-{account}-{name}" if account else f"@slack-{name}"


def pagerduty_handle(service_object_name: str) -> str:
    return "@pagerduty-" + service_object_name


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def human_days(days: float) -> str:
    if days < 1:
        hours = days * 24
        return f"~{hours:.0f} hours" if hours >= 2 else "~1 hour"
    rounded = round(days)
    return f"~{rounded} day" + ("s" if rounded != 1 else "")
