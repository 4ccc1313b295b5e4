"""A fake GitHub Actions runner for the shipped workflows: runs their ``run:`` steps in order, for real.

Only what the workflows use is imitated, and anything else fails loudly so a
workflow cannot quietly depend on something the test does not check:

- ``${{ }}`` expressions: ``secrets.*``, ``inputs.*``, ``env.*``, ``steps.<id>.outputs.*``,
  ``github.token|sha|ref|event_name|event.*``, ``a || b`` and ``a == 'literal'`` (in ``if:``);
- ``run:`` steps run with GitHub's bash flags in a workspace, with ``GITHUB_OUTPUT``,
  ``GITHUB_STEP_SUMMARY``, ``GITHUB_EVENT_PATH`` and friends; a step that fails skips the rest;
- the install step is replaced by an ``alertc`` on ``PATH`` that runs this checkout's alertc;
  ``gh`` is a stub answering the two queries apply makes;
- ``actions/checkout`` and ``actions/setup-python`` do nothing (the workspace is there);
  ``upload-artifact``/``download-artifact`` copy to and from a per-run artifact store;
  ``github-script`` is not run: the test checks the file its script posts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / "compiler" / "scaffold" / "files" / "dot-github" / "workflows"
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

# Until `--target NAME` (alertc.yaml targets) is on this branch, the shim drops it: the sandbox is the
# target through the environment (credentials and ALERTC_*_URL), as it would be for a one-target repo.
_ALERTC_SHIM = """#!{python}
import sys
args = sys.argv[1:]
if "--target" in args:
    at = args.index("--target")
    del args[at : at + 2]
sys.argv[1:] = args
from compiler.cli import main
main()
"""

_GH_STUB = """#!/bin/sh
echo "$*" >> "$FAKE_GH_LOG"
case "$1 $2" in
  "api "*) printf '%s\\n' "$FAKE_GH_HEAD_SHA" ;;
  "run list") printf '%s\\n' "$FAKE_GH_RUN_ID" ;;
  *) echo "fake gh: unexpected call: $*" >&2; exit 1 ;;
