"""OpenSLO's own examples, every one of them (vendored in ``upstream/``, origin and licence in its README).

The examples are the specification repository's ``examples/`` folder, the
YAML blocks of the specification text (``spec/README.md``) and the per-kind v1
and v1alpha examples that lived beside it. Each is imported into ``alertc
init``'s repository through the command line: one with a Datadog SLO must become
definitions that validate and plan against the embedded sandbox; every other
one must get findings that name what alertc does not support, and none may
crash. ``EXPECTED`` holds, per example, the exit code, the SLOs and new services
written, and words its findings must contain; an example without an entry fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from compiler.checks.registry import all_rules
from compiler.cli import run
from tests.openslo.support import UPSTREAM, scaffold

NOW = "2026-11-22T12:00:00+00:00"
FINDING = re.compile(r"^\S.*?: (warning: )?\[([A-Z]\d{3})\] ")
SPEC_TEXT = UPSTREAM / "spec" / "README.md"


@dataclass(frozen=True)
class Expected:
    code: int
    slos: int = 0
    services: int = 0
    words: tuple[str, ...] = ()  # each must appear in the findings


UNUSED = "is not imported: no"
EXPECTED: dict[str, Expected] = {
    # the specification's examples folder: every SLO has the placeholder source "Any"
    "spec/examples/budgeting-method/occurences-slo.yaml": Expected(
        1, words=("metric source type 'Any' is not supported", "a rolling window of 2w is not supported")
    ),
    "spec/examples/budgeting-method/ratio-timeslices.yaml": Expected(
        1, words=("type 'Any' is not supported", "2w is not supported", "RatioTimeslices is not supported")
    ),
    "spec/examples/budgeting-method/timeslices-slo.yaml": Expected(
        1, words=("type 'Any' is not supported", "calendar-aligned windows are not supported")
    ),
    "spec/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml": Expected(
        1, words=("type 'Any' is not supported", "calendar-aligned windows are not supported")
    ),
    # the per-kind v1 examples
    "sdk-examples/v1/alert_conditions.yaml": Expected(0, words=(UNUSED,)),
    "sdk-examples/v1/alert_notification_targets.yaml": Expected(0, words=(UNUSED,)),
    "sdk-examples/v1/alert_policies.yaml": Expected(
        1, words=("conditionRef 'cpu-usage-breach' names no AlertCondition", "targetRef 'on-call-pd-notification'")
    ),
    "sdk-examples/v1/data_sources.yaml": Expected(0, words=("DataSource 'datadog' is not imported",)),
    "sdk-examples/v1/services.yaml": Expected(1, services=1, words=("defined twice", "names no single team")),
    "sdk-examples/v1/slis.yaml": Expected(
        1,
        words=(
            "SLI 'search-availability' is not imported: no SLO uses it",  # its source is Datadog
            "type 'AppDynamics' is not supported",
            "precomputed ratios (ratioMetric.raw) are not supported",
            "type 'Prometheus' is not supported",
        ),
    ),
    "sdk-examples/v1/slos.yaml": Expected(
        1, words=("type 'Prometheus' is not supported", "calendar-aligned windows are not supported")
    ),
    "sdk-examples/v1alpha/services.yaml": Expected(0, services=1, words=("traffic is unknown",)),
    "sdk-examples/v1alpha/slos.yaml": Expected(
        1, words=("metric source 'Prometheus' is not supported", "v1alpha Timeslices has no slice length")
    ),
    # the YAML blocks of the specification text, in order
    "spec/README.md#0": Expected(1, words=("is not an openslo/v1 kind",)),
    "spec/README.md#1": Expected(0, words=(UNUSED,)),
    "spec/README.md#2": Expected(0, words=(UNUSED,)),
    "spec/README.md#3": Expected(1, words=("indicatorRef 'string' names no SLI", "timeWindow holds exactly one")),
    "spec/README.md#4": Expected(1, words=("apiVersion is missing",)),
    "spec/README.md#5": Expected(1, words=("apiVersion is missing",)),
    "spec/README.md#6": Expected(1, words=("either ratioMetric or thresholdMetric, not both",)),
    "spec/README.md#7": Expected(0, slos=1, services=1, words=("no budgetingMethod", "no timeWindow")),  # Datadog
    "spec/README.md#8": Expected(1, words=("apiVersion is missing",)),
    "spec/README.md#9": Expected(1, words=("apiVersion is missing",)),
    "spec/README.md#10": Expected(1, words=("apiVersion is missing",)),
    "spec/README.md#11": Expected(1, words=("conditionRef is empty",)),
    "spec/README.md#12": Expected(1, words=("conditionRef 'cpu-usage-breach' names no AlertCondition",)),
    "spec/README.md#13": Expected(1, words=("targetRef 'on-call-devops-mail-notification' names no",)),
    "spec/README.md#14": Expected(0, words=(UNUSED,)),
    "spec/README.md#15": Expected(0, words=(UNUSED,)),
    "spec/README.md#16": Expected(0, words=(UNUSED,)),
    "spec/README.md#17": Expected(0, words=(UNUSED,)),
    "spec/README.md#18": Expected(0, words=(UNUSED,)),
    "spec/README.md#19": Expected(0, services=1, words=("traffic is unknown",)),
}
DATADOG = [name for name, expected in EXPECTED.items() if expected.slos]


def examples() -> dict[str, str]:
    """Every example, by name: the YAML files, and each YAML block of the specification text."""
    found = {
        str(path.relative_to(UPSTREAM)): path.read_text(encoding="utf-8")
        for path in sorted(UPSTREAM.rglob("*"))
        if path.suffix in (".yaml", ".yml")
    }
    blocks = re.findall(r"```yaml\n(.*?)```", SPEC_TEXT.read_text(encoding="utf-8"), re.S)
    found.update({f"spec/README.md#{i}": block for i, block in enumerate(blocks)})
    return found


def test_every_example_has_an_expectation() -> None:
    assert sorted(examples()) == sorted(EXPECTED)
    assert DATADOG == ["spec/README.md#7"]


def _import(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    repo = tmp_path / "repo"
    scaffold(repo)
    document = tmp_path / "example.yaml"
    document.write_text(examples()[name], encoding="utf-8")
    capsys.readouterr()
    code = run(["import", "--openslo", str(document), "-d", str(repo / "definitions"), "-o",
                str(repo / "definitions" / "openslo")])  # fmt: skip
    return code, capsys.readouterr().err, repo


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_example_imports_or_gets_findings_naming_what_is_unsupported(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALERTC_NOW", NOW)
    expected = EXPECTED[name]
    code, err, repo = _import(name, tmp_path, capsys)

    assert "internal error" not in err and "Traceback" not in err, err
    assert code == expected.code, err
    findings = [line for line in err.splitlines() if line.startswith(str(tmp_path)) or ": warning: " in line]
    assert findings, err  # an example that imports cleanly would need no entry here: each says something
    for line in findings:  # each names its rule, which --explain knows
        match = FINDING.match(line)
        assert match is not None and match.group(2) in all_rules(), line
    for words in expected.words:
        assert words in err, err
    summary = next(line for line in err.splitlines() if line.startswith("Imported "))
    assert f"Imported {expected.slos} SLO(s) and {expected.services} new service(s)" in summary, err
    written = repo / "definitions" / "openslo"
    assert (written / "slos.yaml").exists() == bool(expected.slos)
    assert (written / "services.yaml").exists() == bool(expected.services)


@pytest.mark.parametrize("name", DATADOG)
def test_a_datadog_example_validates_and_plans_against_the_embedded_sandbox(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALERTC_NOW", NOW)
    code, err, repo = _import(name, tmp_path, capsys)
    assert code == 0, err
    monkeypatch.chdir(repo)

    assert run(["validate"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert run(["plan", "--target", "sandbox", "--sandbox-state", str(tmp_path / "sandbox")]) == 0
    out = capsys.readouterr().out
    assert "+ datadog slo foo-slo" in out, out
    assert "+ datadog service definition foo" in out, out
