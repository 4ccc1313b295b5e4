"""The pull-request comment at 65, 1,000 and 10,000 changes: under GitHub's limit, every object named while it fits.

Changes are realistic in size: a create carries a whole monitor body (about 1,600 characters of
diff, like the example's), an update a few fields, a delete none. At every size the comment
keeps its marker and table, lists objects one line each, grouped by kind, shows whole diffs in
collapsed blocks while they fit, and names what is left out and exactly where it is.
"""

from __future__ import annotations

import re

import pytest

from compiler.outputs.markdown import GITHUB_COMMENT_LIMIT, MarkdownOutput, object_line
from compiler.plan import Change, FieldChange, Plan

ARTIFACT = "artifact `alertc-plan-production` of this run, file `plan.txt`"


def _monitor_body(i: int) -> dict[str, object]:
    return {
        "name": f"[API] Errors on endpoint {i}",
        "type": "query alert",
        "query": f"avg(last_5m):sum:api.errors{{env:prod,endpoint:e{i}}}.as_count() > 10",
        "message": "\n".join(
            [
                "{{#is_alert}}API errors are high: {{value}} errors in 5 minutes (critical above 10).",
                "Severity sev2 (P2). Declare an incident if users are affected for more than 15 minutes.",
                "@pagerduty-api{{/is_alert}}",
                "{{#is_warning}}API errors are rising: {{value}} in 5m (warning above 5). @slack-api{{/is_warning}}",
                "{{#is_recovery}}API errors are back to normal. @pagerduty-api @slack-api{{/is_recovery}}",
                "{{#is_no_data}}No API error data for 10m: check the metrics pipeline. @slack-api{{/is_no_data}}",
                "Runbook: https://runbooks.example.com/api/errors-on-endpoint-" + str(i),
                "Dashboard: https://app.datadoghq.com/dashboard/abc-def-ghi?tpl_var_endpoint=e" + str(i),
            ]
        ),
        "tags": ["managed-by:alertc", f"alertc-key:monitor/m{i}", "service:api", "team:platform", "env:prod"],
        "priority": 2,
        "options": {
            "thresholds": {"critical": 10, "warning": 5},
            "notify_no_data": False,
            "renotify_interval": 30,
            "escalation_message": "Still failing: see the runbook.",
            "include_tags": True,
            "new_group_delay": 60,
            "evaluation_delay": 0,
            "require_full_window": False,
        },
    }


def _change(i: int) -> Change:
    """Creates, updates and deletes over three kinds, in the plan's own order."""
    kind = ("monitor", "slo", "service_definition")[i % 3]
    key = f"m{i:05d}"
    address = f"datadog:{kind}/{key}"
    if i % 5 == 3:
        return Change("delete", address, "datadog", kind, key, live_id=str(100000 + i), name=f"Old {i}")
    if i % 5 == 4:
        fields = [
            FieldChange("options.thresholds.critical", 10, 20),
            FieldChange("query", f"avg(last_5m):sum:x{{e:{i}}} > 10", f"avg(last_5m):sum:x{{e:{i}}} > 20"),
        ]
        return Change("update", address, "datadog", kind, key, live_id=str(100000 + i), fields=fields)
    return Change("create", address, "datadog", kind, key, name=f"[API] Errors {i}", desired=_monitor_body(i))


def _plan(n: int) -> Plan:
    return Plan(
        created_at="2026-11-22T12:00:00+00:00",
        definitions_digest="0123456789abcdef",
        target={"name": "production", "datadog": "datadoghq.com", "pagerduty": "https://api.pagerduty.com"},
        changes=[_change(i) for i in range(n)],
    )


def _listed(comment: str) -> set[str]:
    return set(re.findall(r"^- `(?:\+|~|-|<=)` `([^`]+)`", comment, flags=re.MULTILINE))


def _well_formed(comment: str) -> None:
    """Every block is whole: fences and details open and close in pairs, no diff is cut."""
    assert comment.count("```") % 2 == 0
    assert comment.count("<details") == comment.count("</details>")


@pytest.mark.parametrize("changes", [65, 1_000, 10_000])
def test_the_comment_fits_and_says_where_the_rest_is(changes: int) -> None:
    plan = _plan(changes)
    comment = MarkdownOutput().plan(plan)
    assert len(comment) <= GITHUB_COMMENT_LIMIT
    _well_formed(comment)
    assert comment.startswith("<!-- alertc-plan:production -->\n### alertc plan for `production`: ")
    assert "| datadog monitor |" in comment and "| datadog slo |" in comment
    listed = _listed(comment)
    keys = [c.key for c in plan.changes]
    assert listed == set(keys[: len(listed)]) or listed <= set(keys)
    shown_diffs = comment.count("<details>")
    if changes < 10_000:
        assert listed == set(keys)  # every changed object named
        diffs = sum(1 for c in plan.changes if c.action != "delete")
        assert 0 < shown_diffs < diffs  # more than fit whole
        assert f"the diffs of {diffs - shown_diffs:,} listed changes are not shown" in comment
    else:
        assert len(listed) > 500  # as many lines as fit, grouped by kind
        assert f"{changes - len(listed):,} of {changes:,} changes are not listed" in comment
    assert f"Every change, in full: {ARTIFACT}" in comment


def test_objects_are_grouped_by_kind_with_their_fields() -> None:
    comment = MarkdownOutput().plan(_plan(15))
    headings = re.findall(r"^\*\*(.+)\*\* \((\d+)\)$", comment, flags=re.MULTILINE)
    assert headings == [("datadog monitor", "5"), ("datadog service definition", "5"), ("datadog slo", "5")]
    assert "- `~` `m00004` (id 100004): `options.thresholds.critical`, `query`" in comment
    assert "- `-` `m00003` (id 100003)" in comment
    assert "- `+` `m00000`: \\[API\\] Errors 0" in comment
    assert "Not all of this plan fits" not in comment  # 15 changes fit whole


def test_a_small_plan_shows_its_diffs_open_and_a_large_one_collapsed() -> None:
    small = MarkdownOutput().plan(_plan(4))
    assert small.count("<details open>") == 3 and "<details>" not in small  # the delete has no diff
    large = MarkdownOutput().plan(_plan(40))
    assert "<details open>" not in large and large.count("<details>") > 0


def test_a_diff_too_large_for_the_comment_is_left_out_whole_and_later_ones_still_shown() -> None:
    plan = _plan(6)
    huge = plan.changes[0]
    assert huge.desired is not None
    huge.desired["message"] = "x\n" * 40_000  # 80,000 characters: over the limit on its own
    comment = MarkdownOutput().plan(plan)
    assert len(comment) <= GITHUB_COMMENT_LIMIT
    _well_formed(comment)
    assert "x\nx\n" not in comment
    assert "<code>+ datadog slo m00001</code>" in comment  # the next change's diff is there
    assert "the diffs of 1 listed changes are not shown" in comment


def test_names_are_escaped_so_markdown_reads_them_as_text() -> None:
    change = Change("create", "datadog:monitor/x", "datadog", "monitor", "x", name="<b>[SSOe]</b> *errors* | `p1`")
    line = object_line(change)
    assert line == "- `+` `x`: \\<b\\>\\[SSOe\\]\\</b\\> \\*errors\\* \\| \\`p1\\`"
