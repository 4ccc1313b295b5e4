"""YAML documents that remember where every value came from.

PyYAML's constructors throw positions away and silently keep the last of two duplicate keys. The data is built
from the C parser's events by ``yaml_data`` (duplicate keys and other hidden things become findings, scalars
follow YAML 1.2's core schema); a document's node graph is composed only when a finding needs a position, so that
any validation error, given the path of keys and indices pydantic reports, is traced back to ``file:line:col``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.checks.files import (
    ALIAS,
    DIRECTORY_TOO_LARGE,
    FILE_TOO_LARGE,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    NESTED_TOO_DEEPLY,
    NOT_A_REGULAR_FILE,
    UNREADABLE_FILE,
    YAML_SYNTAX_ERROR,
)
from compiler.checks.findings import Finding, Location
from compiler.checks.rule import Rule
from compiler.definitions.yaml_data import AliasUsed, DataBuilder

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_PLAIN = "alertc:plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _Loader(_BaseLoader):
    """The C parser with YAML 1.2 core-schema scalars, resolved by us.

    PyYAML's resolver is pure Python and runs a regex chain per scalar (most of the load time for large sets);
    we only mark plain scalars and type them in ``_scalar``. YAML 1.1 quirks disappear as a bonus: ``09:00`` is
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


@dataclass(eq=False)
class Document:
    """One YAML document of one file: its data, and the file's text to find positions in.

    The node tree the data was built from is not kept: at about 11 KB per monitor it was two thirds of a large
    definition set's memory (113 MB of 168 MB for 10,000 monitors). Positions are only needed for findings, so
    the first ``locate`` composes this document's nodes again from the text (a few milliseconds per thousand
    monitors) and keeps them for the next.
    """

    path: Path
    display: str
    index: int
    data: Any
    text: str = field(repr=False)
    _file: _FileNodes | None = field(default=None, repr=False)  # shared by the documents of one file

    @property
    def node(self) -> yaml.Node | None:
        """This document's root node, composed from the text on first use (with its file's other documents)."""
        if self._file is None:
            self._file = _FileNodes(self.text)
        return self._file.node(self.index)

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


@dataclass(eq=False)
class _FileNodes:
    """The node trees of every document of one file, composed in one pass when the first is needed.

    Composing document N alone means composing the N before it: a file of 1,000 documents with a finding
    in each took 70 s (quadratic) when each document composed its own.
    """

    text: str = field(repr=False)
    nodes: list[yaml.Node | None] | None = field(default=None, repr=False)

    def node(self, index: int) -> yaml.Node | None:
        if self.nodes is None:
            nodes: list[yaml.Node | None] = []
            loader = _Loader(self.text)
            try:
                while loader.check_node():
                    nodes.append(loader.get_node())
            finally:
                loader.dispose()
            self.nodes = nodes
        return self.nodes[index] if index < len(self.nodes) else None


def _find_key(node: yaml.MappingNode, key: object) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


class ReadBudget:
    """How many bytes the rest of one load may still read (the total limit)."""

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.remaining = total
        self.exhausted = False


def _reject(display: str, rule: Rule, message: str, hint: str | None = None) -> Finding:
    return rule.finding(Location(display, 1, 1), message, hint)


