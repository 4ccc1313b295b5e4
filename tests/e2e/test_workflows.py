"""The README's CI path, from ``alertc init`` to a drift issue, run step by step with a fake GitHub around it.

The repository is the one ``alertc init`` writes (its ``alertc.yaml`` and its three workflows, not the
source-tree templates), a git repository like the user's. "production" is a sandbox: the runner
machine's environment points the production target's URLs at it, the secrets are its keys. Plan on
a pull request (annotations, artifact, the one comment with marker, target and diff), apply after the
merge (exactly the reviewed plan; stale refused with the re-plan instruction), drift on a schedule
(one issue opened, updated and closed).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler import __version__
from compiler.plan_file import load_plan
from tests.e2e.conftest import World
from tests.e2e.github_runner import FakeGitHub, RunResult, require_node
from tests.test_install import _copy_build_context

API_ERRORS = "[API] API errors"  # the scaffold's sev1 monitor, the one the README's pull request changes
PLAN_STEP = "Plan against the production target (read-only credentials)"
DRIFT_STEP = "Drift report (read-only credentials)"
SCHEDULE = {"schedule": "17 6 * * 1-5"}
WORKFLOWS = ("alertc-apply.yml", "alertc-drift.yml", "alertc-plan.yml")
README = Path(__file__).resolve().parents[2] / "README.md"
# The sandbox stands in for production: where a plan names its URLs, the README shows production's.
_SANDBOX_AS_PRODUCTION = (
    re.compile(r"datadog: https://127\.0\.0\.1:\d+, mode: sandbox, pagerduty: https://127\.0\.0\.1:\d+"),
    "datadog: datadoghq.com, mode: live, pagerduty: https://api.pagerduty.com",
)


def _readme_ci_section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## CI: plan comments on pull requests") :]
    return section[: section.index("\n## ", 1)]


def _readme_block(first_line: str) -> list[str]:
    """The lines of the README CI section's code block that starts with ``first_line`` (fences and indent dropped)."""
    lines = _readme_ci_section().splitlines()
    blocks: list[list[str]] = []
    at = 0
    while at < len(lines):
        fence = lines[at].strip()
        if fence.startswith("```"):
            indent = len(lines[at]) - len(lines[at].lstrip())
            end = next(i for i in range(at + 1, len(lines)) if lines[i].strip() == fence)
            blocks.append([line[indent:] for line in lines[at + 1 : end]])
            at = end
        at += 1
    (block,) = [b for b in blocks if b and b[0] == first_line]
    return block


def _assert_readme_shows(expected: list[str], output: str) -> None:
    """Every line the README shows is a line of the output, in the same order; ``…`` stands for any text."""
    actual = _SANDBOX_AS_PRODUCTION[0].sub(_SANDBOX_AS_PRODUCTION[1], output).splitlines()
    at = 0
    for line in expected:
        pattern = re.compile(".*".join(re.escape(part) for part in line.split("…")))
        while at < len(actual) and not pattern.fullmatch(actual[at]):
            at += 1
        assert at < len(actual), f"the README shows {line!r}, which is not in:\n{output}"
        at += 1


def _assert_readme_quotes(text: str, output: str) -> None:
    """A message the README's CI section quotes is in it and in the output."""
    assert text in _readme_ci_section(), text
    assert text in output, output


