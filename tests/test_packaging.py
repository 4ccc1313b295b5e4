"""Packaging: the declared setuptools floor builds the package, the metadata is there, and the ways to run it work.

The build runs with exactly the floor (setuptools 77.0.*, the first that reads a PEP 639
licence expression) in a fresh environment without build isolation, so a newer setuptools
cannot hide a floor that no longer builds. It installs setuptools from pip's index (about 11 s
on an idle machine), so it is marked ``kit`` and runs in ``make test-kit`` (and the project's CI);
the default suite checks the declared floor and the installed distribution's metadata instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from email.message import Message
from email.parser import Parser
from importlib.metadata import distribution
from pathlib import Path

import pytest

from tests.test_install import _copy_build_context

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _floor() -> str:
    (requirement,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    match = re.fullmatch(r"setuptools>=(\d+)", requirement)
    assert match, requirement
    return match.group(1)


def _pip(*args: str, cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"pip {' '.join(args)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"


def _assert_metadata(metadata: Message) -> None:
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata["Author"] == "alertc contributors"
    classifiers = metadata.get_all("Classifier") or []
    assert "Operating System :: POSIX :: Linux" in classifiers and "Typing :: Typed" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639: the expression replaces them
    assert metadata["Requires-Python"] == ">=3.11"


def test_the_floor_is_the_first_setuptools_with_licence_expressions_and_the_metadata_is_there() -> None:
    """The fast half: the floor declared, and the metadata of the alertc this suite runs (built by pip)."""
    assert int(_floor()) >= 77  # PEP 639: license = "Apache-2.0" as an expression
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    installed = distribution("alertc").metadata
    assert isinstance(installed, Message)
    _assert_metadata(installed)


@pytest.mark.kit
def test_the_declared_setuptools_floor_builds_the_wheel_with_its_metadata(tmp_path: Path) -> None:
    floor = _floor()
    assert int(floor) >= 77  # PEP 639: license = "Apache-2.0" as an expression
    venv = tmp_path / "build-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    _pip("--python", python, "install", "-q", f"setuptools=={floor}.0.*", cwd=tmp_path)
    version = "import setuptools; print(setuptools.__version__)"
    used = subprocess.run([python, "-c", version], capture_output=True, check=False)
    assert used.stdout.decode().startswith(f"{floor}.0."), used
    context = _copy_build_context(tmp_path / "context")
    _pip("--python", python, "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", str(tmp_path), ".", cwd=context)
    (wheel,) = tmp_path.glob("alertc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())
    _assert_metadata(metadata)


def test_python_dash_m_compiler_is_the_alertc_command() -> None:
    proc = subprocess.run([sys.executable, "-m", "compiler", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("alertc, version ")


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete")]
)
def test_shell_completion_as_the_readme_says(shell: str, marker: str) -> None:
    """README "Shell completion": click's completion script for each shell, from the installed command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"_ALERTC_COMPLETE={shell}_source alertc" in readme
    env = {**os.environ, "_ALERTC_COMPLETE": f"{shell}_source"}
    proc = subprocess.run(
        [sys.executable, "-c", "from compiler.entry import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and marker in proc.stdout, proc.stdout + proc.stderr


def test_completion_lists_the_commands_without_loading_them() -> None:
    env = {**os.environ, "_ALERTC_COMPLETE": "bash_complete", "COMP_WORDS": "alertc va", "COMP_CWORD": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", "from compiler.entry import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.split() == ["plain,validate"], proc.stdout + proc.stderr
