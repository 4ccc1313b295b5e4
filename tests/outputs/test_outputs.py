"""Output behaviour: colour only where asked and possible, GitHub's comment limit, the marker, json."""

from __future__ import annotations

import io
import json
import sys
from typing import cast

import pytest

from compiler.cli import render
from compiler.outputs.changes import changed_parts, word_diff
from compiler.outputs.classes import JsonOutput, MarkdownOutput, TextOutput
from compiler.outputs.color import GREEN, RED, YELLOW, use_color
from compiler.plan import Plan
from tests.outputs.plans import review_drift, review_plan


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_not_with_no_color() -> None:
    assert use_color(Terminal(), environ={})
    assert not use_color(io.StringIO(), environ={})
    assert not use_color(Terminal(), environ={"NO_COLOR": "1"})
    assert not use_color(Terminal(), no_color=True, environ={})
    assert use_color(Terminal(), environ={"NO_COLOR": ""})  # the convention: set and non-empty


def test_coloured_signs_and_word_diff_markers() -> None:
    lines = TextOutput(color=True).plan(review_plan()).splitlines()
    assert lines[2].startswith(RED + "- datadog monitor old-probe")
    assert lines[3].startswith(YELLOW + "~ datadog monitor ssoe-success-rate")
    query_line = next(line for line in lines if "query:" in line)
    assert f"{RED}[-50-]" in query_line and f"{GREEN}{{+45+}}" in query_line
    assert "\x1b[" not in TextOutput().plan(review_plan())


def test_word_diff_marks_only_the_changed_run() -> None:
    assert word_diff("a * 100 < 50", "a * 100 < 45") == "a * 100 < [-50-]{+45+}"
    assert word_diff('say "hi" now', "say hi now") == 'say [-\\"-]hi[-\\"-] now'
    assert changed_parts("x > 1 and y > 2", "x > 1 and y > 3 or z") == ["[-2-]{+3 or z+}"]


def test_no_changes_markdown_keeps_the_marker_and_target() -> None:
    plan = Plan(created_at="2026-11-22T12:00:00+00:00", definitions_digest="d1", target={"name": "staging"})
    md = MarkdownOutput().plan(plan)
    assert md.splitlines()[:2] == [
        "<!-- alertc-plan:staging -->",
        "### alertc plan for `staging`: 0 to create, 0 to update, 0 to delete.",
    ]
    assert "No changes. Live state matches the definitions." in md
    assert "digest `d1`" in md


def test_json_output_is_the_saved_data() -> None:
    plan, drift = review_plan(), review_drift()
    assert json.loads(JsonOutput().plan(plan))["definitions_digest"] == "0123456789abcdef"
    assert [i["address"] for i in json.loads(JsonOutput().drift(drift))["items"]] == [
        "datadog:monitor/ssoe-success-rate",
        "datadog:monitor/auth-too-late",
    ]


def test_drift_markdown_over_githubs_limit_lists_every_object_and_points_at_the_artifact() -> None:
    report = review_drift()
    report.items[0].fields = report.items[0].fields * 400
    md = MarkdownOutput().drift(report)
    assert len(md) <= 65_536
    assert md.startswith("<!-- alertc-drift:production -->\n")
    assert "| `datadog:monitor/ssoe-success-rate` | changed | changed outside alertc |" in md
    assert "| `datadog:monitor/auth-too-late` | missing |" in md
    assert "the field changes of 1 objects are not shown" in md
    assert "artifact `alertc-drift-production` of this run, file `drift.json`" in md
    assert "```diff" not in md  # the one diff is too large: not cut, left out


def test_cli_colours_only_a_terminal_and_honours_no_color(monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert isinstance(out := render.output("text", no_color=False), TextOutput) and out.color
    assert not cast(TextOutput, render.output("text", no_color=True)).color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cast(TextOutput, render.output("text", no_color=False)).color
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not cast(TextOutput, render.output("text", no_color=False)).color