class Repo:
    """The user's repository: ``alertc init``'s files in git (pull requests are branches merged into ``main``),
    and the Actions of its GitHub."""

    def __init__(self, world: World, path: Path) -> None:
        self.world = world
        self.path = path
        # The runner's machine points the production target at the sandbox; it sets no credentials itself.
        machine = {k: os.environ[k] for k in ("ALERTC_DATADOG_URL", "ALERTC_PAGERDUTY_URL", "ALERTC_CA_FILE")}
        machine["ALERTC_NOW"] = os.environ["ALERTC_NOW"]
        self.github = FakeGitHub(
            path, world.tmp / "runner", read_secrets(world), machine, environments={"production": write_secrets(world)}
        )
        self.pr = 1  # the pull request of the current branch (the first one is alertc init's)

    def git(self, *args: str) -> str:
        return _git(self.path, *args)

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        """A new branch from main, for the next pull request."""
        self.git("switch", "-q", "-c", name, "main")
        self.pr += 1

    def edit(self, old: str, new: str) -> None:
        service = self.path / "definitions" / "service.yaml"
        text = service.read_text(encoding="utf-8")
        assert old in text, old
        service.write_text(text.replace(old, new, 1), encoding="utf-8")

    def pull_request(self, *, from_fork: bool = False) -> tuple[str, RunResult]:
        """The plan workflow on the pull request of the current branch; its head commit and the run."""
        head = self.git("rev-parse", "HEAD")
        repository = "someone/monitoring" if from_fork else self.github.repository
        pull = {"number": self.pr, "head": {"sha": head, "repo": {"full_name": repository}}}
        event = {"number": self.pr, "pull_request": pull}
        run = self.github.run(
            "alertc-plan.yml", event_name="pull_request", event=event, sha=head, ref=f"refs/pull/{self.pr}/merge"
        )
        return head, run

    def merge(self, reviewed_head: str, plan_run: str) -> RunResult:
        """Merge the current branch into main; the push runs apply, whose ``gh`` finds the pull request's plan run."""
        branch = self.git("branch", "--show-current")
        self.git("switch", "-q", "main")
        self.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{self.pr}", branch)
        return self.push(reviewed_head, plan_run)

    def push(self, reviewed_head: str = "", plan_run: str = "") -> RunResult:
        self.github.gh_answers = {"head_sha": reviewed_head, "run_id": plan_run}
        sha = self.git("rev-parse", "HEAD")
        return self.github.run("alertc-apply.yml", event_name="push", event={"after": sha}, sha=sha)

    def drift(self) -> RunResult:
        return self.github.run("alertc-drift.yml", event_name="schedule", event=SCHEDULE)

    def comments(self) -> list[dict[str, Any]]:
        return list(self.github.issues().get(self.pr, {}).get("comments", []))

    def drift_issues(self) -> list[dict[str, Any]]:
        return [i for i in self.github.issues().values() if {"name": "alertc-drift"} in i["labels"]]


def read_secrets(world: World) -> dict[str, str]:
    """The repository's secrets, as docs/ci.md says to set them: the read-only keys plan and drift use."""
    creds = world.handle.credentials
    return {
        "DD_API_KEY": creds["datadog_api_key"],
        "DD_READ_APP_KEY": creds["datadog_read_app_key"],
        "PAGERDUTY_READ_TOKEN": creds["pagerduty_read_token"],
    }


def write_secrets(world: World) -> dict[str, str]:
    """The `production` environment's secrets: the write keys, for the apply job alone."""
    creds = world.handle.credentials
    return {
        "DD_APP_KEY": creds["datadog_app_key"],
        "PAGERDUTY_TOKEN": creds["pagerduty_token"],
        "PAGERDUTY_FROM": creds["pagerduty_from"],
    }


