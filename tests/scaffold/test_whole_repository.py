"""``alertc init`` writes a whole repository: schemas, ``$schema`` headers, the process document, the
workflows with their pinned alertc, and pre-commit hooks that all pass on it from the first commit.

The real ``pre-commit run --all-files`` takes about 20 s (pre-commit sets up its environment, then one
alertc process per hook), so those two tests are marked ``kit`` and run by ``make test-kit`` (and the
project's CI), not by ``make test``; the default suite runs every hook's command in process instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from compiler.cli import run

ROOT = Path(__file__).resolve().parents[2]
PINNED = "git+https://github.com/acme/alertc@0123456789abcdef0123456789abcdef01234567"
SCHEMASTORE = "https://json.schemastore.org/"


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh ``alertc init`` repository, committed to git as a user would."""
    monkeypatch.chdir(tmp_path)
    assert run(["init", "repo", "--install-from", PINNED]) == 0
    capsys.readouterr()
    repo = tmp_path / "repo"
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com"}
    env.update(GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "alertc init"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo


def _written(repo: Path) -> list[Path]:
    return sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts)


def test_every_yaml_file_names_its_schema_and_the_schema_is_there(fresh: Path) -> None:
    yaml_files = [p for p in _written(fresh) if p.suffix in (".yaml", ".yml")]
    assert {p.relative_to(fresh).as_posix() for p in yaml_files} >= {
        "alertc.yaml",
        "definitions/team.yaml",
        ".pre-commit-config.yaml",
        ".github/workflows/alertc-plan.yml",
    }
    for path in yaml_files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = first.split("$schema=", 1)[1]
        if not target.startswith(SCHEMASTORE):
            assert (path.parent / target).resolve().is_file(), f"{path}: {target}"
    header = (fresh / "alertc.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith("$schema=schema/project.schema.json")


def test_the_generated_files_are_what_alertc_checks_them_against(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(fresh)
    for command in (
        ["schema", "definitions", "--check"],
        ["schema", "project", "--check"],
        ["schema", "alert-test", "--check"],
        ["docs", "--check"],
    ):
        assert run(command) == 0, capsys.readouterr().err
    assert (fresh / "docs" / "process.md").read_text(encoding="utf-8").startswith("# My team's incident response\n")


def _path_with_alertc() -> str:
    """The PATH a developer has after installing alertc: the directory of this interpreter's scripts first."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _local_hooks(repo: Path) -> list[dict[str, str]]:
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert all(r["repo"] == "local" for r in config["repos"])  # offline: no hook repository to clone
    return [hook for r in config["repos"] for hook in r["hooks"]]


def test_every_local_hook_command_passes_on_a_fresh_init(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The fast half of the pre-commit proof: each hook's ``entry`` run as alertc's CLI, in process."""
    hooks = _local_hooks(fresh)
    assert {h["id"] for h in hooks} >= {
        "alertc-validate",
        "alertc-test",
        "alertc-schema",
        "alertc-project-schema",
        "alertc-alert-test-schema",
        "alertc-docs",
    }
    monkeypatch.chdir(fresh)
    for hook in hooks:
        entry = shlex.split(hook["entry"])
        assert entry[0] == "alertc" and hook["language"] == "system" and hook["pass_filenames"] is False
        assert run(entry[1:]) == 0, (hook["id"], capsys.readouterr().err)


def test_a_stale_document_fails_the_docs_hook_command(
    fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    service = fresh / "definitions" / "service.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace("title: API\n", "title: Api\n", 1), encoding="utf-8")
    (docs_hook,) = [h for h in _local_hooks(fresh) if h["id"] == "alertc-docs"]
    monkeypatch.chdir(fresh)
    assert run(shlex.split(docs_hook["entry"])[1:]) == 1
    assert "docs/process.md is out of date" in capsys.readouterr().err


@pytest.mark.kit
def test_pre_commit_run_all_files_passes_on_a_fresh_init(fresh: Path, tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit is not None, "pre-commit is a dev extra (pyproject.toml)"
    hooks = [hook["id"] for hook in _local_hooks(fresh)]
    assert {"alertc-validate", "alertc-test", "alertc-schema", "alertc-docs"} <= set(hooks)
    env = {
        "PATH": _path_with_alertc(),
        "HOME": str(tmp_path),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "ALERTC_NOW": "2026-11-22T12:00:00+00:00",
    }
    done = subprocess.run(
        [pre_commit, "run", "--all-files", "--color", "never"],
        cwd=fresh,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for hook_id in hooks:
        name = next(h["name"] for h in _local_hooks(fresh) if h["id"] == hook_id)
        assert any(line.startswith(name) and line.endswith("Passed") for line in done.stdout.splitlines()), hook_id


@pytest.mark.kit
def test_a_stale_document_fails_its_hook(fresh: Path, tmp_path: Path) -> None:
    (fresh / "definitions" / "service.yaml").write_text(
        (fresh / "definitions" / "service.yaml").read_text(encoding="utf-8").replace("title: API\n", "title: Api\n", 1),
        encoding="utf-8",
    )
    env = {"PATH": _path_with_alertc(), "HOME": str(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "pc")}
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    done = subprocess.run(
        [pre_commit, "run", "--all-files", "--color", "never"],
        cwd=fresh,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "docs/process.md is out of date" in done.stdout


@pytest.mark.parametrize(
    "hook", yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")), ids=lambda h: h["id"]
)
def test_the_hooks_alertc_ships_pass_on_a_fresh_init_too(
    hook: dict[str, str], fresh: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """For teams that use alertc's own hook repository (``repo: <alertc>``) instead of the local hooks."""
    monkeypatch.chdir(fresh)
    entry = shlex.split(hook["entry"])
    assert entry[0] == "alertc"
    assert run(entry[1:]) == 0, capsys.readouterr().err
