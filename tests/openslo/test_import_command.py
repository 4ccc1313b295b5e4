"""``alertc import --openslo``: options, the files it writes, running it again, and validating what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli import run
from compiler.openslo import importer
from tests.openslo.support import scaffold, write

SERVICE = """\
apiVersion: openslo/v1
kind: Service
metadata: {name: search, labels: {team: web}, annotations: {alertc.dev/users-per-hour: "100"}}
spec: {}
"""
SLO = """\
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: search-success}
spec:
  service: search
  indicator:
    metadata: {name: search-success}
    spec:
      ratioMetric:
        counter: false
        good: {metricSource: {type: Datadog, spec: {query: "sum:search.ok{*}.as_count()"}}}
        total: {metricSource: {type: Datadog, spec: {query: "sum:search.all{*}.as_count()"}}}
  timeWindow: [{duration: 7d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.99}]
  alertPolicies:
    - kind: AlertPolicy
      metadata: {name: fast}
      spec:
        conditions:
          - {kind: AlertCondition, metadata: {name: fast}, spec: {severity: sev2, condition: {op: gt, threshold: 14.4,
             lookbackWindow: 1h, alertAfter: 5m}}}
        notificationTargets: [{kind: AlertNotificationTarget, metadata: {name: chat}, spec: {target: slack}}]
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    scaffold(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = run(list(args))
    return code, capsys.readouterr().err


def test_the_import_writes_services_and_slos_that_validate(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "openslo/search.yaml", SERVICE + SLO)

    code, err = _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")

    assert code == 0, err
    assert err.splitlines() == [
        "wrote definitions/openslo/services.yaml",
        "wrote definitions/openslo/slos.yaml",
        "Imported 1 SLO(s) and 1 new service(s) from 2 OpenSLO object(s): 0 error(s) (not imported), 0 warning(s).",
        "Next: alertc validate, then alertc plan.",
    ]
    slos = (repo / "definitions" / "openslo" / "slos.yaml").read_text(encoding="utf-8")
    assert slos.splitlines()[0] == "# yaml-language-server: $schema=../../schema/definitions.schema.json"
    assert "- long_window: 1h\n" in slos
    assert _run(capsys, "validate")[0] == 0


def test_importing_again_gives_the_same_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "openslo/search.yaml", SERVICE + SLO)
    assert _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")[0] == 0
    first = {p.name: p.read_bytes() for p in (repo / "definitions" / "openslo").iterdir()}

    code, err = _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")

    assert code == 0, err  # its own earlier files are replaced, not "already defined"
    assert {p.name: p.read_bytes() for p in (repo / "definitions" / "openslo").iterdir()} == first


def test_a_file_an_earlier_import_wrote_goes_when_the_documents_no_longer_need_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, "openslo/search.yaml", SERVICE + SLO)
    assert _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")[0] == 0
    write(repo, "openslo/search.yaml", SLO.replace("service: search", "service: api"))

    code, err = _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")

    assert code == 0, err
    assert sorted(p.name for p in (repo / "definitions" / "openslo").iterdir()) == ["slos.yaml"]


def test_an_import_that_maps_nothing_leaves_earlier_files_alone(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "openslo/search.yaml", SERVICE + SLO)
    assert _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")[0] == 0
    write(repo, "openslo/search.yaml", "kind: [\n")

    assert _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")[0] == 1
    assert sorted(p.name for p in (repo / "definitions" / "openslo").iterdir()) == ["services.yaml", "slos.yaml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--openslo"], "give --openslo and the OpenSLO files or directories"),
        (["x.yaml"], "give --openslo and the OpenSLO files or directories"),
        (["--openslo", "x.yaml", "--all-unmanaged"], "without live filters"),
        (["--team", "web", "--all-unmanaged"], "--team and --environment go with --openslo"),
        (["--openslo", "x.yaml", "--team", "nobody"], "--team 'nobody' is not a team of the definitions"),
        (["--openslo", "x.yaml", "--environment", "moon"], "--environment 'moon' is not an environment"),
    ],
)
def test_options_that_do_not_fit_are_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    write(repo, "x.yaml", SERVICE)

    code, err = _run(capsys, "import", *args, "-o", "definitions/openslo")

    assert code == 1
    assert message in err
    assert not (repo / "definitions" / "openslo").exists()


def test_definitions_with_errors_stop_the_import(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "x.yaml", SERVICE)
    (repo / "definitions" / "broken.yaml").write_text("teams: 3\n", encoding="utf-8")

    code, err = _run(capsys, "import", "--openslo", "x.yaml", "-o", "definitions/openslo")

    assert code == 1
    assert err.startswith("definitions/broken.yaml:1:8:")


def test_written_definitions_that_do_not_validate_are_reported_with_exit_1(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A defence in depth: should the mapping ever write something invalid, the command says so."""
    write(repo, "openslo/search.yaml", SERVICE + SLO)
    mapped = importer.import_documents

    def broken(*args: object, **kwargs: object) -> importer.OpenSloImport:
        outcome = mapped(*args, **kwargs)  # type: ignore[arg-type]
        outcome.slos[0]["service"] = "nowhere"
        return outcome

    monkeypatch.setattr("compiler.openslo.run.import_documents", broken)
    code, err = _run(capsys, "import", "--openslo", "openslo", "-o", "definitions/openslo")

    assert code == 1
    assert "definitions/openslo/slos.yaml:" in err and "nowhere" in err
    assert "The written definitions do not validate (above)" in err


def test_init_points_at_the_openslo_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["init", str(tmp_path / "new")]) == 0

    assert "alertc import --openslo DIR -o definitions/openslo" in capsys.readouterr().out
    assert "alertc import --openslo slos/ -o definitions/openslo" in (tmp_path / "new" / "README.md").read_text()
