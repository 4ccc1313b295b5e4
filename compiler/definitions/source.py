"""YAML documents that remember where every value came from.

PyYAML's constructors throw positions away and silently keep the last of two
duplicate keys. We compose the node graph with the C parser (fast enough for
ten thousand monitors) and build plain Python data ourselves, so that

* duplicate keys become findings instead of silent overwrites;
* any validation error, given the path of keys and indices pydantic reports,
  can be traced back to ``file:line:col`` by walking the retained nodes;
* YAML 1.1 surprises are avoided: ``no``/``on``/``yes`` stay strings (only
  ``true``/``false`` are booleans) and timestamps stay strings, so the models
  parse them with their own, stricter rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.definitions.findings import Finding, Location

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_PLAIN = "alertc:plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _Loader(_BaseLoader):
    """The C parser with YAML 1.2 core-schema scalars, resolved by us.

    PyYAML's resolver is pure Python and runs a regex chain per scalar (most
    of the load time for large sets); we only mark plain scalars and type
    them in ``_scalar``. YAML 1.1 quirks disappear as a bonus: ``09:00`` is
    not 540, ``no`` is not false.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


@dataclass
class Document:
    """One YAML document of one file: its data and the nodes it was built from."""

    path: Path
    display: str
    index: int
    node: yaml.Node | None
    data: Any

    def locate(self, loc: Sequence[str | int]) -> Location:
        """Best position for a pydantic-style ``loc`` inside this document.

        Components that are not keys of the current mapping (pydantic adds
        union tags such as ``'metric'``) are skipped; if the path leaves the
        tree (a missing field), the deepest node reached is used, which is the
        mapping the field is missing from.
        """
        return self._location_of(self._walk(loc))

    def locate_key(self, loc: Sequence[str | int]) -> Location:
        """Position of the *key* at the end of ``loc`` (for unknown-field errors)."""
        if not loc:
            return self._location_of(self.node)
        parent = self._walk(loc[:-1])
        last = loc[-1]
        if isinstance(parent, yaml.MappingNode):
            found = _find_key(parent, last)
            if found is not None:
                return self._location_of(found[0])
        return self._location_of(parent)

    def _walk(self, loc: Sequence[str | int]) -> yaml.Node | None:
        node = self.node
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = _find_key(node, part)
                if found is None:
                    continue
                node = found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                break
        return node

    def _location_of(self, node: yaml.Node | None) -> Location:
        if node is None:
            return Location(self.display, 1, 1)
        mark = node.start_mark
        return Location(self.display, mark.line + 1, mark.column + 1)


@dataclass
class ParsedFile:
    """The documents of one file and the findings raised while reading it."""

    path: Path
    display: str
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _find_key(node: yaml.MappingNode, key: object) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def parse_file(path: Path, display: str) -> ParsedFile:
    """Read and compose one file; never raises for bad content."""
    parsed = ParsedFile(path, display)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        parsed.findings.append(
            Finding(
                Location(display, 1, 1),
                f"file is not UTF-8 text ({exc.reason})",
                hint="definitions must be UTF-8 encoded YAML",
            )
        )
        return parsed
    except OSError as exc:
        parsed.findings.append(Finding(Location(display, 1, 1), f"cannot read file: {exc.strerror or exc}"))
        return parsed
    try:
        loader = _Loader(text)
        try:
            index = 0
            while loader.check_node():
                node = loader.get_node()
                if node is None:
                    break
                builder = _Builder(display)
                data = builder.build(node)
                parsed.findings.extend(builder.findings)
                parsed.documents.append(Document(path, display, index, node, data))
                index += 1
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        parsed.findings.append(
            Finding(
                Location(display, line, col),
                f"YAML syntax error: {problem}",
                hint="check indentation and quoting near this position",
            )
        )
    except yaml.YAMLError as exc:
        parsed.findings.append(Finding(Location(display, 1, 1), f"YAML error: {exc}"))
    return parsed


class _Builder:
    """Turns composed nodes into plain data, recording duplicate keys as findings."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.findings: list[Finding] = []

    def _loc(self, node: yaml.Node) -> Location:
        return Location(self.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - composer only makes these

    def _mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                self.findings.append(
                    Finding(
                        self._loc(key_node),
                        "YAML merge keys ('<<') are not supported",
                        hint="write the fields out; definitions should read the same as they apply",
                    )
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(Finding(self._loc(key_node), "mapping keys must be plain scalars"))
                continue
            key = key_node.value
            if key in first_seen:
                prev = first_seen[key].start_mark
                self.findings.append(
                    Finding(
                        self._loc(key_node),
                        f"duplicate key '{key}' (first defined at line {prev.line + 1})",
                        hint="YAML keeps only one of them; remove or rename one",
                    )
                )
                continue
            first_seen[key] = key_node
            out[key] = self.build(value_node)
        return out

    @staticmethod
    def _scalar(node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.tag != _PLAIN:
            return value
        if value in _NULLS:
            return None
        if value in _BOOLS:
            return _BOOLS[value]
        first = value[0]
        if first.isdigit() or first in "+-.":
            if _INT.match(value):
                return int(value.replace("_", ""))
            if _FLOAT.match(value):
                return float(value.replace("_", ""))
            if value.lower() in (".inf", "+.inf", "-.inf", ".nan"):
                return float(value.replace(".", "", 1))
        return value


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel
