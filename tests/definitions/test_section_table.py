"""The table of definitions sections: everything about a section derives from its one line in ``Definitions``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from compiler.definitions import Definitions, load_definitions
from compiler.definitions.definition_set import (
    KIND_SINGULAR,
    LIST_KINDS,
    SECTIONS,
    SINGLE_KINDS,
    DefinitionsFile,
    ProcessSections,
    check_references,
)
from compiler.definitions.models.native import NativeSections
from compiler.definitions.models.services import SERVICES
from compiler.definitions.section import SECTION, Many, Single
from tests.definitions.base_set import SERVICE, write_set

BOOKKEEPING = {"root", "files", "_origins"}  # the only Definitions fields that are not sections


def test_every_definitions_field_but_the_bookkeeping_is_a_section_bound_to_its_name() -> None:
    fields = [f for f in dataclasses.fields(Definitions) if f.name not in BOOKKEEPING]
    assert [f.metadata[SECTION] for f in fields] == list(SECTIONS)
    assert [s.key for s in SECTIONS] == [f.name for f in fields]


def test_the_file_model_and_the_kind_lists_follow_the_table_in_its_order() -> None:
    assert list(DefinitionsFile.model_fields) == [s.key for s in SECTIONS]
    assert SINGLE_KINDS == ("owner", "process", "banners")
    assert tuple(s.key for s in SECTIONS) == SINGLE_KINDS + LIST_KINDS
    assert list(KIND_SINGULAR) == list(LIST_KINDS)
    assert KIND_SINGULAR["escalation_policies"] == "escalation policy"
    assert all(isinstance(s, Single) for s in SECTIONS[:3]) and all(isinstance(s, Many) for s in SECTIONS[3:])


def test_a_section_is_in_the_table_once() -> None:
    with pytest.raises(ValueError, match="already in the table as 'services'"):
        SERVICES.bind("more_services")


def test_a_section_outside_the_table_has_no_key() -> None:
    with pytest.raises(RuntimeError, match="not in the table of sections"):
        _ = Many(str, "thing").key


def test_the_reference_checks_are_the_sections_own(tmp_path: Path) -> None:
    """Each check is the section's: without the services' check, a service's unknown team goes unnoticed."""
    write_set(tmp_path, {"service.yaml": SERVICE.replace("    team: web\n", "    team: nobody\n", 1)})
    check, SERVICES.check = SERVICES.check, None
    try:
        loaded = load_definitions(tmp_path)
    finally:
        SERVICES.check = check
    assert loaded.findings == []
    assert loaded.definitions is not None
    assert [(f.code, f.message) for f in check_references(loaded.definitions)] == [("R303", "unknown team 'nobody'")]


def test_the_native_forms_are_the_tables_last_block_declared_beside_their_models() -> None:
    """A native form is one module's edit: its model, section and field all live in ``models/native.py``."""
    native = [f.name for f in dataclasses.fields(NativeSections)]
    assert native and [s.key for s in SECTIONS][-len(native) :] == native
    assert {s.annotation.__module__ for s in SECTIONS if s.key in native} == {"compiler.definitions.models.native"}
    assert not set(native) & {f.name for f in dataclasses.fields(ProcessSections)}
