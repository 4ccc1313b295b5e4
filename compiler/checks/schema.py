"""Rules of each section's schema: unknown and missing fields, types, values (D2xx).

Reported by ``compiler.definitions.errors_map``, which turns pydantic's
validation errors into findings of these rules.
"""

from __future__ import annotations

from compiler.checks.rule import Rule

UNKNOWN_FIELD = Rule(
    "D201",
    "error",
    "Unknown field",
    "A field that no section defines, usually a typo; alertc never ignores a field it does not know, because the "
    "setting would silently have no effect.\n"
    "Fix: use the field named in the hint.",
)

MISSING_FIELD = Rule(
    "D202",
    "error",
    "Missing required field",
    "The section needs this field to compile.\nFix: add the field (see docs/process.md for its meaning).",
)

MISSING_OR_UNKNOWN_TYPE = Rule(
    "D203",
    "error",
    "Missing or unknown 'type'",
    "Items that come in several types (SLOs, monitors with special types) need a 'type' naming one of them.\n"
    "Fix: set 'type' to one of the values in the hint.",
)

WRONG_TYPE = Rule(
    "D204",
    "error",
    "A value has the wrong type",
    "The field expects a different kind of value (an integer, true/false, a list, a mapping, ...).\n"
    "Fix: write the value as the message says.",
)

VALUE_NOT_ALLOWED = Rule(
    "D205",
    "error",
    "A value is not allowed",
    "The value has the right type but is not valid for the field: not one of the allowed words, not matching the "
    "field's pattern, empty, out of the field's range, or rejected by the field's own rule (durations, "
    "percentages, time zones, handles).\n"
    "Fix: use a value as the hint describes.",
)

INVALID_DATE_TIME = Rule(
    "D206",
    "error",
    "An invalid date-time",
    "Date-times are ISO 8601 with an explicit UTC offset, so a schedule never depends on the machine's time zone.\n"
    "Fix: write e.g. 2026-12-05T02:00:00-05:00.",
)
