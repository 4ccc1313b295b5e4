"""Native forms compile from their declared data: a pass-through form needs no compile code of its own."""

from __future__ import annotations

import pytest
from pydantic import Field

from compiler.compile.native import HOOKS, pass_through
from compiler.definitions.models.native import NativeBase, NativeForm, native_forms
from compiler.kinds import get_kind


class _Widget(NativeBase):
    adopt: str | None = None
    title: str
    tags: list[str] = Field(default_factory=list)
    size: int | None = None


WIDGETS = NativeForm(_Widget, "widget", "datadog:widget", always=("title",), constants={"type": "widget"})


def test_a_pass_through_form_compiles_from_its_model_alone() -> None:
    """Constants, then the required fields even when empty, then the others when set; alertc's own fields stay out."""
    empty = pass_through(WIDGETS, _Widget(key="w", title="", service="web"))
    assert (empty.address, empty.body, empty.adopt, empty.native) == (
        "datadog:widget/w",
        {"type": "widget", "title": ""},
        None,
        True,
    )
    tags = ["team:web"]
    full = pass_through(WIDGETS, _Widget(key="w", adopt="x-1", title="T", tags=tags, size=0))
    assert list(full.body) == ["type", "title", "tags", "size"] and full.body["size"] == 0 and full.adopt == "x-1"
    assert full.body["tags"] == tags and full.body["tags"] is not tags  # a copy: bodies never share definitions


def test_a_required_field_the_model_lacks_is_refused_where_the_form_is_declared() -> None:
    with pytest.raises(ValueError, match="no field titel"):
        NativeForm(_Widget, "widget", "datadog:widget", always=("titel",))


@pytest.mark.parametrize("form", native_forms(), ids=lambda f: f.key)
def test_each_native_form_is_the_one_its_kind_imports_into(form: NativeForm[NativeBase]) -> None:
    """The address a form compiles to is a registered kind whose ``alertc import`` writes this form."""
    assert get_kind(form.provider, form.kind).native_kind == form.key


def test_only_forms_whose_fields_are_not_the_apis_have_a_hook() -> None:
    assert sorted(form.key for form in HOOKS) == [
        "datadog_monitors",  # monitor or SLO alert, by type
        "datadog_service_definitions",  # the body is one field
        "pagerduty_escalation_policies",  # references by key or id
        "pagerduty_maintenance_windows",
        "pagerduty_schedules",
        "pagerduty_services",
    ]
