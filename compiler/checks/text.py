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

import collections.abc
import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding

TEMPLATE = re.compile(r"\{\{|\}\}")
"""Datadog's template delimiters: variables, conditional blocks and ``{{{{raw}}}}`` all start with them."""

HANDLE = re.compile(r"@(?<!\w@)[\w.+/-]+(?:@[\w.-]+)?")  # from the "@", looking back: the engine skips to each "@"
"""An @-handle as Datadog notifies it, and wider: any ``@`` that does not continue a word (an e-mail address,
``ops@example.com``, does). Wider is the safe side: a false finding costs a rephrase, a missed one a page."""

NOT_TEXT = frozenset({"query", "good", "total", "handles"})
"""Fields that are queries or explicit routing, not prose (``@status:error`` is a log query's facet)."""

Path = tuple[str | int, ...]

_SEQUENCES = (collections.abc.Sequence, collections.abc.Iterable, collections.abc.Collection)


def _suspect(text: str) -> bool:
    return "@" in text or "{" in text or "}" in text


def strings_under(item: BaseModel, keep: Callable[[str], bool] = _suspect) -> list[tuple[Path, str]]:
    """The strings under ``item`` that ``keep`` selects (by default those that could hold a delimiter or a
    handle), with their YAML paths (field names, list indices), in the order written.

    Only the fields whose declared type can hold a string are looked at (``_text_fields``), and a path is built
    only for a container or a kept string: 10,000 monitors take a few tens of milliseconds, and a validate of
    that size runs this rule on every one.
    """
    found: list[tuple[Path, str]] = []

    def look(path: Path, steps: Iterable[tuple[str | int, Any]]) -> None:
        for step, value in steps:
            if isinstance(value, str):
                if keep(value):
                    found.append(((*path, step), value))
            elif isinstance(value, BaseModel):
                look((*path, step), _text_values(value))
            elif isinstance(value, list | tuple):
                look((*path, step), enumerate(value))
            # a mapping is a raw escape hatch (a monitor's ``options``): its values are Datadog's, checked once
            # compiled; numbers, booleans and nulls hold no text

    look((), _text_values(item))
    return found


def _text_values(model: BaseModel) -> list[tuple[str, Any]]:
    """A model's values that may hold prose, each under the name it has in YAML (a model keeps its fields'
    values in its ``__dict__``)."""
    values = model.__dict__
    return [(alias, values[name]) for name, alias in _text_fields(type(model))]


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """A model's fields whose declared type can hold a string, each with the name it has in YAML, in order."""
    return tuple(
        (name, info.alias or name)
        for name, info in model.model_fields.items()
        if name not in NOT_TEXT and _can_hold_text(info.annotation, frozenset({model}))
    )


def _can_hold_text(annotation: Any, models: frozenset[type[BaseModel]]) -> bool:
    """Whether a value of this declared type can be or contain a string the walk would read.

    Strings and ``Any`` can; a model can when one of its fields can (``models``: those being decided, which
    answer yes so that a recursive model is walked); unions, lists and ``Annotated`` when a member can; a
    ``Literal`` only when one of its fixed values holds ``{``, ``}`` or ``@``. Mappings are the raw escape
    hatch (not walked), and numbers, booleans, durations and other classes hold no text.
    """
    origin = typing.get_origin(annotation)
    if annotation is Any or (isinstance(annotation, type) and issubclass(annotation, str)):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation in models or any(
            _can_hold_text(info.annotation, models | {annotation}) for info in annotation.model_fields.values()
        )
    if origin is typing.Literal:
        return any(isinstance(v, str) and _suspect(v) for v in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _can_hold_text(typing.get_args(annotation)[0], models)
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset) or origin in _SEQUENCES:
        return any(_can_hold_text(arg, models) for arg in typing.get_args(annotation) if arg is not Ellipsis)
    return False


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
        for path, text in strings_under(item):
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
