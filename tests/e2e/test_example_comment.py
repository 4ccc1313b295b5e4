"""The example's first plan (every object to create) as the pull-request comment: under GitHub's limit, every
changed object named, and the diffs that did not fit pointed at in the CI kit's artifact."""

from __future__ import annotations

import re

from compiler.outputs.markdown import GITHUB_COMMENT_LIMIT
from compiler.plan_file import load_plan
from tests.e2e.conftest import World


def test_the_examples_first_plan_comment_names_every_object_under_the_limit(world: World) -> None:
    result = world.plan("--format", "markdown")
    assert result.code == 0, result.err
    comment = result.out
    plan = load_plan(world.tmp / "p.json")
    creates = [c for c in plan.changes if c.action == "create"]
    assert len(creates) == len(plan.changes) >= 60  # the whole example is new
    assert len(comment) <= GITHUB_COMMENT_LIMIT
    listed = re.findall(r"^- `\+` `([^`]+)`", comment, flags=re.MULTILINE)
    assert sorted(listed) == sorted(c.key for c in plan.changes)
    shown = comment.count("<details>")
    assert shown > 0
    if shown < len(creates):
        assert f"the diffs of {len(creates) - shown} listed changes are not shown" in comment
        assert f"artifact `alertc-plan-{plan.target['name']}` of this run, file `plan.txt`" in comment
