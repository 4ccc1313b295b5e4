"""`alertc plan` on the embedded sandbox seeds what the example references: services by id, Datadog handles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.cli import run
from tests.banners.conftest import EXAMPLES

REFERENCED_LINES = [
    "maintenance__services__dslogon=P9DJJAV",
    "maintenance__services__global=PLPSIB0",
    "maintenance__services__idme=PVWB4R8",
    "maintenance__services__logingov=P2SHMM9",
    "maintenance__services__mhv=PP2ZZ2V",
    "maintenance__services__mvi=PCIPVGJ",
]


def test_plan_on_the_embedded_sandbox_finds_the_referenced_services_and_handles(
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
    state = tmp_path / "sandbox"
    code = run(
        ["plan", "--target", "sandbox", "-d", str(defs), "--sandbox-state", str(state), "-o", str(tmp_path / "p.json")]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    for key in ("global", "idme", "logingov", "dslogon", "mhv", "mvi"):
        assert f"status-{key}" not in out  # referenced: alertc creates no service, integration or handle
    created = [line for line in out.splitlines() if line.startswith("+ ")]
    assert not [line for line in created if "placeholder-external" in line]  # the handles are not alertc's either
    assert '+ datadog pagerduty service object status-sis  "status-sis"' in created
    built = run(
        ["banners", "build", "-d", str(defs), "--sandbox-state", str(state), "--template", "--format", "vets-api"]
    )
    out, err = capsys.readouterr()
    assert built == 0, err
    lines = out.splitlines()
    assert [line for line in lines if line.split("=")[-1].startswith("P")] == REFERENCED_LINES
