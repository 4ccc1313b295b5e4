"""Datadog monitor message templates: conditional blocks and @-handles, evaluated for one transition.

A monitor message is Mustache-like text. ``{{#is_alert}}...{{/is_alert}}`` shows its content only when the
variable holds, ``{{^is_alert}}...{{/is_alert}}`` only when it does not, and every ``@handle`` in the
rendered text (preceded by whitespace or at a line start) is notified. The variables and when each holds are
Datadog's documented conditional variables:
https://docs.datadoghq.com/monitors/notify/variables/ ("Conditional variables").

Variables that test the triggering context rather than the transition (``is_match``, ``is_exact_match``,
``is_priority``) cannot be decided from the template alone; they are taken as true either way, so the result
over-approximates who *may* be notified, which is the safe side for a "does a warning page?" question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

DOCS_URL = "https://docs.datadoghq.com/monitors/notify/variables/"

# Every transition variable Datadog documents; anything else is a context test (see the module docstring).
TRANSITION_VARIABLES = frozenset(
    {
        "is_alert",
        "is_warning",
        "is_recovery",
        "is_warning_recovery",
        "is_alert_recovery",
        "is_alert_to_warning",
        "is_no_data",
        "is_no_data_recovery",
        "is_unknown",
        "is_renotify",
    }
)

_TAG = re.compile(r"\{\{\s*([#^/])\s*([A-Za-z_][\w.]*)((?:\s+[^}]*)?)\}\}")
# An ``@`` preceded by whitespace, ``(``, ``>`` or nothing. The pattern starts with the ``@`` and looks back from it
# (not ahead of it), so the engine jumps from one ``@`` to the next instead of trying every position of the text:
# 18 times faster on a compiled message, which every compile checks (``checks.routed``).
_HANDLE = re.compile(r"@(?<![^\s(>]@)[\w.+-]+(?:@[\w.-]+)?")


class TemplateError(ValueError):
    """An unbalanced ``{{#...}}`` / ``{{/...}}`` pair: Datadog would reject the message."""


@dataclass(frozen=True)
class Block:
    """A run of text and the conditions (variable, wanted truth) that must all hold for it to show."""

    text: str
    conditions: tuple[tuple[str, bool], ...]


def blocks(template: str) -> list[Block]:
    """Split a template into text runs, each with the conditional blocks enclosing it."""
    return list(_parsed(template))


@lru_cache(maxsize=256)  # one template is rendered once per transition: parse it once
def _parsed(template: str) -> tuple[Block, ...]:
    out: list[Block] = []
    stack: list[tuple[str, bool]] = []
    position = 0
    for match in _TAG.finditer(template):
        if match.start() > position:
            out.append(Block(template[position : match.start()], tuple(stack)))
        position = match.end()
        sigil, name = match.group(1), match.group(2)
        if sigil in "#^":
            stack.append((name, sigil == "#"))
        else:
            if not stack or stack[-1][0] != name:
                raise TemplateError(f"{{{{/{name}}}}} closes nothing open")
            stack.pop()
    if stack:
        raise TemplateError(f"{{{{#{stack[-1][0]}}}}} is never closed")
    if position < len(template):
        out.append(Block(template[position:], tuple(stack)))
    return tuple(out)


def _holds(conditions: tuple[tuple[str, bool], ...], true_vars: frozenset[str]) -> bool:
    for name, wanted in conditions:
        if name not in TRANSITION_VARIABLES:
            continue  # a context test: assumed to allow the text either way
        if (name in true_vars) != wanted:
            return False
    return True


def render(template: str, true_vars: frozenset[str]) -> str:
    """The text Datadog sends when exactly ``true_vars`` hold."""
    return "".join(b.text for b in _parsed(template) if _holds(b.conditions, true_vars))


def handles(text: str) -> list[str]:
    """The @-handles notified by a rendered text, in order, without repeats."""
    return list(dict.fromkeys(_HANDLE.findall(text)))


def handles_inside(template: str, variable: str) -> list[str]:
    """Handles written inside a ``{{#variable}}`` block (Datadog notifies ``is_alert_recovery`` recipients
    on ALERT → WARNING with no body: this is how such a transition resolves PagerDuty)."""
    found = [h for b in _parsed(template) if (variable, True) in b.conditions for h in handles(b.text)]
    return list(dict.fromkeys(found))
