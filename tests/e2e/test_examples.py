"""Issue 17's examples as a suite: each further process validates lint-clean, plans, applies, converges and
renders its process document, against a fresh sandbox.

A real account has the example's people and the existing PagerDuty services it references by id; the test
adds both to the sandbox first (the people as SSO would, the services unowned, as an administrator made them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compiler.definitions import Definitions, load_definitions
from compiler.live import open_session
from compiler.preflight import services
from compiler.targets import target_from_environment
from tests.e2e.conftest import ROOT, World

EXAMPLES = ["va-mobile", "officeluv"]


def _load(path: Path) -> Definitions:
    definitions = load_definitions(path).definitions
    assert definitions is not None
    return definitions


def _account_has_what_it_references(world: World, definitions: Definitions) -> list[str]:
    pd = world.pagerduty()
    known = {str(u["email"]).lower() for u in pd.list_all("users")}
    for team in definitions.teams:
        for member in team.members:
            if member.email.lower() not in known:
                user = {"type": "user", "name": member.name, "email": member.email}
                pd.rpost("users", json={"user": user})
    target = target_from_environment(os.environ)
    assert target is not None
    with open_session(target) as session:
        return services.seed_embedded(definitions, session)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_validates_plans_applies_converges_and_renders_its_docs(world: World, name: str) -> None:
    path = ROOT / "examples" / name
    definitions = _load(path)
    pd = world.pagerduty()
    held = {str(s["id"]) for s in pd.list_all("services")}  # the world holds the identity example's references
    seeded = _account_has_what_it_references(world, definitions)
    referenced = {d.pagerduty_service for d in definitions.dependencies if d.pagerduty_service}
    assert seeded == sorted(referenced - held)

    validated = world.alertc("validate", "-d", str(path))
    assert (validated.code, validated.err) == (0, ""), validated.err  # lint-clean: no finding at all

    first = world.plan("--detailed-exitcode", definitions=path)
    assert first.code == 2, first.err
    assert first.out.splitlines()[-1].endswith("to create, 0 to update, 0 to delete.")
    assert "- pagerduty service" not in first.out  # the referenced services are used, never touched
    applied = world.apply()
    assert applied.code == 0, applied.err
    assert applied.out.splitlines()[-1].endswith("0 failed, 0 not applied.")

    again = world.plan("--detailed-exitcode", definitions=path)
    assert again.code == 0, again.out
    assert "No changes." in again.out

    docs = world.alertc("docs", "-d", str(path), "-o", str(path / "docs"), "--check")
    assert docs.code == 0, docs.err
    assert docs.out.strip().endswith("docs/process.md: up to date")


def test_va_mobile_keeps_its_own_prefix_beside_the_shared_services_it_references(world: World) -> None:
    path = ROOT / "examples" / "va-mobile"
    _account_has_what_it_references(world, _load(path))
    assert world.plan(definitions=path).code == 0
    assert world.apply().code == 0
    names = {s["name"]: s for s in world.pagerduty().list_all("services")}
    assert {"Mobile: VAOS", "Mobile: Lighthouse Immunizations", "Mobile: VEText", "Mobile: VANotify"} <= set(names)
    assert names["External: EVSS"]["id"] == "PZKWB6Y"
    assert "Managed by alertc" not in (names["External: EVSS"]["description"] or "")  # referenced, not taken over
    built = world.alertc("banners", "build", "-d", str(path), "--format", "vets-api")
    assert built.code == 0, built.err
    lines = built.out.splitlines()
    assert '# maintenance.service_query_prefix: "Mobile: "' in lines
    assert "maintenance__services__evss=PZKWB6Y" in lines
    assert f"maintenance__services__vaos={names['Mobile: VAOS']['id']}" in lines
