"""Writing Mermaid text that parses: node ids, quoted labels, and the fenced block GitHub renders.

Mermaid reads ``#name;`` and ``#123;`` inside labels as entities and ends a quoted label at ``"``, so labels are
written with ``#35;`` for ``#`` and ``#quot;`` for ``"``. Gantt task names end at ``:`` and statements at ``;``
or ``#``, so names there are written without them. Every diagram alertc writes is parsed by Mermaid's own parser
in the tests (``tools/mermaid``), not checked by pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ID = re.compile(r"[^A-Za-z0-9_]")


def node_id(*parts: str) -> str:
    """A node id from any text: letters, digits and ``_`` only, never a Mermaid keyword (``end``, ``graph``)."""
    return "n_" + "_".join(_ID.sub("_", p) for p in parts)


def label(text: str) -> str:
    """``text`` as a quoted Mermaid label (``<br/>`` kept as a line break)."""
    return '"' + text.replace("#", "#35;").replace('"', "#quot;") + '"'


def plain(text: str) -> str:
    """``text`` for places without quotes (gantt task and section names, sequence messages)."""
    return re.sub(r"[:;#\n]", " ", text).strip()


def block(lines: Iterable[str]) -> list[str]:
    """A fenced ``mermaid`` code block, followed by a blank line."""
    return ["```mermaid", *lines, "```", ""]