def read_definitions_file(path: Path, display: str, root: Path, budget: ReadBudget) -> str | Finding:
    """The text of one definitions file, or the finding that says why it was not read.

    Hostile input is refused before it is opened: only regular files are read, a
    symbolic link only when it leads to a regular file inside ``root``; sizes are
    checked against the per-file and total limits from ``stat``, and the read
    itself is capped, so a file growing meanwhile cannot exceed them either. The
    file is opened non-blocking and checked again with ``fstat``, so swapping it
    for a FIFO between the check and the open cannot make the read hang.
    """
    try:
        info = os.lstat(path)
        target = path
        if stat.S_ISLNK(info.st_mode):
            real_root = Path(os.path.realpath(root))
            resolved = Path(os.path.realpath(path, strict=True))
            if not resolved.is_relative_to(real_root):
                return _reject(
                    display,
                    NOT_A_REGULAR_FILE,
                    "symbolic link leads outside the definitions directory",
                    "replace the link with the file itself, inside the definitions directory",
                )
            info = os.stat(resolved)
            target = resolved
        if not stat.S_ISREG(info.st_mode):
            return _reject(
                display,
                NOT_A_REGULAR_FILE,
                f"not a regular file ({_file_type(info.st_mode)}); it was not read",
                "only regular files are read; replace it with a regular file",
            )
        if info.st_size > MAX_FILE_BYTES:
            return _reject(
                display,
                FILE_TOO_LARGE,
                f"file is {info.st_size} bytes, more than the limit of {MAX_FILE_BYTES} bytes; it was not read",
                "split the file, or move what is not definitions out of the directory",
            )
        if info.st_size > budget.remaining:
            budget.exhausted = True
            return _reject(
                display,
                DIRECTORY_TOO_LARGE,
                f"the definitions files add up to more than {MAX_TOTAL_BYTES} bytes; stopped reading here",
                "move what is not definitions out of the directory",
            )
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return _reject(display, NOT_A_REGULAR_FILE, "not a regular file; it was not read")
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on some Python versions
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _reject(display, UNREADABLE_FILE, f"cannot read file: {message}")
    if len(data) > MAX_FILE_BYTES:
        return _reject(
            display, FILE_TOO_LARGE, f"file is larger than the limit of {MAX_FILE_BYTES} bytes; it was not read"
        )
    budget.remaining -= len(data)
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        return _reject(
            display, UNREADABLE_FILE, f"file is not UTF-8 text ({exc.reason})", "definitions must be UTF-8 encoded YAML"
        )


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "a special file"


def parse_file(path: Path, display: str, root: Path | None = None, budget: ReadBudget | None = None) -> ParsedFile:
    """Read and compose one file; never raises for bad content.

    ``root`` is the definitions directory symbolic links must stay inside (the
    file's own directory when not given); ``budget`` carries the total limit
    across the files of one load.
    """
    parsed = ParsedFile(path, display)
    text = read_definitions_file(path, display, root if root is not None else path.parent, budget or ReadBudget())
    if isinstance(text, Finding):
        parsed.findings.append(text)
        return parsed
    shared = _FileNodes(text)
    try:
        loader = _Loader(text)
        try:
            next_event = loader.get_event
            next_event()  # the stream's start
            while not isinstance(next_event(), yaml.StreamEndEvent):  # else a document's start
                builder = DataBuilder(display)
                data = builder.document(next_event)
                parsed.findings.extend(builder.findings)
                parsed.documents.append(Document(path, display, len(parsed.documents), data, text, _file=shared))
        finally:
            loader.dispose()
    except AliasUsed:
        parsed.documents.clear()
        parsed.findings.append(_alias_finding(text, display))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:
            parsed.findings.append(
                NESTED_TOO_DEEPLY.finding(
                    Location(display, line, col),
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "flatten the structure",
                )
            )
        else:
            parsed.findings.append(
                YAML_SYNTAX_ERROR.finding(
                    Location(display, line, col),
                    f"YAML syntax error: {problem}",
                    hint="check indentation and quoting near this position",
                )
            )
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; reported by offset, not line
        before = text[: max(exc.position, 0)]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        parsed.findings.append(
            YAML_SYNTAX_ERROR.finding(
                Location(display, line, col),
                f"YAML syntax error: character #x{character:04x} is not allowed ({exc.reason})",
                "definitions are text; remove the control character",
            )
        )
    except yaml.YAMLError as exc:
        parsed.findings.append(
            YAML_SYNTAX_ERROR.finding(Location(display, 1, 1), f"YAML error: {exc}".replace("\n", " "))
        )
    return parsed


def _alias_finding(text: str, display: str) -> Finding:
    """The alias finding, at the first alias of the file (re-reading the events never expands aliases)."""
    aliases = []
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                aliases.append(event)
    except yaml.YAMLError:  # pragma: no cover - the file was composed once already
        pass
    if not aliases:  # pragma: no cover - a node is only shared through an alias
        return ALIAS.finding(Location(display, 1, 1), "YAML aliases are not supported")
    first = aliases[0]
    more = f" (and {len(aliases) - 1} more)" if len(aliases) > 1 else ""
    mark = first.start_mark
    return ALIAS.finding(
        Location(display, mark.line + 1, mark.column + 1) if mark is not None else Location(display, 1, 1),
        f"YAML alias '*{first.anchor}' is not supported{more}",
        "write the value out where it is used; definitions should read the same as they apply",
    )


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel
