"""Alert-test files: found beside the definitions, read with positions, every problem at once as file:line:col."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.alerttest.model import render_schema
from compiler.alerttest.values import ValuesError, expand
from compiler.cli import run
from compiler.scaffold import scaffold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    scaffold(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(repo: Path, text: str) -> None:
    (repo / "definitions" / "tests" / "api.alertc-test.yaml").write_text(text, encoding="utf-8")


def test_the_scaffold_test_passes_and_validate_ignores_test_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["test"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 passed, 0 failed (1 file)"
    assert run(["validate"]) == 0


def test_format_problems_are_reported_with_positions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(
        repo,
        "tests:\n"
        "  - name: bad\n"
        "    series:\n"
        "      - metric: api.errors\n"
        "        values: 1x3 4y\n"
        "        colour: red\n"
        "    expect:\n"
        "      - at: 5q\n"
        "      - at: 1m\n"
        "        between: [0m, 2m]\n",
    )
    assert run(["test"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "definitions/tests/api.alertc-test.yaml:5:17: [D205] series[0].values: '4y' is not a value (expected e.g. "
        "100, 100x9, 1+2x5, 5-1x3, _ or _x4)",
        "  hint: promtool's notation: 100x9 is ten samples of 100, _ a missing sample",
        "definitions/tests/api.alertc-test.yaml:6:9: [D201] unknown field 'colour' in series[0]",
        "  hint: allowed fields: interval, metric, tags, values",
        "definitions/tests/api.alertc-test.yaml:8:13: [D205] expect[0].at: invalid time '5q'",
        "  hint: a time since the test's start, e.g. '0m', '15m', '1h30m' or '90s'",
        "definitions/tests/api.alertc-test.yaml:9:9: [D205] expect[1]: an expectation needs exactly one of 'at' or "
        "'between'",
        "  hint: e.g. at: 20m, or between: [0m, 5m]",
    ]
    assert captured.out == "no test was run: 4 problems in the alert-test files\n"


def test_names_that_do_not_exist_are_reported_with_the_closest_one(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        repo,
        "tests:\n"
        "  - name: refs\n"
        "    acknowledgements: [{at: 1m, service: apii}]\n"
        "    expect:\n"
        "      - at: 5m\n"
        "        monitors: {api-error: alert}\n"
        "        pages: [{person: alicia@example.com}]\n"
        "  - name: refs\n"
        "    expect: [{at: 0m}]\n",
    )
    assert run(["test"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "definitions/tests/api.alertc-test.yaml:3:42: [T203] no PagerDuty service 'apii'",
        "  hint: did you mean 'api'?",
        "definitions/tests/api.alertc-test.yaml:6:20: [T202] no monitor or SLO alert 'api-error'",
        "  hint: did you mean 'api-errors'?",
        "definitions/tests/api.alertc-test.yaml:7:26: [T205] no person 'alicia@example.com'",
        "  hint: did you mean 'alice@example.com'?",
        "definitions/tests/api.alertc-test.yaml:8:11: [T201] test 'refs' is defined twice (first at "
        "definitions/tests/api.alertc-test.yaml:2:11)",
        "  hint: test names are unique across the test files",
    ]


def test_no_tests_and_no_match_are_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["test", "--run", "nothing-*"]) == 1
    assert "no alert test matches nothing-*" in capsys.readouterr().err
    (repo / "definitions" / "tests" / "api.alertc-test.yaml").unlink()
    assert run(["test"]) == 1
    assert "no alert tests under definitions (files named *.alertc-test.yaml)" in capsys.readouterr().err


def test_a_failing_test_exits_1_with_its_timeline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "definitions" / "tests" / "api.alertc-test.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("at: 10m", "at: 5m"), encoding="utf-8")
    assert run(["test", "--run", "api-errors-*"]) == 1
    out = capsys.readouterr().out
    assert "FAIL api-errors-page-the-on-call  (definitions/tests/api.alertc-test.yaml:7:11)" in out
    assert "      6m  page alice@example.com (high urgency) via api #1" in out
    assert "definitions/tests/api.alertc-test.yaml:22:32: at 5m: monitor 'api-errors' is ok, expected alert" in out


def test_committed_schema_is_up_to_date() -> None:
    assert (ROOT / "schema" / "alert-test.schema.json").read_text(encoding="utf-8") == render_schema()


@pytest.mark.parametrize(
    ("text", "samples"),
    [
        ("-2+4x3", [-2, 2, 6, 10]),
        ("1-2x4", [1, -1, -3, -5, -7]),
        ("1x3", [1, 1, 1, 1]),
        ("1 _x3 2", [1, None, None, None, 2]),
        ("_", [None]),
    ],
)
def test_promtool_expanding_notation(text: str, samples: list[float | None]) -> None:
    """The notation's documented examples ('-2+4x3' becomes '-2 2 6 10', '1-2x4' becomes '1 -1 -3 -5 -7').
    https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
    """
    assert expand(text) == samples


@pytest.mark.parametrize("text", ["4y", "1+2", "x3", "1x"])
def test_values_outside_the_notation_are_named(text: str) -> None:
    with pytest.raises(ValuesError, match=re.escape(text)):
        expand(text)
