"""Bad OpenSLO input is a finding with its position and exit 1, never a crash, in bounded memory.

The import reads files with the definitions loader's reader, so its limits hold
(5 MB a file and 50 MB in all, refused from ``stat`` before a byte is read; only
regular files; no aliases). The 100 MB case runs in a child process whose
address space is capped at 256 MB, and its peak resident size (its own
``VmHWM``) must stay below the file's size: the file was never read into memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.cli import run
from tests.openslo.support import scaffold, write

MEMORY_LIMIT = 256 * 1024 * 1024
HUNDRED_MB = 100 * 1024 * 1024
SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata: {name: api-success}
spec:
  service: api
  indicatorRef: api-success
  timeWindow: [{duration: 30d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.999}]
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    scaffold(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def _import(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = run(["import", "--openslo", *paths, "-o", "definitions/openslo"])
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("not-yaml.yaml", "apiVersion: openslo/v1\nkind: [SLO\n", "not-yaml.yaml:3:1: [D103] YAML syntax error"),
        ("binary.yaml", b"\xff\xfe\x00binary", "binary.yaml:1:1: [D102] file is not UTF-8 text"),
        (
            "text.yaml",
            "just some text\n",
            "text.yaml:1:1: [O602] not an OpenSLO document: expected a mapping or a list",
        ),
        (
            "v2.yaml",
            SLO.replace("openslo/v1", "openslo.com/v2alpha"),
            "v2.yaml:1:13: [O603] apiVersion 'openslo.com/v2alpha' is not supported",
        ),
        (
            "no-version.yaml",
            SLO.replace("apiVersion: openslo/v1\n", ""),
            "no-version.yaml:1:1: [O602] not an OpenSLO object",
        ),
        (
            "kind.yaml",
            SLO.replace("kind: SLO", "kind: Slo"),
            "kind.yaml:2:7: [O603] kind 'Slo' is not an openslo/v1 kind",
        ),
        (
            "no-spec.yaml",
            SLO.split("spec:", maxsplit=1)[0],
            "no-spec.yaml:1:1: [O602] SLO 'api-success': spec is missing",
        ),
        (
            "no-name.yaml",
            SLO.replace("{name: api-success}", "{}"),
            "no-name.yaml:3:11: [O602] SLO: metadata.name is missing",
        ),
        (
            "dangling-sli.yaml",
            SLO,
            "dangling-sli.yaml:6:17: [O604] SLO 'api-success': indicatorRef 'api-success' names no SLI among the "
            "documents",
        ),
        (
            "dangling-source.yaml",
            SLO.replace(
                "indicatorRef: api-success",
                "indicator:\n    metadata: {name: x}\n    spec:\n"
                "      thresholdMetric: {metricSource: {metricSourceRef: nowhere, spec: {query: q}}}",
            ),
            "dangling-source.yaml:9:57: [O604] SLO 'api-success': metricSourceRef 'nowhere' names no DataSource among "
            "the "
            "documents, and no type is given",
        ),
        ("alias.yaml", "a: &x [1]\nb: *x\n", "alias.yaml:2:4: [D113] YAML alias '*x' is not supported"),
    ],
    ids=lambda value: value if isinstance(value, str) and value.endswith(".yaml") else "",
)
def test_bad_input_is_a_finding_with_a_position_and_exit_1(
    repo: Path, capsys: pytest.CaptureFixture[str], name: str, text: str | bytes, expected: str
) -> None:
    path = repo / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")

    code, err = _import(capsys, name)

    assert code == 1
    assert any(line.startswith(expected) for line in err), "\n".join(err)
    assert not any("internal error" in line or "Traceback" in line for line in err)
    assert not (repo / "definitions" / "openslo").exists()  # nothing written


def test_a_dangling_alert_policy_leaves_the_tier_out_and_exits_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sli = "---\napiVersion: openslo/v1\nkind: SLI\nmetadata: {name: api-success}\nspec:\n  thresholdMetric:\n" \
          "    metricSource: {type: Datadog, spec: {query: 'avg:api.latency{*}'}}\n"  # fmt: skip
    body = SLO.replace("Occurrences", "Timeslices").replace(
        "{target: 0.999}]", "{target: 0.999, op: lt, value: 1, timeSliceTarget: 1, timeSliceWindow: 1m}]\n"
        "  alertPolicies: [{alertPolicyRef: missing}]"
    )  # fmt: skip
    write(repo, "slo.yaml", body + sli)

    code, err = _import(capsys, "slo.yaml")

    assert code == 1
    assert err[0] == (
        "slo.yaml:10:36: [O604] SLO 'api-success': alertPolicyRef 'missing' names no AlertPolicy among the documents"
    )
    assert (repo / "definitions" / "openslo" / "slos.yaml").exists()  # the SLO itself imported


def test_a_missing_path_and_an_empty_directory_are_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "empty").mkdir()

    code, err = _import(capsys, "nowhere.yaml", "empty")

    assert code == 1
    assert err[:2] == [
        "empty: [O601] no OpenSLO files (*.yaml, *.yml, *.json) in this directory",
        "nowhere.yaml: [O601] no such file or directory",
    ]


def test_a_fifo_is_refused_without_being_opened(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "documents").mkdir()
    os.mkfifo(repo / "documents" / "pipe.yaml")

    code, err = _import(capsys, "documents")

    assert code == 1
    assert err[0] == "documents/pipe.yaml:1:1: [D110] not a regular file (a FIFO); it was not read"


def test_a_100_mb_file_is_refused_unread_in_bounded_memory(repo: Path) -> None:
    (repo / "documents").mkdir()
    for huge in (repo / "huge.yaml", repo / "documents" / "huge.yaml"):
        with huge.open("wb") as handle:
            handle.truncate(HUNDRED_MB)  # sparse: no disk used, but any read would bring 100 MB into memory

    # Named as a FILE argument, then found inside a DIR argument: one child runs both (starting Python and
    # importing alertc is most of the cost), and its peak resident size bounds both runs.
    runs, peak_bytes = _run_limited(
        repo,
        [
            ["import", "--openslo", "huge.yaml", "-o", "definitions/openslo"],
            ["import", "--openslo", "documents", "-o", "definitions/openslo"],
        ],
    )

    for (code, err), shown in zip(runs, ["huge.yaml", "documents/huge.yaml"], strict=True):
        assert code == 1, err
        assert err.splitlines()[0] == (
            f"{shown}:1:1: [D111] file is {HUNDRED_MB} bytes, more than the limit of 5242880 bytes; it was not read"
        )
    assert not (repo / "definitions" / "openslo").exists()
    assert peak_bytes < HUNDRED_MB, f"peak RSS {peak_bytes / 2**20:.0f} MB"


# The child caps its own address space, runs alertc once per argument list (each run's exit code and standard
# error reported after a separator line), and reports its own peak resident size (VmHWM of the image it runs):
# the rusage of a child forked from pytest would count the pytest process's pages it started from.
SEPARATOR = "--- exit "
CHILD = f"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from compiler.cli import run
for arguments in json.loads(sys.argv[2]):
    code = run(arguments)
    print("{SEPARATOR}" + str(code), file=sys.stderr, flush=True)
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(peak.split()[1]) * 1024)
"""


def _run_limited(cwd: Path, argument_lists: list[list[str]]) -> tuple[list[tuple[int, str]], int]:
    """Run alertc in one child capped at 256 MB: each run's exit code and standard error, and the child's peak
    resident size in bytes."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(MEMORY_LIMIT), json.dumps(argument_lists)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ALERTC_NOW": "2026-11-22T12:00:00+00:00"},
    )
    assert child.returncode == 0, child.stderr
    runs: list[tuple[int, str]] = []
    err = ""
    for line in child.stderr.splitlines(keepends=True):
        if line.startswith(SEPARATOR):
            runs.append((int(line[len(SEPARATOR) :]), err))
            err = ""
        else:
            err += line
    assert len(runs) == len(argument_lists), child.stderr
    return runs, int(child.stdout.split()[-1])
