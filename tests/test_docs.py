"""The process document says what the definitions say."""

from __future__ import annotations

from pathlib import Path

from compiler.definitions import load_definitions
from compiler.docs import render_process_doc

ROOT = Path(__file__).resolve().parents[1]


def _doc() -> str:
    definitions = load_definitions(ROOT / "definitions").definitions
    assert definitions is not None
    return render_process_doc(definitions)


def test_document_is_deterministic() -> None:
    assert _doc() == _doc()


def test_document_states_the_process() -> None:
    lines = _doc().splitlines()
    assert "| Severity 1 (sev1) | more than 1,000 | 1h | pages the on-call | 24x7 |" in lines
    assert "| tier1 (production) | P1 | P2 | P3 |" in lines
    assert "- P1 requires a declared incident." in lines
    assert (
        "- OCTO Identity: alerts go to #va-identity-alerts; during an incident post a status update in "
        "#identity-support every 30m until it is resolved." in lines
    )
    assert "- Coverage over the first four weeks: complete." in lines
    assert "| SiS Success Rate (Staging) | < 50 over 15m | sev3, P3 | channel | - |" in lines


def test_banner_matrix_keeps_the_methods_apart() -> None:
    lines = _doc().splitlines()
    assert "| Auth method | dslogon | idme | logingov | mhv | mvi | sis | ssoe |" in lines
    assert "| Sign-in Service (oauth=true) | yes | yes | yes | yes | yes | yes |  |" in lines
    assert "| SSOe (oauth=false) | yes | yes | yes | yes | yes |  | yes |" in lines
