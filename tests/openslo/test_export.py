"""``alertc export openslo``: schema-valid, deterministic OpenSLO v1 documents for every SLO.

``expected/scaffold.openslo.yaml`` is reviewed data: what ``alertc init``'s one
SLO (99.9% over 30 days, Datadog's recommended tiers on a sev1/sev2 ladder, a
service with PagerDuty routing) must export as.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compiler.cli import run
from compiler.errors import AlertcError
from compiler.openslo.export import FILES, export_documents
from compiler.openslo.files import render_openslo
from compiler.openslo.run import export_openslo
from compiler.openslo.schema import problems
from tests.openslo.support import EXAMPLE_SETS, load, scaffold, write

EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.mark.parametrize("name", sorted(EXAMPLE_SETS))
def test_the_export_of_each_example_set_validates_against_the_openslo_v1_schema(name: str) -> None:
    definitions = load(EXAMPLE_SETS[name])
    documents = export_documents(definitions)

    assert len(documents["SLO"]) == len(definitions.slos) > 0
    assert {kind: [problems(d) for d in objects if problems(d)] for kind, objects in documents.items()} == {
        kind: [] for kind in FILES
    }


@pytest.mark.parametrize("name", sorted(EXAMPLE_SETS))
def test_the_export_is_the_same_bytes_every_time(name: str) -> None:
    first = {k: render_openslo(v) for k, v in export_openslo(load(EXAMPLE_SETS[name])).items()}
    second = {k: render_openslo(v) for k, v in export_openslo(load(EXAMPLE_SETS[name])).items()}

    assert first == second


def test_the_scaffold_exports_as_reviewed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scaffold(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")

    assert run(["export", "openslo", "-o", "-"]) == 0
    out = capsys.readouterr().out

    assert out == (EXPECTED / "scaffold.openslo.yaml").read_text(encoding="utf-8")
    assert [d["kind"] for d in yaml.safe_load_all(out) if d] == [
        "Service", "SLI", "SLO", *["AlertCondition"] * 3, *["AlertPolicy"] * 3, *["AlertNotificationTarget"] * 2,
    ]  # fmt: skip


def test_the_export_writes_one_file_per_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scaffold(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")
    (tmp_path / "openslo").mkdir()
    (tmp_path / "openslo" / "alert-policies.yaml").write_text("stale\n", encoding="utf-8")

    assert run(["export", "openslo"]) == 0
    err = capsys.readouterr().err

    assert sorted(p.name for p in (tmp_path / "openslo").iterdir()) == sorted(FILES.values())
    assert "wrote openslo/alert-policies.yaml: 3 AlertPolicy" in err
    streamed = "".join((tmp_path / "openslo" / FILES[k]).read_text(encoding="utf-8").split("\n", 1)[1] for k in FILES)
    assert streamed == (EXPECTED / "scaffold.openslo.yaml").read_text(encoding="utf-8").split("\n", 1)[1]


def test_invalid_definitions_are_not_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    definitions = scaffold(tmp_path)
    monkeypatch.chdir(tmp_path)
    text = (definitions / "service.yaml").read_text(encoding="utf-8")
    (definitions / "service.yaml").write_text(text.replace("target: 99.9%", "target: 120%"), encoding="utf-8")

    assert run(["export", "openslo"]) == 1
    assert "definitions/service.yaml:17:13: [D205]" in capsys.readouterr().err
    assert not (tmp_path / "openslo").exists()


def test_a_long_description_is_shortened_in_the_spec_and_kept_whole_in_an_annotation(tmp_path: Path) -> None:
    definitions = scaffold(tmp_path)
    text = (definitions / "service.yaml").read_text(encoding="utf-8")
    long = "Checks the API. " * 100
    write(
        definitions,
        "service.yaml",
        text.replace("    target: 99.9%\n", f"    target: 99.9%\n    description: {long!r}\n"),
    )

    slo = export_openslo(load(definitions))["SLO"][0]

    assert len(slo["spec"]["description"]) == 1050
    assert slo["metadata"]["annotations"]["alertc.dev/description"] == long
    assert problems(slo) == []


def test_a_tag_with_a_comma_cannot_be_exported(tmp_path: Path) -> None:
    definitions = scaffold(tmp_path)
    text = (definitions / "service.yaml").read_text(encoding="utf-8")
    write(definitions, "service.yaml", text.replace("    target: 99.9%\n", "    target: 99.9%\n    tags: ['a,b']\n"))

    with pytest.raises(AlertcError, match="tag 'a,b' cannot be exported"):
        export_openslo(load(definitions))