READ = {"DD_API_KEY", "DD_READ_APP_KEY", "PAGERDUTY_READ_TOKEN"}
WRITE = {"DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN", "PAGERDUTY_FROM"}
PINNED = "git+https://github.com/acme/alertc@0123456789abcdef0123456789abcdef01234567"


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com"}
    env.update(GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture()
def repo(world: World, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A new repository (one empty commit on main), and ``alertc init`` on a branch, as the README's step 1 does.

    No node needed here: a workflow run skips its test (naming why) when it reaches a github-script step
    without node, so the static checks and the runs that stop before such a step also run without it.
    """
    path = world.tmp / "monitoring"
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    _git(path, "commit", "-q", "--allow-empty", "-m", "Start")
    shown = _readme_block(
        "$ git switch -c alertc-init && alertc init --install-from git+https://github.com/<org>/alertc@<commit>"
    )
    _git(path, "switch", "-q", "-c", "alertc-init")
    monkeypatch.chdir(path)
    init = world.alertc("init", "--install-from", PINNED)
    assert init.code == 0, init.err
    _assert_readme_shows(shown[1:], init.out + init.err)
    return Repo(world, path)


@pytest.fixture()
def in_production(repo: Repo) -> Repo:
    """The scaffold merged and applied to production (the README's first pull request, applied directly)."""
    repo.commit("alertc init")
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "alertc-init")
    assert repo.world.alertc("plan", "--target", "production", "-o", "plans/first.json").code == 0
    assert repo.world.alertc("apply", "plans/first.json").code == 0
    (repo.path / "plans" / "first.json").unlink()
    return repo


def _live_monitor(world: World, name: str) -> dict[str, Any]:
    with world.datadog() as api:
        monitor: dict[str, Any] = next(m for m in MonitorsApi(api).list_monitors() if m.name == name).to_dict()
        return monitor


def _hand_edit_critical(world: World, old: int, new: int) -> None:
    """A colleague changes the API errors monitor's threshold in the Datadog UI."""
    monitor = _live_monitor(world, API_ERRORS)
    options = monitor["options"]
    options["thresholds"]["critical"] = float(new)
    with world.datadog() as api:
        MonitorsApi(api).update_monitor(
            monitor["id"], body={"query": monitor["query"].replace(f"> {old}", f"> {new}"), "options": options}
        )


def test_the_readme_ci_path_from_init_to_plan_comment_apply_and_drift_issue(repo: Repo) -> None:
    # 1. alertc init wrote the three workflows; the first pull request holds the scaffold.
    assert sorted(p.name for p in (repo.path / ".github" / "workflows").iterdir()) == list(WORKFLOWS)
    repo.commit("alertc init")
    head, first = repo.pull_request()
    assert first.ok, first.log
    assert first.secrets() == READ  # plan reads with the read-only keys; the write keys never reach it
    for job in ("validate", "plan"):  # each job installs the one pinned source (for real: make test-kit)
        install = first.step("Install alertc (the pinned source in .github/alertc-requirements.txt)", job=job)
        assert "fake pip: -m pip install --disable-pip-version-check --requirement .github/alertc-requirements.txt" in (
            install.output
        )
    _assert_readme_quotes("### alertc plan for `production`: 19 to create, 0 to update, 0 to delete.", first.summary)
    merged = repo.merge(head, first.run_id)
    assert merged.ok, merged.log
    assert merged.step("Check the reviewed plan is for the merged definitions").secrets == READ
    assert merged.step("Apply exactly the reviewed plan").secrets == WRITE  # the environment's keys, there only
    _assert_readme_quotes("Apply: 19 applied, 0 failed, 0 not applied.", merged.summary)

    # 2. A pull request changes a threshold: one comment with marker, target and a -/+ diff.
    repo.branch("raise-api-errors")
    repo.edit("thresholds: {critical: 10}", "thresholds: {critical: 20}")
    repo.commit("Raise the API errors threshold")
    head, run = repo.pull_request()
    assert run.ok, run.log
    plan = load_plan(repo.github.artifact(run.run_id, "alertc-plan-production") / "plan.json")
    assert plan.target.get("name") == "production"
    assert [(c.action, c.address) for c in plan.changes] == [("update", "datadog:monitor/api-errors")]
    (comment,) = repo.comments()
    body = comment["body"]
    assert body.startswith("<!-- alertc-plan:production -->\n### alertc plan for `production`: 0 to create, 1 to")
    assert f"definitions digest `{plan.definitions_digest}`" in body
    assert "-     options.thresholds.critical: 10\n+     options.thresholds.critical: 20\n" in body
    assert body in run.summary
    _assert_readme_shows(_readme_block("<!-- alertc-plan:production -->"), body)
    _, again = repo.pull_request()  # another push: still one comment
    assert again.ok and [c["id"] for c in repo.comments()] == [comment["id"]]

    # 3. The merge applies exactly the reviewed plan; the report is in the job summary.
    merged = repo.merge(head, again.run_id)
    assert merged.ok, merged.log
    assert "applied: update datadog:monitor/api-errors (id " in merged.summary
    assert "Apply: 1 applied, 0 failed, 0 not applied." in merged.summary
    _assert_readme_shows(_readme_block("### alertc apply on `production`"), merged.summary)
    assert _live_monitor(repo.world, API_ERRORS)["options"]["thresholds"]["critical"] == 20

    # 4. Drift: none, then a hand edit opens one issue (updated, not duplicated), then reverting closes it.
    clean = repo.drift()
    assert clean.secrets() == READ
    assert clean.ok and clean.step(DRIFT_STEP).outputs == {"drift": "false"} and repo.drift_issues() == []
    _hand_edit_critical(repo.world, 20, 40)
    for _ in range(2):
        drifted = repo.drift()
        assert drifted.ok, drifted.log
        assert drifted.step(DRIFT_STEP).outputs == {"drift": "true"}
    (issue,) = repo.drift_issues()
    assert issue["state"] == "open" and issue["title"] == "alertc drift on production"
    assert issue["body"].startswith("<!-- alertc-drift:production -->\n### alertc drift on `production`: 1 object")
    assert "| `datadog:monitor/api-errors` | changed | changed outside alertc |" in issue["body"]
    assert "-     options.thresholds.critical: 40\n+     options.thresholds.critical: 20\n" in issue["body"]
    _assert_readme_shows(_readme_block("<!-- alertc-drift:production -->"), issue["body"])
    _hand_edit_critical(repo.world, 40, 20)
    gone = repo.drift()
    assert gone.ok and gone.step(DRIFT_STEP).outputs == {"drift": "false"}
    (closed,) = repo.drift_issues()
    assert closed["state"] == "closed" and closed["state_reason"] == "completed"
    assert closed["comments"][-1]["body"] == "No drift any more: live state matches the definitions."
    _assert_readme_quotes(
        "`No drift any more: live state matches the definitions.`", f"`{closed['comments'][-1]['body']}`"
    )


def test_plan_fails_on_validation_errors_with_annotations(repo: Repo) -> None:
    repo.edit("title: API errors\n    service: api\n", "title: API errors\n    service: nope\n")
    repo.commit("A broken definition")
    _, run = repo.pull_request()
    assert not run.ok
    validate = run.step("Validate (findings as annotations on the diff)")
    assert validate.outcome == "failure"
    _assert_readme_quotes(
        "::error file=definitions/service.yaml,line=21,col=14,title=R303::unknown service 'nope'"
        "%0Ahint: defined services: api",
        validate.output,
    )
    assert run.step(PLAN_STEP).outcome == "skipped"
    assert repo.comments() == []


def test_a_pull_request_from_a_fork_is_validated_without_any_secret(repo: Repo) -> None:
    repo.commit("alertc init")
    _, run = repo.pull_request(from_fork=True)
    assert run.ok, run.log
    assert run.jobs == {"validate": "success", "plan": "skipped"}
    assert run.step("Validate (findings as annotations on the diff)").outcome == "success"
    assert run.secrets() == set()  # GitHub gives a fork's pull request none; the workflow asks for none there
    assert repo.comments() == []


def test_plan_with_a_read_secret_missing_fails_naming_it(repo: Repo) -> None:
    del repo.github.secrets["DD_READ_APP_KEY"]
    repo.commit("alertc init")
    _, run = repo.pull_request()
    step = run.step(PLAN_STEP)
    assert step.outcome == "failure"
    _assert_readme_quotes("secret DD_READ_APP_KEY is not set", step.output)
    assert repo.comments() == []


def test_a_workflow_that_names_no_pinned_source_stops_at_its_install_step(repo: Repo) -> None:
    requirements = repo.path / ".github" / "alertc-requirements.txt"
    text = requirements.read_text(encoding="utf-8")
    requirements.write_text("\n".join(line for line in text.splitlines() if line.startswith("#")) + "\n")
    repo.commit("alertc init, not pinned")
    _, run = repo.pull_request()
    install = run.step("Install alertc (the pinned source in .github/alertc-requirements.txt)", job="validate")
    assert install.outcome == "failure"
    assert "::error title=alertc is not pinned::.github/alertc-requirements.txt names no source" in install.output
    assert run.jobs["plan"] == "skipped"


def test_plan_fails_on_a_conflict_after_posting_the_comment(in_production: Repo) -> None:
    repo = in_production
    with repo.world.datadog() as api:  # the managed monitor is gone; someone made one by hand under its name
        monitors = MonitorsApi(api)
        monitors.delete_monitor(_live_monitor(repo.world, API_ERRORS)["id"])
        monitors.create_monitor(
            body={"name": API_ERRORS, "type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "theirs"}
        )
    repo.branch("any-change")
    _, run = repo.pull_request()
    assert run.step("Post or update the plan comment").outcome == "success"  # the reviewer sees why
    failed = run.step("Fail on conflicts")
    assert failed.outcome == "failure"
    assert "::error title=alertc conflict::datadog:monitor/api-errors: live object" in failed.output
    _assert_readme_quotes("**1 conflict(s): the plan fails**", repo.comments()[0]["body"])


def test_apply_refuses_a_plan_made_stale_by_a_hand_edit(in_production: Repo) -> None:
    repo = in_production
    repo.branch("raise-api-errors")
    repo.edit("thresholds: {critical: 10}", "thresholds: {critical: 20}")
    repo.commit("Raise the API errors threshold")
    head, reviewed = repo.pull_request()
    _hand_edit_critical(repo.world, 10, 40)  # after the review
    run = repo.merge(head, reviewed.run_id)
    assert not run.ok
    applied = run.step("Apply exactly the reviewed plan")
    assert applied.outcome == "failure"
    _assert_readme_quotes("plan is stale; nothing was changed:", applied.output)
    _assert_readme_quotes(
        "::error title=Plan is stale::live state changed since the plan was reviewed; nothing was applied. Re-plan: run"
        " the 'alertc plan' workflow on the default branch (Actions > alertc plan > Run workflow), review its plan in"
        " the job summary, then run 'alertc apply' (Run workflow) with that run's id.",
        applied.output,
    )
    assert "plan is stale" in run.summary  # the apply report in the job summary
    assert _live_monitor(repo.world, API_ERRORS)["options"]["thresholds"]["critical"] == 40  # nothing re-planned


def test_apply_refuses_when_the_merged_definitions_are_not_the_reviewed_ones(in_production: Repo) -> None:
    repo = in_production
    repo.branch("raise-api-errors")
    repo.edit("thresholds: {critical: 10}", "thresholds: {critical: 20}")
    repo.commit("Raise the API errors threshold")
    head, reviewed = repo.pull_request()
    repo.git("switch", "-q", "main")  # another pull request is merged first
    repo.edit("thresholds: {critical: 2, warning: 1}", "thresholds: {critical: 3, warning: 1}")
    repo.commit("Relax API latency")
    repo.git("switch", "-q", "raise-api-errors")
    run = repo.merge(head, reviewed.run_id)
    check = run.step("Check the reviewed plan is for the merged definitions")
    assert check.outcome == "failure"
    assert "are not the ones reviewed" in check.output and "Re-plan:" in check.output
    assert run.step("Apply exactly the reviewed plan").outcome == "skipped"
    assert _live_monitor(repo.world, API_ERRORS)["options"]["thresholds"]["critical"] == 10


def test_apply_without_a_reviewed_plan_fails(in_production: Repo) -> None:
    repo = in_production
    repo.edit("thresholds: {critical: 10}", "thresholds: {critical: 20}")
    repo.commit("Raise the API errors threshold, straight on main")
    run = repo.push()  # no pull request, so no reviewed plan
    found = run.step("Find the plan reviewed for this commit")
    assert found.outcome == "failure"
    assert "was not merged from a pull request. Re-plan: " in found.output  # as the README's step 1 says
    assert _live_monitor(repo.world, API_ERRORS)["options"]["thresholds"]["critical"] == 10


def test_the_written_workflows_pin_actions_and_ask_for_least_permissions(repo: Repo) -> None:
    secrets_of = {"alertc-plan.yml": READ, "alertc-drift.yml": READ, "alertc-apply.yml": READ | WRITE}
    for workflow in WORKFLOWS:
        text = (repo.path / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        spec = yaml.safe_load(text)
        assert spec["permissions"] == {"contents": "read"}, workflow
        assert set(re.findall(r"\$\{\{ secrets\.(\w+) \}\}", text)) == secrets_of[workflow], workflow
        for job in spec["jobs"].values():
            assert set(job["permissions"]) <= {"contents", "pull-requests", "issues", "actions"}
            assert all(level in ("read", "write") for level in job["permissions"].values())
            uses_write_keys = any("secrets.DD_APP_KEY" in str(step.get("env", {})) for step in job["steps"])
            assert uses_write_keys == (job.get("environment") == "production"), workflow  # write keys: apply alone
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@", 1)[1]
                    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
                if step.get("id") == "install":
                    assert "--requirement .github/alertc-requirements.txt" in step["run"]
    requirements = (repo.path / ".github" / "alertc-requirements.txt").read_text(encoding="utf-8")
    assert [line for line in requirements.splitlines() if not line.startswith("#")] == [f"alertc @ {PINNED}"]


@pytest.mark.kit
def test_the_plan_workflow_installs_alertc_from_the_pinned_commit_and_plans_with_read_keys(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The install step as written: pip installs alertc from the git commit ``alertc init`` pinned, nothing else.

    A real pip install of alertc and its dependencies (about a minute), so marked ``kit``: ``make test-kit``
    and the project's CI run it; the default suite checks the same step with a pip that installs nothing.

    The source is a git repository of this checkout's package (what a team's fork of alertc is), the
    runner's Python a fresh virtual environment (what setup-python gives), with no alertc in it.
    """
    require_node()
    source = world.tmp / "alertc-source"
    _copy_build_context(source)
    _git(source, "init", "-q", "-b", "main")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "alertc")
    commit = _git(source, "rev-parse", "HEAD")
    pinned = f"git+file://localhost{source}@{commit}"  # pip 23 (the venv's own) wants a host in a file URL
    path = world.tmp / "monitoring"
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    _git(path, "commit", "-q", "--allow-empty", "-m", "Start")
    _git(path, "switch", "-q", "-c", "alertc-init")
    monkeypatch.chdir(path)
    assert world.alertc("init", "--install-from", pinned).code == 0
    requirements = (path / ".github" / "alertc-requirements.txt").read_text(encoding="utf-8")
    assert f"alertc @ {pinned}" in requirements.splitlines()
    venv = world.tmp / "setup-python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    repo = Repo(world, path)
    repo.github = FakeGitHub(
        path,
        world.tmp / "runner-real",
        read_secrets(world),
        repo.github.environ,
        environments={"production": write_secrets(world)},
        python_env=venv,
    )
    repo.commit("alertc init")
    _, run = repo.pull_request()
    assert run.ok, run.log
    # The first job installs it (the fake runner's jobs share one Python; GitHub's each start afresh).
    install = run.step("Install alertc (the pinned source in .github/alertc-requirements.txt)", job="validate")
    assert install.outcome == "success"
    assert "Successfully installed" in install.output and f"alertc-{__version__}" in install.output
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import compiler, importlib.metadata as m; print(m.version('alertc'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert installed.stdout.strip() == __version__
    (dist_info,) = (venv / "lib").glob("python*/site-packages/alertc-*.dist-info")
    direct = json.loads((dist_info / "direct_url.json").read_text(encoding="utf-8"))
    assert direct["vcs_info"]["commit_id"] == commit  # exactly the pinned commit
    assert run.secrets() == READ  # and it planned with the read-only keys alone
    assert run.step(PLAN_STEP).outcome == "success"
    (comment,) = repo.comments()
    assert comment["body"].startswith("<!-- alertc-plan:production -->\n### alertc plan for `production`: 19 to create")
