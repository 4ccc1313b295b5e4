"""The example definitions: valid, and saying what the VA identity process says."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.definitions import Definitions, load_definitions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "definitions"


@pytest.fixture(scope="module")
def example() -> Definitions:
    result = load_definitions(EXAMPLES)
    assert [f.render() for f in result.findings] == []
    assert result.definitions is not None
    return result.definitions


def test_severity_table_is_the_sla_table(example: Definitions) -> None:
    assert example.process is not None
    table = [(s.name, s.users_per_hour_above, str(s.response_time), s.pages) for s in example.process.severities]
    assert table == [
        ("sev1", 1000, "1h", True),
        ("sev2", 50, "4h", True),
        ("sev3", 0, "1 business day", False),
    ]
    assert example.process.severities[2].includes_non_production


def test_priority_matrix_and_declaration(example: Definitions) -> None:
    assert example.process is not None
    matrix = example.process.priority_matrix
    assert matrix.users_per_hour_above == [1000, 50, 0]  # the SLA ladder's breakpoints
    assert matrix.rows == {"tier1": ["P1", "P2", "P3"], "tier2": ["P2", "P3", "P4"], "tier3": ["P3", "P4", "P4"]}
    assert [p.name for p in example.process.priorities if p.declare_incident] == ["P1"]
    assert str(example.process.acknowledgement_target) == "30m"
    assert str(example.process.status_update_every) == "30m"
    assert [s.name for s in example.process.incident_severities] == [f"SEV-{i}" for i in range(1, 6)]


def test_sla_slos_are_present(example: Definitions) -> None:
    slos = {s.name: s for s in example.slos}
    assert slos["sis-availability"].target == pytest.approx(99.9)
    assert slos["ssoe-availability"].target == pytest.approx(99.9)
    assert getattr(slos["sis-latency"], "threshold", None) == pytest.approx(1.2)
    assert getattr(slos["ssoe-latency"], "threshold", None) == pytest.approx(2.43)
    assert all(s.timeframe == "30d" for s in example.slos)


def test_members_are_placeholders(example: Definitions) -> None:
    emails = [m.email for t in example.teams for m in t.members]
    assert emails and all(e.endswith("@example.com") for e in emails)


def test_banner_keys_and_auth_methods(example: Definitions) -> None:
    assert {d.key for d in example.dependencies} >= {"idme", "logingov", "dslogon", "mhv", "mvi", "ssoe", "sis"}
    methods = {m.name: m for m in example.auth_methods}
    assert "ssoe" not in methods["sis"].depends_on
    assert "sis" not in methods["ssoe"].depends_on
    assert len(example.maintenance_windows) == 1


def test_every_example_file_declares_the_schema() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/definitions.schema.json", path.name
