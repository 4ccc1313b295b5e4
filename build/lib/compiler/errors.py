"""The one error story: a small hierarchy the CLI maps to exit codes.

Every user-facing failure is an ``AlertcError`` whose message already names
the file:line:col or the resource key, what is wrong and how to fix it, so the
CLI never needs to show a traceback for it.
"""

from __future__ import annotations


class AlertcError(Exception):
    """Base of all errors alertc reports to a user (exit code 1)."""

    exit_code = 1


class DefinitionsError(AlertcError):
    """The definitions could not be loaded or are invalid."""


class TargetError(AlertcError):
    """A Datadog or PagerDuty target could not be reached or refused us."""


class PlanError(AlertcError):
    """A plan could not be made, read, or applied (including stale plans)."""
