"""A fake GitHub Actions runner for the workflows ``alertc init`` writes: runs their steps in order, for real.

Every run starts from a fresh checkout of the given git repository at the run's commit and runs the
workflows found there (``.github/workflows``), so a test proves what a user of ``alertc init`` gets,
not a copy, and no run sees another's files. Only what the workflows use is imitated, and
anything else fails loudly so a workflow cannot quietly depend on something the test does not check:

- jobs in order, each after the jobs it ``needs`` (skipped when one of them did not succeed), with a
  job-level ``if:``; a job's ``environment:`` adds that environment's secrets to the repository's,
  and a pull request from a fork gets no secrets at all, as on GitHub;
- ``${{ }}`` expressions: ``secrets.*``, ``inputs.*``, ``env.*``, ``steps.<id>.outputs.*``,
  ``github.token|sha|ref|repository|event_name|event.*``, ``a || b``, ``a && b``, ``a == b`` and
  ``a != b`` with ``'literal'`` operands (in ``if:``); each step records which secrets it was given;
- ``run:`` steps run with GitHub's bash flags in a workspace, with ``GITHUB_OUTPUT``,
  ``GITHUB_STEP_SUMMARY``, ``GITHUB_EVENT_PATH`` and friends; a step that fails skips the rest;
- the install step runs as written, with a ``python`` whose ``-m pip install`` does nothing and an
  ``alertc`` on ``PATH`` that runs this checkout's alertc (the workflow's own arguments, ``--target``
  included); or, given ``python_env`` (a fresh virtual environment, what ``setup-python`` gives),
  for real: pip installs alertc from the repository's pinned source into it. ``gh`` is a stub
  answering the two queries apply makes;
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

import pytest
import yaml

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

_ALERTC_SHIM = """#!{python}
from compiler.cli import main
main()
"""

# setup-python's python, whose pip installs nothing: alertc is the shim beside it (see FakeGitHub.python_env).
_PYTHON_SHIM = """#!/bin/sh
if [ "$1 $2 $3" = "-m pip install" ]; then
  echo "fake pip: $*"
  exit 0
fi
exec {python} "$@"
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


def require_node() -> None:
    """The ``github-script`` steps run on node: skip (one line, naming why) where it is absent; CI must have it."""
    if shutil.which("node") is not None:
        return
    if os.environ.get("CI"):
        pytest.fail("node is not on PATH: CI must run the workflows' github-script steps")
    pytest.skip("needs node for the workflows' github-script steps (node is not on PATH)")


@dataclass
class StepResult:
    name: str
    outcome: str  # success | failure | skipped | emulated
    output: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    secrets: frozenset[str] = frozenset()  # the secrets the step was given (non-empty ones)
    job: str = ""


@dataclass
class RunResult:
    run_id: str
    steps: list[StepResult]
    summary: str
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> success | failure | skipped

    @property
    def ok(self) -> bool:
        return all(s.outcome != "failure" for s in self.steps)

    def step(self, name: str, job: str | None = None) -> StepResult:
        return next(s for s in self.steps if s.name == name and job in (None, s.job))

    def secrets(self) -> set[str]:
        """Every secret any step of the run was given."""
        return {name for s in self.steps for name in s.secrets}

    @property
    def log(self) -> str:
        return "\n".join(f"--- {s.name} [{s.outcome}]\n{s.output}" for s in self.steps)


