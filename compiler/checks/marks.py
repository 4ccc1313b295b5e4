"""Rules of ownership marks: definitions never write the tags alertc itself owns (D2xx).

alertc marks what it manages with ``managed-by:alertc`` and ``alertc-key:``,
``alertc-owner:``, ``alertc-digest:`` tags, written by apply from the scope and
the key. A definition carrying one of them (a copied native monitor, a tag typed
by hand) was silently dropped by apply while the plan still showed it; worse, one
naming another key or scope would pretend to be that object. So any tag of the
reserved forms in a definition is refused where it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding

RESERVED = ("managed-by:", "alertc-")


def _tagged_items(ctx: LintContext) -> Iterator[tuple[BaseModel, list[Any]]]:
    """Every top-level item of every section that has a ``tags`` list, with the list."""
    for value in vars(ctx.definitions).values():
        for item in value if isinstance(value, list) else [value]:
            tags = getattr(item, "tags", None)
            if isinstance(item, BaseModel) and isinstance(tags, list):
                yield item, tags


@set_rule("D209", "error")
def ownership_tag_in_definitions(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A definition carries a tag of alertc's own ownership marks

    `managed-by:alertc` and the `alertc-` tags (`alertc-key:`, `alertc-owner:`, `alertc-digest:`) are written by
    apply, from the checkout's scope and the object's key: they are how alertc (and every other scope) knows what it
    owns. Written in a definition, apply dropped them while the plan showed them, and one naming another key or scope
    would claim an object that is not this one. Native definitions made from copied objects often carry them.

    Fix: delete the tag from the definition; apply writes the right marks itself (to take over an existing object,
    use `adopt:` or `alertc import`).
    """
    for item, tags in _tagged_items(ctx):
        for index, tag in enumerate(tags):
            if isinstance(tag, str) and tag.strip().lower().startswith(RESERVED):
                yield ctx.finding(
                    rule,
                    item,
                    ("tags", index),
                    f"tag '{tag}' is one of alertc's ownership marks, written by apply",
                    "delete it from the definition; apply writes the marks from the scope and the key",
                )
