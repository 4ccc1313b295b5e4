"""Banner keys that reference an existing PagerDuty service by id, and per-key status prefixes."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from compiler.banners.checks import check_banners
from compiler.banners.config import build_banner_config
from compiler.banners.formats import render_vets_api_env
from compiler.compile.banners import compile_banners
from compiler.definitions import load_definitions
from tests.banners.conftest import EXAMPLES, EditExamples

BEFORE_WINDOW = datetime(2026, 11, 1, tzinfo=UTC)
GLOBAL = """
  - key: global
    title: VA.gov
    pagerduty_service: PLPSIB0
    banner:
      headline: Upcoming site maintenance
      body: VA.gov is down for maintenance.
"""
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
    dependencies: [global, idme]
    message: VA.gov will be down for maintenance.
"""


def _edits() -> dict[str, tuple[str, str]]:
    return {
        "banners.yaml": ("\nauth_methods:", GLOBAL + MOBILE + "\nauth_methods:"),
        "maintenance.yaml": ("a.m. ET.\n", "a.m. ET.\n" + GLOBAL_WINDOW.lstrip("\n")),
    }


def test_a_referenced_key_gets_no_status_service_and_windows_name_its_id(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    result = compile_banners(d, now=BEFORE_WINDOW)
    keys = {r.key for r in result.resources if r.kind == "service"}
    assert "status-global" not in keys and "status-idme" in keys
    window = next(r for r in result.resources if r.key == "global-2026-12-19")
    assert [s["id"] for s in window.body["services"]] == ["PLPSIB0", "${pagerduty:service/status-idme}"]
    assert window.depends_on == ("pagerduty:service/status-idme",)
    assert result.findings == []


def test_a_key_with_its_own_prefix_names_its_status_service_with_it(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    names = {r.key: r.body["name"] for r in compile_banners(d, now=BEFORE_WINDOW).resources if r.kind == "service"}
    assert names["status-mobile_sm"] == "Mobile: Secure Messaging"
    assert names["status-idme"] == "External: ID.me"


def test_the_banner_config_and_vets_api_lines_use_the_referenced_id(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    template = build_banner_config(d)
    assert template.services["global"] == "PLPSIB0"
    assert template.global_key == "global"
    assert template.dependencies["global"].referenced is True
    live = build_banner_config(d, {dep.key: f"PLIVE{i:02d}" for i, dep in enumerate(d.dependencies)})
    lines = render_vets_api_env(live).splitlines()
    assert "maintenance__services__global=PLPSIB0" in lines
    assert '# other status prefixes (listed by their own readers): "Mobile: "' in lines


def test_global_needs_no_monitor_and_no_escalation_policy(edited_examples: EditExamples) -> None:
    d = edited_examples(_edits())
    assert [f.message for f in check_banners(d) if "global" in f.message] == []


def test_a_monitor_cannot_drive_a_referenced_key(edited_examples: EditExamples) -> None:
    d = edited_examples(
        {"banners.yaml": ("    title: Login.gov\n", "    title: Login.gov\n    pagerduty_service: P2SHMM9\n")}
    )
    messages = [f.render() for f in check_banners(d) if f.severity == "error"]
    assert len(messages) == 1
    assert "monitors.yaml:" in messages[0]
    assert (
        "drives banner key 'logingov', whose status service is the existing PagerDuty service P2SHMM9" in (messages[0])
    )


def test_two_keys_cannot_reference_one_service(edited_examples: EditExamples) -> None:
    d = edited_examples(
        {
            "banners.yaml": (
                "\nauth_methods:",
                GLOBAL + GLOBAL.replace("key: global", "key: va").replace("VA.gov", "VA") + "\nauth_methods:",
            )
        }
    )
    messages = [f.message for f in check_banners(d)]
    assert "dependencies 'global' and 'va' reference the same PagerDuty service PLPSIB0" in messages


def test_a_malformed_service_id_is_a_positioned_error(tmp_path: Path) -> None:
    target = tmp_path / "definitions"
    shutil.copytree(EXAMPLES, target)
    banners = target / "banners.yaml"
    text = banners.read_text(encoding="utf-8")
    banners.write_text(text.replace("    title: ID.me\n", "    title: ID.me\n    pagerduty_service: pvwb4r8\n"))
    result = load_definitions(target)
    assert result.definitions is None
    [finding] = result.findings
    assert finding.location is not None and finding.location.file.endswith("banners.yaml")
    assert "pagerduty_service 'pvwb4r8' is not a PagerDuty service id" in finding.message