@dataclass
class FakeGitHub:
    """One repository's Actions: the git repository, its secrets, and the artifacts and issues of earlier runs."""

    repository_path: Path
    home: Path
    secrets: dict[str, str]  # the repository's secrets
    environ: dict[str, str]  # what the runner machine's environment adds (the sandbox's URLs, a pinned clock)
    repository: str = "acme/monitoring"
    runs: int = 0
    gh_answers: dict[str, str] = field(default_factory=dict)
    environments: dict[str, dict[str, str]] = field(default_factory=dict)  # environment -> its secrets
    python_env: Path | None = None  # a fresh virtual environment: install steps then run pip for real

    def __post_init__(self) -> None:
        self.bin = self.home / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        tools = [("gh", _GH_STUB)]
        if self.python_env is None:
            tools += [("alertc", _ALERTC_SHIM.format(python=sys.executable))]
            tools += [("python", _PYTHON_SHIM.format(python=sys.executable))]
        for name, text in tools:
            (self.bin / name).write_text(text, encoding="utf-8")
            (self.bin / name).chmod(0o755)
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
        event_path = temp / "event.json"
        event_path.write_text(json.dumps(event), encoding="utf-8")
        summary_path = temp / "summary.md"
        summary_path.touch()
        github = {
            "token": "fake-token",
            "sha": sha,
            "ref": ref,
            "repository": self.repository,
            "event_name": event_name,
            "event": event,
        }
        head_repo = ((event.get("pull_request") or {}).get("head") or {}).get("repo") or {}
        fork = event_name == "pull_request" and head_repo.get("full_name", self.repository) != self.repository
        path = [str(self.python_env / "bin")] if self.python_env is not None else []
        base_env = {
            "PATH": os.pathsep.join([*path, str(self.bin), os.environ.get("PATH", "")]),
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
        results: list[StepResult] = []
        jobs: dict[str, str] = {}
        for job_id, job in spec["jobs"].items():
            secrets = {} if fork else {**self.secrets, **self.environments.get(job.get("environment", ""), {})}
            context = _Context(secrets=secrets, inputs=inputs or {}, github=github)
            for scope in (spec.get("env", {}), job.get("env", {})):
                for key, value in scope.items():
                    context.env[key] = context.render(str(value))
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            if any(jobs.get(n) != "success" for n in needs) or ("if" in job and not context.condition(job["if"])):
                jobs[job_id] = "skipped"
                results += [
                    StepResult(_step_name(step, i), "skipped", job=job_id) for i, step in enumerate(job["steps"])
                ]
                continue
            steps = self._job(job_id, job, context, base_env, workspace, temp)
            results += steps
            jobs[job_id] = "failure" if any(r.outcome == "failure" for r in steps) else "success"
        return RunResult(run_id, results, summary_path.read_text(encoding="utf-8"), jobs)

    def _job(
        self, job_id: str, job: dict[str, Any], context: _Context, base_env: dict[str, str], workspace: Path, temp: Path
    ) -> list[StepResult]:
        results: list[StepResult] = []
        failed = False
        for index, step in enumerate(job["steps"]):
            name = _step_name(step, index)
            condition = step.get("if")
            runs = condition == "always()" or (not failed and (not condition or context.condition(condition)))
            if not runs:
                results.append(StepResult(name, "skipped", job=job_id))
                continue
            context.used.clear()
            result = self._step(step, name, context, base_env, workspace, temp / f"output-{job_id}-{index}")
            result.secrets = frozenset(context.used)
            result.job = job_id
            results.append(result)
            if step.get("id"):
                context.steps[step["id"]] = result.outputs
            failed = failed or result.outcome == "failure"
        return results

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
            require_node()  # only a run that reaches a github-script step needs node
            script = out.with_suffix(".js")
            script.write_text(with_["script"], encoding="utf-8")
            command = ["node", str(self.home / "github-script.cjs"), str(script)]
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


def _step_name(step: dict[str, Any], index: int) -> str:
    return str(step.get("name") or step.get("uses") or f"step {index}")


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
    used: set[str] = field(default_factory=set)  # secrets read since the last clear (per step)

    def render(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        expression = _EXPR.sub(lambda m: m.group(1), text).strip()
        return any(all(self._atom(a.strip()) for a in part.split("&&")) for part in expression.split("||"))

    def _atom(self, atom: str) -> bool:
        for operator in (" != ", " == "):
            if operator in atom:
                left, right = (self._operand(p.strip()) for p in atom.split(operator, 1))
                return (left == right) == (operator == " == ")
        return bool(self._operand(atom))

    def _operand(self, text: str) -> str:
        if text.startswith("'") and text.endswith("'"):
            return text[1:-1]
        return self.value(text)

    def value(self, expression: str) -> str:
        if "||" in expression:
            return next((v for v in (self.value(p.strip()) for p in expression.split("||")) if v), "")
        head, _, rest = expression.partition(".")
        if head == "secrets":
            found = self.secrets.get(rest, "")
            if found:
                self.used.add(rest)
            return found
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
