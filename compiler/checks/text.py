"""Rules of free text: a title, runbook, guidance, description or banner text is text, never routing (D2xx).

alertc writes the definitions' prose into Datadog messages (the monitor's
message, an SLO alert's, a downtime's) around the routing block it builds
from the process. Datadog reads the whole message as a template: a
``{{/is_alert}}`` in a guidance line closes alertc's block early, and any
``@handle`` left in the rendered text is notified. So a sentence could page a
service the process never routes to, on every transition. The rule below
refuses such text where it is written, with its position; the routing stays
the process's (``notify.handles`` names extra recipients, which the process lint checks).

The compiled side is checked too (``compiler.checks.routed``): every
handle in a compiled monitor's message must be one its routing produced, so
text that reaches a message by another way (the raw ``options`` escape hatch,
a future field) still cannot page anyone.

Not checked here: the native sections (``datadog_monitors`` and the other vendor
forms carry Datadog's own message on purpose, handles included) and the
fields that are queries, where ``@attribute`` is log-search syntax.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding

TEMPLATE = re.compile(r"\{\{|\}\}")
"""Datadog's template delimiters: variables, conditional blocks and ``{{{{raw}}}}`` all start with them."""

HANDLE = re.compile(r"(?<!\w)@[\w.+/-]+(?:@[\w.-]+)?")
"""An @-handle as Datadog notifies it, and wider: any ``@`` that does not continue a word (an e-mail address,
``ops@example.com``, does). Wider is the safe side: a false finding costs a rephrase, a missed one a page."""

NOT_TEXT = frozenset({"query", "good", "total", "handles"})
"""Fields that are queries or explicit routing, not prose (``@status:error`` is a log query's facet)."""

Path = tuple[str | int, ...]


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Every string under ``value`` with its YAML path (field names, list indices, mapping keys)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if name not in NOT_TEXT:
                yield from _strings(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    # a mapping is a raw escape hatch (a monitor's ``options``): its values are Datadog's, checked once compiled


def _process_sections(ctx: LintContext) -> Iterator[BaseModel]:
    """Each top-level item of the sections the process compiles (not the vendors' native forms)."""
    for f in dataclasses.fields(ctx.definitions):
        if f.name.startswith(("datadog_", "pagerduty_")):
            continue
        value = getattr(ctx.definitions, f.name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                yield item


def _offences(text: str) -> list[str]:
    found = [m.group(0) for m in TEMPLATE.finditer(text)] + [m.group(0) for m in HANDLE.finditer(text)]
    return list(dict.fromkeys(found))


@set_rule("D207", "error")
def template_or_handle_in_text(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """Free text holds Datadog template syntax or a notification handle

    Titles, runbooks, guidance, descriptions, banner texts and the process's own prose are written into Datadog
    messages around the routing block alertc builds from the process. Datadog reads the whole message as a template:
    `{{/is_alert}}` in a guidance line closes alertc's block early, and every `@handle` left in the rendered text is
    notified. A sentence could page a service the process never routes to, on every transition, while the plan looked
    harmless. Any `{{`, `}}` or `@name` that does not continue a word (an e-mail address like ops@example.com does) is
    refused where it is written. Native sections (`datadog_monitors`, ...) and queries are not prose and are not
    checked.

    Fix: rephrase the text (write "at" or "the pagerduty service X"); to notify someone more, name the handle in the
    monitor's `notify.handles`, which the process lint checks and the notification simulator shows.
    """
    for item in _process_sections(ctx):
        for path, text in _strings(item, ()):
            if "{" not in text and "}" not in text and "@" not in text:
                continue
            offences = _offences(text)
            if not offences:
                continue
            field = ".".join(str(p) for p in path if isinstance(p, str)) or "text"
            shown = ", ".join(f"'{o}'" for o in offences)
            yield ctx.finding(
                rule,
                item,
                path,
                f"{field}: {shown} in free text would be read by Datadog as a template or a notification handle",
                "rephrase it; extra recipients go in the monitor's notify.handles "
                f"(see `alertc validate --explain {rule.id}`)",
            )
