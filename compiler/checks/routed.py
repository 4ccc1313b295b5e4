"""The compiled side of "text is text": a monitor notifies exactly whom its routing names.

Checked by the compile itself, on every monitor it writes, so it holds for
every command that compiles (validate, plan, apply, explain) and cannot be
bypassed by a field the text rule does not read. This module imports
only the rule and the template reader, so the compile can use it without an
import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compiler.checks.rule import Rule
from compiler.notify.template import handles

UNROUTED_HANDLE = Rule(
    "D208",
    "error",
    "A compiled message notifies a handle its routing did not produce",
    "alertc builds who a monitor notifies from the process: its service's PagerDuty service when it pages, the "
    "team's channel, its banner's status service, and the monitor's own notify.channels and notify.handles. After "
    "compiling, every @-handle in the monitor's message and in its options' escalation_message must be one of "
    "those; any other would notify someone the process does not name (text in raw options, or anything that "
    "reached the message another way), so the plan fails.\n"
    "Fix: name the recipient in the monitor's notify.handles (the process lint checks that it names a defined "
    "service), or remove the handle from the text.",
)


def unrouted_handles(body: Mapping[str, Any], routed: Iterable[str]) -> list[str]:
    """Handles a compiled monitor body notifies that are not among ``routed``, in order of appearance."""
    options = body.get("options") or {}
    texts = [str(body.get("message") or ""), str(options.get("escalation_message") or "")]
    allowed = set(routed)
    return [h for h in dict.fromkeys(h for text in texts for h in handles(text)) if h not in allowed]
