"""Banner keys that reference an existing PagerDuty service by id, their Datadog handles, and per-key prefixes.

The example references the CSP, MPI and ``global`` status services VA's account already has (issue 12).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compiler.banners.config import build_banner_config
from compiler.banners.formats import render_vets_api_env
from compiler.checks import banners as banner_rules
from compiler.checks.findings import Finding
from compiler.checks.lint import lint
from compiler.checks.registry import rules_of
from compiler.compile.banners import compile_banners
from compiler.definitions import Definitions, load_definitions
from tests.banners.conftest import EXAMPLES, EditExamples


def check_banners(d: Definitions) -> list[Finding]:
    """The banner-chain rules alone (they read no clock)."""
    return lint(d, datetime(2026, 11, 23, tzinfo=UTC), rules_of(banner_rules))


BEFORE_WINDOW = datetime(2026, 11, 1, tzinfo=UTC)
REFERENCED = {
    "idme": "PVWB4R8",
    "logingov": "P2SHMM9",
    "dslogon": "P9DJJAV",
    "mhv": "PP2ZZ2V",
    "mvi": "PCIPVGJ",
    "global": "PLPSIB0",
}
MOBILE = """
  - key: mobile_sm
    title: Secure Messaging
    status_prefix: "Mobile: "
    service: sign-in-service
    banner:
      headline: Secure messaging is unavailable
      body: Please try again later.
"""
GLOBAL_WINDOW = """
  - name: global-2026-12-19
    start: 2026-12-19T02:00:00-05:00
    end: 2026-12-19T03:00:00-05:00
    dependencies: [global, sis]
    message: VA.gov will be down for maintenance.
"""


def _edits() -> dict[str, tuple[str, str]]:
    return {
        "banners.yaml": ("\nauth_methods:", MOBILE + "\nauth_methods:"),
        "maintenance.yaml": ("a.m. ET.\n", "a.m. ET.\n" + GLOBAL_WINDOW.lstrip("\n")),
    }


def test_the_example_references_the_existing_status_services(example_definitions: Definitions) -> None:
    assert {d.key: d.pagerduty_service for d in example_definitions.dependencies if d.pagerduty_service} == REFERENCED
    handles = {d.key: d.datadog_handle for d in example_definitions.dependencies if d.datadog_handle}
    assert set(handles) == set(REFERENCED) - {"global"}  # no monitor drives global: it needs no handle
    assert all(h.startswith("placeholder-") for h in handles.values())  # the real names are not public


def test_a_referenced_key_gets_no_status_service_and_windows_name_its_id(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    result = compile_banners(d, now=BEFORE_WINDOW)
    keys = {r.key for r in result.resources if r.kind == "service"}
    assert keys == {"status-sis", "status-ssoe", "status-mobile_sm"}
    assert not any(r.key.startswith("status-") and r.key[7:] in REFERENCED for r in result.resources)
    window = next(r for r in result.resources if r.key == "global-2026-12-19")
    assert [s["id"] for s in window.body["services"]] == ["PLPSIB0", "${pagerduty:service/status-sis}"]
    assert window.depends_on == ("pagerduty:service/status-sis",)
    example_window = next(r for r in result.resources if r.key == "logingov-2026-12-12")
    assert [s["id"] for s in example_window.body["services"]] == ["P2SHMM9"]
    assert example_window.depends_on == ()
    assert [f for f in check_banners(d) if f.code == "B406"] == []  # every status service of ours has a policy


def test_a_key_with_its_own_prefix_names_its_status_service_with_it(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    names = {r.key: r.body["name"] for r in compile_banners(d, now=BEFORE_WINDOW).resources if r.kind == "service"}
    assert names["status-mobile_sm"] == "Mobile: Secure Messaging"
    assert names["status-sis"] == "External: Sign-in Service"


def test_the_banner_config_and_vets_api_lines_use_the_referenced_ids(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    template = build_banner_config(d)
    assert {key: template.services[key] for key in REFERENCED} == REFERENCED
    assert template.global_key == "global"
    assert template.dependencies["global"].referenced is True
    ours = [dep.key for dep in d.dependencies if dep.pagerduty_service is None]
    live = build_banner_config(d, {key: f"PLIVE{i:02d}" for i, key in enumerate(ours)})
    lines = render_vets_api_env(live).splitlines()
    assert "maintenance__services__global=PLPSIB0" in lines
    assert "maintenance__services__idme=PVWB4R8" in lines
    assert '# other status prefixes (listed by their own readers): "Mobile: "' in lines


def test_global_needs_no_monitor_and_no_escalation_policy(example_definitions: Definitions) -> None:
    assert [f.message for f in check_banners(example_definitions) if "global" in f.message] == []


def test_two_keys_cannot_reference_one_service(edited_examples: EditExamples) -> None:
    va = MOBILE.replace("key: mobile_sm", "key: va").replace('status_prefix: "Mobile: "', "pagerduty_service: PLPSIB0")
    d = edited_examples({"banners.yaml": ("\nauth_methods:", va + "\nauth_methods:")})
    messages = [f.message for f in check_banners(d)]
    assert "dependencies 'global' and 'va' reference the same PagerDuty service PLPSIB0" in messages


def _load_edited(tmp_path: Path, old: str, new: str) -> list[str]:
    target = tmp_path / "definitions"
    shutil.copytree(EXAMPLES, target)
    banners = target / "banners.yaml"
    text = banners.read_text(encoding="utf-8")
    assert text.count(old) == 1
    banners.write_text(text.replace(old, new), encoding="utf-8")
    result = load_definitions(target)
    assert result.definitions is None
    [finding] = result.findings
    assert finding.location is not None and finding.location.file.endswith("banners.yaml")
    return [finding.message, finding.hint or ""]


def test_a_malformed_service_id_is_a_positioned_error(tmp_path: Path) -> None:
    message, _ = _load_edited(tmp_path, "pagerduty_service: PVWB4R8", "pagerduty_service: pvwb4r8")
    assert "pagerduty_service 'pvwb4r8' is not a PagerDuty service id" in message


@pytest.mark.parametrize(
    ("handle", "message", "hint"),
    [
        ("'@pagerduty-idme'", "datadog_handle '@pagerduty-idme' is not a Datadog PagerDuty service name", "without"),
        ("External ID.me", "datadog_handle 'External ID.me' is not a Datadog PagerDuty service name", "letters"),
        ("status-idme", "datadog_handle 'status-idme' starts with 'status-'", "name the existing one"),
    ],
)
def test_a_malformed_datadog_handle_is_a_positioned_error(tmp_path: Path, handle: str, message: str, hint: str) -> None:
    found, found_hint = _load_edited(tmp_path, "datadog_handle: placeholder-external-idme", f"datadog_handle: {handle}")
    assert message in found and hint in found_hint


def test_a_datadog_handle_needs_a_referenced_service(tmp_path: Path) -> None:
    found, hint = _load_edited(
        tmp_path,
        "    title: SSOe\n    kind: identity\n",
        "    title: SSOe\n    kind: identity\n    datadog_handle: ssoe\n",
    )
    assert "datadog_handle 'ssoe' needs pagerduty_service" in found
    assert "'@pagerduty-status-ssoe'" in hint