esac
"""


@dataclass
class StepResult:
    name: str
    outcome: str  # success | failure | skipped | emulated
    output: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class RunResult:
    run_id: str
    steps: list[StepResult]
    summary: str

    @property
    def ok(self) -> bool:
        return all(s.outcome != "failure" for s in self.steps)

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def log(self) -> str:
        return "\n".join(f"--- {s.name} [{s.outcome}]\n{s.output}" for s in self.steps)


@dataclass
class FakeGitHub:
    """One repository's Actions: a workspace (the checkout), secrets, and the artifacts of earlier runs."""

    workspace: Path
    home: Path
    secrets: dict[str, str]
    environ: dict[str, str]  # what the runner machine's environment adds (the sandbox's URLs, a pinned clock)
    repository: str = "acme/monitoring"
    runs: int = 0
    gh_answers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bin = self.home / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        for name, text in (("alertc", _ALERTC_SHIM.format(python=sys.executable)), ("gh", _GH_STUB)):
            (self.bin / name).write_text(text, encoding="utf-8")
            (self.bin / name).chmod(0o755)
        python = self.bin / "python"
        if not python.exists():
            python.symlink_to(sys.executable)
        self.artifacts = self.home / "artifacts"
        self.gh_log = self.home / "gh.log"

    def artifact(self, run_id: str, name: str) -> Path:
        return self.artifacts / run_id / name

    def run(
        self,
        workflow: str,
        *,
        event_name: str,
        event: dict[str, Any],
        sha: str = "0" * 40,
        ref: str = "refs/heads/main",
        inputs: dict[str, str] | None = None,
    ) -> RunResult:
        self.runs += 1
        run_id = str(1000 + self.runs)
        spec = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))
        (job,) = spec["jobs"].values()
        temp = self.home / f"run-{run_id}"
        temp.mkdir()
        event_path = temp / "event.json"
        event_path.write_text(json.dumps(event), encoding="utf-8")
        summary_path = temp / "summary.md"
        summary_path.touch()
        context = _Context(
            secrets=self.secrets,
            inputs=inputs or {},
            github={"token": "fake-token", "sha": sha, "ref": ref, "event_name": event_name, "event": event},
        )
        base_env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(self.home),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_REPOSITORY": self.repository,
            "GITHUB_SHA": sha,
            "GITHUB_REF": ref,
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_RUN_ID": run_id,
            "GITHUB_STEP_SUMMARY": str(summary_path),
            "RUNNER_TEMP": str(temp),
            "FAKE_GH_LOG": str(self.gh_log),
            "FAKE_GH_HEAD_SHA": self.gh_answers.get("head_sha", ""),
            "FAKE_GH_RUN_ID": self.gh_answers.get("run_id", ""),
            **self.environ,
        }
        for scope in (spec.get("env", {}), job.get("env", {})):
            for key, value in scope.items():
                context.env[key] = context.render(str(value))
        results: list[StepResult] = []
        failed = False
        for index, step in enumerate(job["steps"]):
            name = step.get("name") or step.get("uses") or f"step {index}"
            condition = step.get("if")
            runs = condition == "always()" or (not failed and (not condition or context.condition(condition)))
            if not runs:
                results.append(StepResult(name, "skipped"))
                continue
            result = self._step(step, name, context, base_env, temp / f"output-{index}")
            results.append(result)
            if step.get("id"):
                context.steps[step["id"]] = result.outputs
            failed = failed or result.outcome == "failure"
        return RunResult(run_id, results, summary_path.read_text(encoding="utf-8"))

    def _step(
        self, step: dict[str, Any], name: str, context: _Context, base_env: dict[str, str], out: Path
    ) -> StepResult:
        with_ = {k: context.render(str(v)) for k, v in step.get("with", {}).items()}
        uses = step.get("uses", "")
        if uses:
            action = uses.split("@", 1)[0]
            run_id = base_env["GITHUB_RUN_ID"]
            if action in ("actions/checkout", "actions/setup-python"):
                return StepResult(name, "emulated")
            if action == "actions/upload-artifact":
                target = self.artifact(run_id, with_["name"])
                shutil.copytree(self.workspace / with_["path"], target)
                return StepResult(name, "emulated")
            if action == "actions/download-artifact":
                source = self.artifact(with_.get("run-id") or run_id, with_["name"])
                if not source.is_dir():
                    return StepResult(name, "failure", f"Unable to download artifact(s): {with_['name']} not found")
                shutil.copytree(source, self.workspace / with_["path"], dirs_exist_ok=True)
                return StepResult(name, "emulated")
            if action == "actions/github-script":
                return StepResult(name, "emulated", with_["script"])
            raise AssertionError(f"the fake runner does not know {uses}")
        if step.get("id") == "install":
            assert "pip install" in step["run"]  # replaced by the alertc shim on PATH
            return StepResult(name, "emulated")
        env = dict(base_env)
        env.update(context.env)
        env.update({k: context.render(str(v)) for k, v in step.get("env", {}).items()})
        out.touch()
        env["GITHUB_OUTPUT"] = str(out)
        script = out.with_suffix(".sh")
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines() if "=" in line)
        return StepResult(name, "success" if proc.returncode == 0 else "failure", proc.stdout + proc.stderr, outputs)


@dataclass
class _Context:
    secrets: dict[str, str]
    inputs: dict[str, str]
    github: dict[str, Any]
    env: dict[str, str] = field(default_factory=dict)
    steps: dict[str, dict[str, str]] = field(default_factory=dict)

    def render(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        expression = _EXPR.sub(lambda m: m.group(1), text).strip()
        if " == " in expression:
            left, right = (part.strip() for part in expression.split(" == ", 1))
            assert right.startswith("'") and right.endswith("'"), expression
            return self.value(left) == right[1:-1]
        return bool(self.value(expression))

    def value(self, expression: str) -> str:
        if "||" in expression:
            return next((v for v in (self.value(p.strip()) for p in expression.split("||")) if v), "")
        head, _, rest = expression.partition(".")
        if head == "secrets":
            return self.secrets.get(rest, "")
        if head == "inputs":
            return self.inputs.get(rest, "")
        if head == "env":
            return self.env[rest]
        if head == "steps":
            step_id, _, output = rest.partition(".outputs.")
            return self.steps.get(step_id, {}).get(output, "")
        if head == "github":
            value: Any = self.github
            for part in rest.split("."):
                value = value.get(part, "") if isinstance(value, dict) else ""
            return "" if value is None else str(value)
        raise AssertionError(f"the fake runner cannot evaluate ${{{{ {expression} }}}}")
