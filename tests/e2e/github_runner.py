"""A fake GitHub Actions runner for the workflows ``alertc init`` writes: runs their steps in order, for real.

Every run starts from a fresh checkout of the given git repository at the run's commit and runs the
workflows found there (``.github/workflows``), so a test proves what a user of ``alertc init`` gets,
not a copy, and no run sees another's files. Only what the workflows use is imitated, and
anything else fails loudly so a workflow cannot quietly depend on something the test does not check:

- ``${{ }}`` expressions: ``secrets.*``, ``inputs.*``, ``env.*``, ``steps.<id>.outputs.*``,
  ``github.token|sha|ref|event_name|event.*``, ``a || b`` and ``a == 'literal'`` (in ``if:``);
- ``run:`` steps run with GitHub's bash flags in a workspace, with ``GITHUB_OUTPUT``,
  ``GITHUB_STEP_SUMMARY``, ``GITHUB_EVENT_PATH`` and friends; a step that fails skips the rest;
- the install step is replaced by an ``alertc`` on ``PATH`` that runs this checkout's alertc
  (the workflow's own arguments, ``--target`` included); ``gh`` is a stub answering the two queries
  apply makes;
- ``actions/checkout`` and ``actions/setup-python`` do nothing (the run's checkout is made before it);
  ``upload-artifact``/``download-artifact`` copy to and from a per-run artifact store;
- ``actions/github-script`` runs its script with node against a fake ``github.rest.issues`` whose
  issues and comments live in one JSON file (``FakeGitHub.issues()``), so posting or updating the
  one plan comment and opening, updating and closing the one drift issue are what the test checks.
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

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

_ALERTC_SHIM = """#!{python}
from compiler.cli import main
main()
"""

# github-script's calling convention (an async function body given require, github, context, core)
# around a fake REST client whose issues (pull requests included) persist in FAKE_GITHUB_STATE.
_GITHUB_SCRIPT = r"""
const fs = require("fs");
const statePath = process.env.FAKE_GITHUB_STATE;
const state = fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, "utf8")) : { issues: {}, next_id: 1 };
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 1));
const issue = (n, extra) =>
  (state.issues[n] ??= { number: n, title: "", body: "", state: "open", labels: [], comments: [], ...extra });
