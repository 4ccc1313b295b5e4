"""A section of the definitions language: how one is declared, and what its reference check sees.

A section is one top-level key of a definitions file (``process``, ``teams``,
``monitors`` ...). Its module under ``models/`` holds its models and one
``Single`` or ``Many`` object: the model, the word for one item, and the check
that resolves the section's references against the whole set. The table of
sections (``definition_set.Definitions``) has one line per section object;
the file schema, the list of kinds and the order of the reference checks are
derived from it, so a new section is its module and its line in the table.

Checks that need only one object are the model's own validators; checks that
need the whole set (references, duplicates, cycles) are the section's
``check``, run once the set is merged (every file individually valid).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from compiler.checks.findings import Finding, Location
from compiler.checks.references import DUPLICATE_NAME, REPEATED_ENTRY, UNKNOWN_REFERENCE
from compiler.checks.rule import Rule
from compiler.definitions.source import Document, display_path
from compiler.definitions.types import Name

T = TypeVar("T")
SECTION = "section"  # the metadata key under which a ``Definitions`` field names its section


class Model(BaseModel):
    """Base of every definitions model: closed, and documented in the JSON Schema.

    Closed means a misspelt key is an error rather than a silently ignored setting.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_default=False)


class Named(Model):
    """An item known by its name, with an optional display title and description (schedules, SLOs ...)."""

    name: Name
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class Origin:
    """Where a top-level item was written: its document and its path in it."""

    document: Document
    loc: tuple[str | int, ...]

    def at(self, *more: str | int) -> Location:
        return self.document.locate((*self.loc, *more))

    def key_at(self, *more: str | int) -> Location:
        return self.document.locate_key((*self.loc, *more))


def item_name(item: BaseModel) -> str:
    """The identifying field of an item of any list section."""
    for attr in ("key", "name"):  # native forms: ``key`` is the identity, ``name`` the vendor's display name
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    raise AttributeError(f"{type(item).__name__} has no name")


class SectionSet(Protocol):
    """What a reference check reads of the whole set (``Definitions`` is one)."""

    root: Path

    def origin(self, item: BaseModel) -> Origin: ...

    def items(self, kind: str) -> list[Any]: ...


ReferenceCheck = Callable[["References"], None]


class Section(Generic[T]):
    """One top-level key of a definitions file; the table of sections gives it its key."""

    def __init__(self, annotation: Any, *, check: ReferenceCheck | None = None, description: str | None = None):
        self.annotation = annotation  # the type one file may give the key (a model, a union, a constrained str)
        self.check = check
        self.description = description
        self._key: str | None = None

    @property
    def key(self) -> str:
        if self._key is None:
            raise RuntimeError(f"a section of {self.annotation!r} is not in the table of sections")
        return self._key

    def bind(self, key: str) -> None:
        """Called once by the table of sections: the key is the ``Definitions`` field's name."""
        if self._key is not None:
            raise ValueError(f"section '{key}' is already in the table as '{self._key}'")
        self._key = key

    def file_field(self) -> tuple[Any, Any]:
        """The section's field of one definitions file (pydantic's ``(annotation, FieldInfo)``)."""
        raise NotImplementedError


class Single(Section[T]):
    """A section written once across all files (``process``, ``banners``); absent is None."""

    def field(self) -> T | None:
        """The ``Definitions`` field that holds the section."""
        return cast("T | None", dataclasses.field(default=None, metadata={SECTION: self}))

    def file_field(self) -> tuple[Any, Any]:
        return self.annotation | None, Field(default=None, description=self.description)


class Many(Section[T]):
    """A list section (``teams``, ``monitors``): items concatenate across files, each with a unique name."""

    def __init__(
        self,
        annotation: Any,
        singular: str,
        *,
        check: ReferenceCheck | None = None,
        description: str | None = None,
    ):
        super().__init__(annotation, check=check, description=description)
        self.singular = singular  # one item, in a finding: "duplicate escalation policy name 'x'"

    def field(self) -> list[T]:
        """The ``Definitions`` field that holds the section."""
        return cast("list[T]", dataclasses.field(default_factory=list, metadata={SECTION: self}))

    def file_field(self) -> tuple[Any, Any]:
        return types.GenericAlias(list, (self.annotation,)), Field(default_factory=list, description=self.description)


class References:
    """One pass of reference checks over a whole set: each section's check reports here.

    Each finding is at the position of the offending value (the reference, or
    the second of two duplicates) and suggests the nearest existing name,
    because the usual cause is a typo or a rename applied in one file but not
    another.
    """

    def __init__(self, definitions: SectionSet) -> None:
        self.d = definitions
        self.findings: list[Finding] = []
        self._where = display_path(definitions.root)

    def items(self, section: Many[T]) -> list[T]:
        return self.d.items(section.key)

    def value(self, section: Single[T]) -> T | None:
        return cast("T | None", getattr(self.d, section.key))

    def names(self, kind: str) -> set[str]:
        """The names of a section's items, by the section's key (for a section that is defined further on)."""
        return {item_name(item) for item in self.d.items(kind)}

    def at(self, item: BaseModel, *path: str | int) -> Location:
        return self.d.origin(item).at(*path)

    def add(self, rule: Rule, location: Location | None, message: str, hint: str | None = None) -> None:
        self.findings.append(rule.finding(location, message, hint, where=self._where))

    def unknown(
        self, item: BaseModel, path: tuple[str | int, ...], what: str, value: str, known: Iterable[str]
    ) -> None:
        """A reference to a name that is not defined, with the nearest defined one as the hint."""
        known_list = sorted(set(known))
        close = difflib.get_close_matches(value, known_list, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif known_list:
            hint = f"defined {what}s: {', '.join(known_list[:12])}" + (" ..." if len(known_list) > 12 else "")
        else:
            hint = f"no {what} is defined; add one"
        self.add(UNKNOWN_REFERENCE, self.at(item, *path), f"unknown {what} '{value}'", hint)

    def check_known(self, item: BaseModel, path: tuple[str | int, ...], what: str, value: str, known: set[str]) -> None:
        if value not in known:
            self.unknown(item, path, what, value, known)

    def unique_within(
        self, owner: BaseModel, field: str | tuple[str | int, ...], names: Iterable[str], what: str
    ) -> bool:
        """A finding at every repetition in one list (lists of names are sets); False when there was one."""
        path = (field,) if isinstance(field, str) else field
        seen: set[str] = set()
        unique = True
        for index, name in enumerate(names):
            if name in seen:
                unique = False
                location = self.at(owner, *path, index)
                self.add(REPEATED_ENTRY, location, f"duplicate {what} '{name}'", f"remove the repeated '{name}'")
            seen.add(name)
        return unique

    def unique_names(self, section: Many[Any]) -> None:
        """Names (and keys) identify items across all files: a finding at every second use of one."""
        seen: dict[str, BaseModel] = {}
        for item in self.items(section):
            name = item_name(item)
            if name in seen:
                field = "key" if "key" in type(item).model_fields else "name"
                self.add(
                    DUPLICATE_NAME,
                    self.at(item, field),
                    f"duplicate {section.singular} {field} '{name}' (first defined at {self.at(seen[name], field)})",
                    f"{section.singular} {field}s must be unique across all definitions files",
                )
            else:
                seen[name] = item
