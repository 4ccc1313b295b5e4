"""`alertc plan` on the embedded sandbox seeds the services a definitions set references by id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.cli import run
from tests.banners.conftest import EXAMPLES

GLOBAL = """
  - key: global
    title: VA.gov
    pagerduty_service: PLPSIB0
    banner:
      headline: Upcoming site maintenance
      body: VA.gov is down for maintenance.
"""


def test_plan_on_the_embedded_sandbox_finds_the_referenced_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "DD_API_KEY",
        "DD_APP_KEY",
        "PAGERDUTY_TOKEN",
        "PAGERDUTY_FROM",
        "ALERTC_DATADOG_URL",
        "ALERTC_PAGERDUTY_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    defs = tmp_path / "definitions"
    shutil.copytree(EXAMPLES, defs)
    banners = defs / "banners.yaml"
    banners.write_text(banners.read_text(encoding="utf-8").replace("\nauth_methods:", GLOBAL + "\nauth_methods:"))
    state = tmp_path / "sandbox"
    code = run(
        ["plan", "--target", "sandbox", "-d", str(defs), "--sandbox-state", str(state), "-o", str(tmp_path / "p.json")]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "status-global" not in out
    built = run(
        ["banners", "build", "-d", str(defs), "--sandbox-state", str(state), "--template", "--format", "vets-api"]
    )
    out, err = capsys.readouterr()
    assert built == 0, err
    assert "maintenance__services__global=PLPSIB0" in out.splitlines()
