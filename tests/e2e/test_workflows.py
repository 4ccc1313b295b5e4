"""The shipped GitHub Actions kit, run step by step against the sandbox with a fake GitHub around it.

Plan on a pull request (annotations, artifact, the one comment), apply after the merge (exactly the
reviewed plan; stale refused with the re-plan instruction), drift on a schedule (the one issue).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan import Plan
from tests.e2e.conftest import EXAMPLES, World
from tests.e2e.github_runner import WORKFLOWS, FakeGitHub

SSOE = "[SSOe] SSOe Success Rate per CSP"
HEAD_SHA = "a" * 40
MERGE_SHA = "b" * 40
PR_EVENT = {"number": 7, "pull_request": {"number": 7, "head": {"sha": HEAD_SHA}}}


@pytest.fixture()
def github(world: World) -> FakeGitHub:
    """A repository checkout holding the example definitions, its secrets naming the sandbox account."""
    assert world.plan().code == 0 and world.apply().code == 0  # production is in sync with main
    workspace = world.tmp / "repo"
    shutil.copytree(EXAMPLES, workspace / "definitions")
    shutil.copy2(EXAMPLES.parent / "alertc.yaml", workspace / "alertc.yaml")  # its targets, as `alertc init` writes
    creds = world.handle.credentials
    secrets = {
        "DD_API_KEY": creds["datadog_api_key"],
        "DD_APP_KEY": creds["datadog_app_key"],
        "PAGERDUTY_TOKEN": creds["pagerduty_token"],
        "PAGERDUTY_FROM": creds["pagerduty_from"],
    }
    machine = {k: os.environ[k] for k in ("ALERTC_DATADOG_URL", "ALERTC_PAGERDUTY_URL", "ALERTC_CA_FILE", "ALERTC_NOW")}
    return FakeGitHub(workspace, world.tmp / "runner", secrets, machine)


def _set_ssoe_threshold(definitions: Path, old: int, new: int) -> None:
    monitors = definitions / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    start = text.index("- name: ssoe-success-rate\n")
    end = text.index("- name: ", start + 1)
    block = text[start:end].replace(f"{{critical: {old}, recovery: 56}}", f"{{critical: {new}, recovery: 56}}")
    monitors.write_text(text[:start] + block + text[end:], encoding="utf-8")


def _critical(world: World) -> float:
    with world.datadog() as api:
        monitor = next(m for m in MonitorsApi(api).list_monitors() if m.name == SSOE)
        return float(monitor.options.thresholds.critical)


def _pull_request_plan(github: FakeGitHub) -> str:
    _set_ssoe_threshold(github.workspace / "definitions", 50, 45)
    run = github.run(
        "alertc-plan.yml", event_name="pull_request", event=PR_EVENT, sha=HEAD_SHA, ref="refs/pull/7/merge"
    )
    assert run.ok, run.log
    return run.run_id


def test_plan_on_a_pull_request_posts_the_markdown_plan_and_keeps_the_artifact(github: FakeGitHub) -> None:
    _set_ssoe_threshold(github.workspace / "definitions", 50, 45)
    run = github.run("alertc-plan.yml", event_name="pull_request", event=PR_EVENT, sha=HEAD_SHA)
    assert run.ok, run.log
    artifact = github.artifact(run.run_id, "alertc-plan-production")
    plan = Plan.load(artifact / "plan.json")
    assert [(c.action, c.key) for c in plan.changes] == [("update", "ssoe-success-rate")]
    comment = (artifact / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- alertc-plan:")  # the marker the comment step finds its comment by
    assert "-     options.thresholds.critical: 50" in comment
    assert "+     options.thresholds.critical: 45" in comment
    assert f"definitions digest `{plan.definitions_digest}`" in comment
    assert comment in run.summary
    poster = run.step("Post or update the plan comment")
    assert poster.outcome == "emulated"
    assert 'readFileSync("plan/comment.md"' in poster.output and "startsWith(marker)" in poster.output
    assert run.step("Fail on conflicts").outcome == "success"


def test_plan_fails_on_validation_errors_with_annotations(github: FakeGitHub) -> None:
    monitors = github.workspace / "definitions" / "monitors.yaml"
    monitors.write_text(
        monitors.read_text(encoding="utf-8").replace("service: ssoe\n", "service: no-such-service\n", 1),
        encoding="utf-8",
    )
    run = github.run("alertc-plan.yml", event_name="pull_request", event=PR_EVENT, sha=HEAD_SHA)
    assert not run.ok
    validate = run.step("Validate (findings as annotations on the diff)")
    assert validate.outcome == "failure"
    assert "::error file=" in validate.output and "monitors.yaml,line=" in validate.output
    assert run.step("Plan against the production target").outcome == "skipped"
    assert run.step("Post or update the plan comment").outcome == "skipped"


def test_plan_fails_on_a_conflict_after_posting_the_comment(world: World, github: FakeGitHub) -> None:
    title = "[SSOe] Auth_too_late Login Callback Error"
    with world.datadog() as api:  # the managed monitor is gone; someone made one by hand under its name
        monitors = MonitorsApi(api)
        monitors.delete_monitor(next(m for m in monitors.list_monitors() if m.name == title).id)
        monitors.create_monitor(
            body={"name": title, "type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "theirs"}
        )
    run = github.run("alertc-plan.yml", event_name="pull_request", event=PR_EVENT, sha=HEAD_SHA)
    assert run.step("Post or update the plan comment").outcome == "emulated"  # the reviewer sees why
    failed = run.step("Fail on conflicts")
    assert failed.outcome == "failure"
    assert "::error title=alertc conflict::datadog:monitor/auth-too-late: live object" in failed.output
    comment = (github.workspace / "plan" / "comment.md").read_text(encoding="utf-8")
    assert "conflict(s): the plan fails" in comment


def test_apply_after_the_merge_applies_exactly_the_reviewed_plan(world: World, github: FakeGitHub) -> None:
    plan_run = _pull_request_plan(github)
    github.gh_answers = {"head_sha": HEAD_SHA, "run_id": plan_run}
    run = github.run("alertc-apply.yml", event_name="push", event={"after": MERGE_SHA}, sha=MERGE_SHA)
    assert run.ok, run.log
    assert run.step("Find the plan reviewed for this commit").outputs == {"run_id": plan_run}
    calls = github.gh_log.read_text(encoding="utf-8")
    assert f"api repos/acme/monitoring/commits/{MERGE_SHA}/pulls" in calls
    assert f"--workflow alertc-plan.yml --commit {HEAD_SHA} --status success" in calls
    assert "Apply: 1 applied, 0 failed, 0 not applied." in run.summary
    assert _critical(world) == 45


def test_apply_refuses_a_plan_made_stale_by_a_hand_edit(world: World, github: FakeGitHub) -> None:
    plan_run = _pull_request_plan(github)
    with world.datadog() as api:  # a colleague changes the monitor by hand after the review
        monitors = MonitorsApi(api)
        monitor = next(m for m in monitors.list_monitors() if m.name == SSOE).to_dict()
        options = monitor["options"]
        options["thresholds"]["critical"] = 40.0
        monitors.update_monitor(
            monitor["id"], body={"query": monitor["query"].replace("< 50", "< 40"), "options": options}
        )
    github.gh_answers = {"head_sha": HEAD_SHA, "run_id": plan_run}
    run = github.run("alertc-apply.yml", event_name="push", event={"after": MERGE_SHA}, sha=MERGE_SHA)
    assert not run.ok
    applied = run.step("Apply exactly the reviewed plan")
    assert applied.outcome == "failure"
    assert "plan is stale; nothing was changed" in applied.output
    assert (
        "::error title=Plan is stale::" in applied.output
        and "Re-plan: run the 'alertc plan' workflow" in applied.output
    )
    assert "plan is stale" in run.summary  # the apply report in the job summary
    assert _critical(world) == 40  # nothing applied, and no re-plan-and-apply


def test_apply_refuses_when_the_merged_definitions_are_not_the_reviewed_ones(world: World, github: FakeGitHub) -> None:
    plan_run = _pull_request_plan(github)
    _set_ssoe_threshold(github.workspace / "definitions", 45, 44)  # main moved on before the merge
    github.gh_answers = {"head_sha": HEAD_SHA, "run_id": plan_run}
    run = github.run("alertc-apply.yml", event_name="push", event={"after": MERGE_SHA}, sha=MERGE_SHA)
    check = run.step("Check the reviewed plan is for the merged definitions")
    assert check.outcome == "failure"
    assert "are not the ones reviewed" in check.output and "Re-plan:" in check.output
    assert run.step("Apply exactly the reviewed plan").outcome == "skipped"
    assert _critical(world) == 50


def test_apply_without_a_reviewed_plan_fails(github: FakeGitHub) -> None:
    github.gh_answers = {"head_sha": "", "run_id": ""}
    run = github.run("alertc-apply.yml", event_name="push", event={"after": MERGE_SHA}, sha=MERGE_SHA)
    found = run.step("Find the plan reviewed for this commit")
    assert found.outcome == "failure"
    assert "was not merged from a pull request" in found.output


def test_drift_opens_then_closes_one_issue(world: World, github: FakeGitHub) -> None:
    clean = github.run("alertc-drift.yml", event_name="schedule", event={"schedule": "17 6 * * 1-5"})
    assert clean.ok, clean.log
    assert clean.step("Drift report").outputs == {"drift": "false"}
    assert clean.step("Open, update or close the drift issue").outcome == "emulated"  # closes an open one

    with world.datadog() as api:
        monitors = MonitorsApi(api)
        monitor = next(m for m in monitors.list_monitors() if m.name == SSOE).to_dict()
        options = monitor["options"]
        options["thresholds"]["critical"] = 40.0
        monitors.update_monitor(
            monitor["id"], body={"query": monitor["query"].replace("< 50", "< 40"), "options": options}
        )
    drifted = github.run("alertc-drift.yml", event_name="schedule", event={"schedule": "17 6 * * 1-5"})
    assert drifted.ok, drifted.log
    assert drifted.step("Drift report").outputs == {"drift": "true"}
    body = (github.workspace / "drift" / "issue.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- alertc-drift:")
    assert "| `datadog:monitor/ssoe-success-rate` | changed | changed outside alertc |" in body
    assert "-     options.thresholds.critical: 40" in body and "+     options.thresholds.critical: 50" in body
    assert json.loads((github.workspace / "drift" / "drift.json").read_text(encoding="utf-8"))["items"]
    script = drifted.step("Open, update or close the drift issue").output
    assert 'readFileSync("drift/issue.md"' in script and 'state: "closed"' in script


@pytest.mark.parametrize("workflow", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_workflows_pin_actions_and_ask_for_least_permissions(workflow: str) -> None:
    text = (WORKFLOWS / workflow).read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    assert spec["permissions"] == {"contents": "read"}
    for job in spec["jobs"].values():
        assert set(job["permissions"]) <= {"contents", "pull-requests", "issues", "actions"}
        assert all(level in ("read", "write") for level in job["permissions"].values())
        for step in job["steps"]:
            if "uses" in step:
                ref = step["uses"].split("@", 1)[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
    for name in ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN", "PAGERDUTY_FROM"):
        assert f"${{{{ secrets.{name} }}}}" in text
