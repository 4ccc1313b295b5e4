"""The alerts' declaration prompt follows the process's declaration channel (issue 25 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.compile import compile_definitions
from compiler.definitions import load_definitions

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("example", "declare_in", "says"),
    [
        ("definitions", "datadog_incidents", "Declare it in Datadog Incidents: "),
        ("examples/va-mobile", "slack", "Declare it in Slack: raise it in #va-mobile-app."),
        ("examples/officeluv", "slack", "Announce it in #sitrep with its severity and topic"),
    ],
)
def test_every_prompt_names_the_processs_declaration_channel(example: str, declare_in: str, says: str) -> None:
    definitions = load_definitions(ROOT / example).definitions
    assert definitions is not None and definitions.process is not None
    assert definitions.process.channels.declare_in == declare_in
    compiled = compile_definitions(definitions)
    prompts = [
        str(r.body["message"])
        for kind in ("monitor", "slo_alert")
        for r in compiled.resources.by_kind("datadog", kind)
        if "requires a declared incident" in str(r.body["message"])
    ]
    assert prompts
    for message in prompts:
        assert says in message
        assert ("Datadog Incidents" in message) == (declare_in == "datadog_incidents")
        assert ("Teams field" in message) == (declare_in == "datadog_incidents")
