"""A saved plan follows from the checkout apply runs in, or apply refuses it (compiler.plan_origin)."""

from __future__ import annotations

import pytest

from compiler.errors import PlanError
from compiler.plan import Change, Plan, definitions_digest, plan_digest
from compiler.plan_origin import Checkout, verify_plan_origin
from compiler.resources import Resource, ResourceSet, ref

SLO = Resource("datadog", "slo", "api", {"name": "API", "tags": ["service:api"]})
ALERT = Resource(
    "datadog",
    "slo_alert",
    "api-burn",
    {"name": "burn", "query": f'error_budget("{ref("datadog:slo/api")}").over("7d") > 10', "priority": 1},
    depends_on=("datadog:slo/api",),
)
DESIRED = ResourceSet.of([SLO, ALERT])


def _plan(*changes: Change, owner: str | None = "team-a", desired: ResourceSet = DESIRED) -> Plan:
    return Plan("2026-11-22T12:00:00+00:00", definitions_digest(desired), {"name": "t"}, list(changes), owner=owner)


def _checkout(owner: str | None = "team-a") -> Checkout:
    return Checkout(owner, "defs", DESIRED, None)


def _create(resource: Resource, body: dict[str, object] | None = None) -> Change:
    return Change.of("create", resource, body if body is not None else dict(resource.body))


def _refusal(plan: Plan, checkout: Checkout | None = None) -> str:
    with pytest.raises(PlanError) as caught:
        verify_plan_origin(plan, checkout or _checkout())
    return str(caught.value)


def test_a_plan_of_these_definitions_passes_with_placeholders_resolved_or_not() -> None:
    resolved = {**ALERT.body, "query": 'error_budget("0123456789abcdef0123456789abcdef").over("7d") > 10'}
    verify_plan_origin(_plan(_create(SLO), _create(ALERT)), _checkout())
    verify_plan_origin(_plan(_create(SLO), _create(ALERT, resolved)), _checkout())


def test_another_scope_is_refused_naming_both() -> None:
    assert "ownership scope 'team-b', but the definitions in defs says 'team-a'" in _refusal(_plan(owner="team-b"))
    assert "ownership scope (none)" in _refusal(_plan(owner=None))


def test_other_definitions_are_refused_naming_both_digests() -> None:
    other = ResourceSet.of([SLO])
    text = _refusal(_plan(desired=other))
    assert definitions_digest(other) in text and definitions_digest(DESIRED) in text


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_create(SLO, {"name": "API", "tags": ["service:api", "team:other"]}), "its body differs"),
        (_create(ALERT, {**ALERT.body, "query": 'error_budget("x y").over("7d") > 10'}), "its body differs"),
        (_create(ALERT, {**ALERT.body, "priority": True}), "its body differs"),
        (_create(Resource("datadog", "slo", "stray", {"name": "x"})), "created, but no definition names it"),
        (Change("delete", "datadog:slo/api", "datadog", "slo", "api", "a" * 32), "deleted, but a definition names it"),
        (Change.of("create", Resource("datadog", "slo_alert", "api-burn", ALERT.body), ALERT.body), "dependencies"),
    ],
)
def test_a_change_that_does_not_follow_from_the_definitions_is_refused(change: Change, reason: str) -> None:
    assert reason in _refusal(_plan(change))


def test_deletes_of_undefined_keys_and_extra_copies_follow() -> None:
    gone = Change("delete", "datadog:slo/old", "datadog", "slo", "old", "b" * 32)
    extra = Change("delete", "datadog:slo/api", "datadog", "slo", "api", "c" * 32, duplicate_of="d" * 32)
    verify_plan_origin(_plan(gone, extra), _checkout())


def test_an_adopt_of_another_id_than_the_definition_names_is_refused() -> None:
    adopting = Resource("datadog", "slo", "api", SLO.body, adopt="e" * 32)
    checkout = Checkout("team-a", "defs", ResourceSet.of([adopting, ALERT]), None)
    change = Change("adopt", SLO.address, "datadog", "slo", "api", "f" * 32, desired=dict(SLO.body))
    plan = _plan(change, desired=ResourceSet.of([adopting, ALERT]))
    assert f"adopts id {'f' * 32}, but the definition adopts id {'e' * 32}" in _refusal(plan, checkout)


def test_the_digest_covers_owner_and_target() -> None:
    document = _plan(_create(SLO)).to_document()
    for field, value in (("owner", "team-b"), ("target", {"name": "other"})):
        edited = {**document, field: value}
        assert plan_digest(edited) != document["digest"]