const event = JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, "utf8"));
const [owner, repo] = process.env.GITHUB_REPOSITORY.split("/");
const number = event.pull_request?.number ?? event.issue?.number;
const context = { repo: { owner, repo }, issue: { owner, repo, number } };
const check = (p) => {
  if (p.owner !== owner || p.repo !== repo) throw new Error(`wrong repository ${p.owner}/${p.repo}`);
};
const issues = {
  listComments: async (p) => { check(p); return { data: issue(p.issue_number, { pull_request: true }).comments }; },
  createComment: async (p) => {
    check(p);
    const c = { id: state.next_id++, body: p.body };
    issue(p.issue_number).comments.push(c);
    save();
    return { data: c };
  },
  updateComment: async (p) => {
    check(p);
    const c = Object.values(state.issues).flatMap((i) => i.comments).find((x) => x.id === p.comment_id);
    if (!c) throw new Error(`no comment ${p.comment_id}`);
    c.body = p.body; save(); return { data: c };
  },
  listForRepo: async (p) => {
    check(p);
    const wanted = (p.labels || "").split(",").filter(Boolean);
    const data = Object.values(state.issues).filter((i) => !i.pull_request && (p.state === "all" || i.state === p.state)
      && wanted.every((l) => i.labels.some((x) => x.name === l)));
    return { data };
  },
  create: async (p) => {
    check(p);
    const n = Object.keys(state.issues).length + 100;
    const i = issue(n, { title: p.title, body: p.body, labels: (p.labels || []).map((name) => ({ name })) });
    save(); return { data: i };
  },
  update: async (p) => {
    check(p); const i = state.issues[p.issue_number];
    if (!i) throw new Error(`no issue ${p.issue_number}`);
    for (const key of ["title", "body", "state", "state_reason"]) if (p[key] !== undefined) i[key] = p[key];
    save(); return { data: i };
  },
};
const github = { rest: { issues }, paginate: async (method, params) => (await method(params)).data };
const core = { setFailed: (m) => { console.error(m); process.exitCode = 1; } };
const AsyncFunction = (async () => {}).constructor;
new AsyncFunction("require", "github", "context", "core", fs.readFileSync(process.argv[2], "utf8"))(
  require, github, context, core,
).catch((e) => { console.error(e); process.exit(1); });
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
    """One repository's Actions: the git repository, its secrets, and the artifacts and issues of earlier runs."""

    repository_path: Path
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
        self.github_state = self.home / "github.json"
        (self.home / "github-script.cjs").write_text(_GITHUB_SCRIPT, encoding="utf-8")

    def issues(self) -> dict[int, dict[str, Any]]:
        """The repository's issues and pull requests (number → its fields and comments), as the scripts left them."""
        if not self.github_state.exists():
            return {}
        state = json.loads(self.github_state.read_text(encoding="utf-8"))
        return {int(number): issue for number, issue in state["issues"].items()}

    def artifact(self, run_id: str, name: str) -> Path:
        return self.artifacts / run_id / name

    def run(
        self,
        workflow: str,
        *,
        event_name: str,
        event: dict[str, Any],
        sha: str | None = None,
        ref: str = "refs/heads/main",
        inputs: dict[str, str] | None = None,
    ) -> RunResult:
        """Run ``workflow`` as of commit ``sha`` (default: the head of ``main``, as a schedule does)."""
        self.runs += 1
        run_id = str(1000 + self.runs)
        temp = self.home / f"run-{run_id}"
        temp.mkdir()
        sha = sha or _git(self.repository_path, "rev-parse", "main")
        workspace = temp / "workspace"  # actions/checkout: this commit, nothing from earlier runs
        _git(temp, "clone", "-q", str(self.repository_path), str(workspace))
        _git(workspace, "checkout", "-q", "--detach", sha)
        spec = yaml.safe_load((workspace / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
        (job,) = spec["jobs"].values()
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
            "GITHUB_WORKSPACE": str(workspace),
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
            "FAKE_GITHUB_STATE": str(self.github_state),
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
            result = self._step(step, name, context, base_env, workspace, temp / f"output-{index}")
            results.append(result)
            if step.get("id"):
                context.steps[step["id"]] = result.outputs
            failed = failed or result.outcome == "failure"
        return RunResult(run_id, results, summary_path.read_text(encoding="utf-8"))

    def _step(
        self,
        step: dict[str, Any],
        name: str,
        context: _Context,
        base_env: dict[str, str],
        workspace: Path,
        out: Path,
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
                shutil.copytree(workspace / with_["path"], target)
                return StepResult(name, "emulated")
            if action == "actions/download-artifact":
                source = self.artifact(with_.get("run-id") or run_id, with_["name"])
                if not source.is_dir():
                    return StepResult(name, "failure", f"Unable to download artifact(s): {with_['name']} not found")
                shutil.copytree(source, workspace / with_["path"], dirs_exist_ok=True)
                return StepResult(name, "emulated")
            if action != "actions/github-script":
                raise AssertionError(f"the fake runner does not know {uses}")
            script = out.with_suffix(".js")
            script.write_text(with_["script"], encoding="utf-8")
            command = ["node", str(self.home / "github-script.cjs"), str(script)]
        elif step.get("id") == "install":
            assert "pip install" in step["run"]  # replaced by the alertc shim on PATH
            return StepResult(name, "emulated")
        else:
            script = out.with_suffix(".sh")
            script.write_text(step["run"], encoding="utf-8")
            command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        env = dict(base_env)
        env.update(context.env)
        env.update({k: context.render(str(v)) for k, v in step.get("env", {}).items()})
        out.touch()
        env["GITHUB_OUTPUT"] = str(out)
        proc = subprocess.run(
            command,
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines() if "=" in line)
        return StepResult(name, "success" if proc.returncode == 0 else "failure", proc.stdout + proc.stderr, outputs)


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


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
