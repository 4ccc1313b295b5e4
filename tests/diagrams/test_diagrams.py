"""The process document's pictures: what each says, that it does not depend on the date, and that Mermaid parses it.

The parse is Mermaid's own (``tools/mermaid``: the npm ``mermaid`` package under node, pinned by its lock file).
Those tests carry the ``mermaid`` marker and run in ``make diagrams``, not in ``make test``: the first run installs
170 MB of npm packages (about 30 s), over the suite's time budget. They need node and npm, and fail saying so.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine

from compiler.definitions import Definitions, load_definitions
from compiler.definitions import models as m
from compiler.diagrams.oncall import layer_shifts, on_call, schedule_gantt
from compiler.docs import render_process_doc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [ROOT / "definitions", ROOT / "examples" / "va-mobile", ROOT / "examples" / "officeluv"]
MERMAID = ROOT / "tools" / "mermaid" / "mermaid.sh"
NY = dt.timezone(dt.timedelta(hours=-5))


def _load(path: Path) -> Definitions:
    definitions = load_definitions(path).definitions
    assert definitions is not None
    return definitions


def _blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.S)


def test_the_example_document_has_the_three_kinds_of_diagram() -> None:
    text = render_process_doc(_load(ROOT / "definitions"))
    blocks = _blocks(text)
    flows = [b for b in blocks if "PagerDuty: OCTO Identity - SSOe" in b]
    assert len(flows) == 1
    flow = flows[0]
    assert '"Slack #35;va-identity-alerts"' in flow  # the team's alert channel
    assert '"level 1: on call: OCTO Identity - Primary"' in flow
    assert 'n_ssoe_l1 -- "not acknowledged in 30m" --> n_ssoe_l2' in flow
    assert '"level 2: identity-lead@example.com"' in flow
    assert 'n_ssoe_l2 -- "not acknowledged in 30m: again, 2 more time(s)" --> n_ssoe_l1' in flow
    gantts = [b for b in blocks if b.startswith("gantt")]
    assert len(gantts) == 1
    assert "title OCTO Identity - Primary (America/New_York)" in gantts[0]
    assert "identity-engineer-1@example.com :2026-01-05 09:00, 2026-01-12 09:00" in gantts[0]
    assert "identity-engineer-2@example.com :2026-01-12 09:00, 2026-01-19 09:00" in gantts[0]
    maps = [b for b in blocks if "n_method_ssoe" in b]
    assert len(maps) == 1
    assert 'n_method_ssoe -- "needs" --> n_dep_ssoe' in maps[0]
    assert 'n_dep_ssoe -- "status service" --> n_status_ssoe' in maps[0]
    assert 'n_method_sis -- "needs" --> n_dep_ssoe' not in maps[0]  # SiS users do not depend on SSOe
    assert "Two weeks from 2026-01-05 09:00 America/New_York: the latest layer start in the definitions" in text


def test_a_service_nobody_is_paged_for_says_so() -> None:
    text = render_process_doc(_load(ROOT / "definitions"))
    staging = next(b for b in _blocks(text) if "Sign-in Service (staging)" in b)
    assert "nobody is paged (no PagerDuty service)" in staging
    assert "PagerDuty:" not in staging


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_document_does_not_depend_on_the_date(path: Path) -> None:
    definitions = _load(path)
    with time_machine.travel(dt.datetime(2031, 7, 1, tzinfo=dt.UTC), tick=False):
        later = render_process_doc(definitions)
    with time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False):
        earlier = render_process_doc(definitions)
    assert later == earlier


def _layer(name: str, start: dt.datetime, members: list[str], **extra: object) -> m.Layer:
    return m.Layer.model_validate({"name": name, "start": start, "rotation": "1d", "members": members, **extra})


def test_turns_restrictions_and_the_later_layer_winning() -> None:
    """A daily rotation, and a weekday-daytime layer above it: the daytime person wins 09:00-17:00 on weekdays."""
    start = dt.datetime(2026, 3, 6, 9, 0, tzinfo=NY)  # Friday 09:00 EST; daylight saving starts Sunday 8 March
    night = _layer("Around the clock", start, ["ann@example.com", "bob@example.com"])
    day = _layer(
        "Weekday days",
        start,
        ["dee@example.com"],
        restrictions=[{"type": "daily", "start_time": "09:00", "duration": "8h"}],
    )
    window = (start, start + dt.timedelta(days=4))
    zone = "America/New_York"
    nights = layer_shifts(night, zone, window)
    assert [(s.start.isoformat(), s.person) for s in nights[:4]] == [
        ("2026-03-06T09:00:00-05:00", "ann@example.com"),
        ("2026-03-07T09:00:00-05:00", "bob@example.com"),
        ("2026-03-08T09:00:00-04:00", "ann@example.com"),  # hand-off stays at 09:00 local across the change
        ("2026-03-09T09:00:00-04:00", "bob@example.com"),
    ]
    days = layer_shifts(day, zone, window)
    assert all(s.end - s.start == dt.timedelta(hours=8) for s in days[:3])  # the last is cut by the window
    final = on_call([nights, days])
    assert [(s.start.isoformat(), s.end.isoformat(), s.person) for s in final[:3]] == [
        ("2026-03-06T09:00:00-05:00", "2026-03-06T17:00:00-05:00", "dee@example.com"),
        ("2026-03-06T17:00:00-05:00", "2026-03-07T09:00:00-05:00", "ann@example.com"),
        ("2026-03-07T09:00:00-05:00", "2026-03-07T17:00:00-05:00", "dee@example.com"),
    ]


def test_a_schedule_with_a_gap_says_so_and_shows_the_final_schedule() -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=NY)
    schedule = m.Schedule.model_validate(
        {
            "name": "business-hours",
            "team": "t",
            "time_zone": "America/New_York",
            "layers": [
                _layer(
                    "Days",
                    start,
                    ["ann@example.com"],
                    restrictions=[{"type": "daily", "start_time": "09:00", "duration": "8h"}],
                ).model_dump(),
                _layer("Backup", start, ["bob@example.com"], end=start + dt.timedelta(days=1)).model_dump(),
            ],
        }
    )
    lines = schedule_gantt(schedule)
    assert "gap(s) with nobody on call" in lines[0]
    assert "  section On call" in lines


def parse_mermaid(*files: Path) -> subprocess.CompletedProcess[str]:
    """Mermaid's parser over markdown files (every ``mermaid`` block) or ``.mmd`` files; fails without node."""
    assert shutil.which("node") and shutil.which("npm"), "node and npm are needed to parse diagrams (tools/mermaid)"
    return subprocess.run([str(MERMAID), *map(str, files)], capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.mermaid
def test_every_diagram_parses_with_mermaid(tmp_path: Path) -> None:
    """Mermaid's own parser reads every diagram of the three process documents (and their gantt dates)."""
    files = []
    for path in EXAMPLES:
        out = tmp_path / f"{path.name}.md"
        out.write_text(render_process_doc(_load(path)), encoding="utf-8")
        files.append(out)
    done = parse_mermaid(*files)
    assert done.returncode == 0, done.stdout + done.stderr
    parsed = done.stdout.splitlines()
    assert sum(" ok" in line for line in parsed) == sum(len(_blocks(f.read_text())) for f in files)
    assert any("gantt ok" in line for line in parsed)


@pytest.mark.mermaid
def test_the_parser_rejects_a_broken_diagram(tmp_path: Path) -> None:
    """The check is a parser, not a formality: a broken flowchart and a gantt task whose dates do not read fail."""
    broken = tmp_path / "broken.md"
    broken.write_text(
        '```mermaid\nflowchart LR\n  a["alert" --> b\n```\n\n'
        "```mermaid\ngantt\n  dateFormat YYYY-MM-DD HH:mm\n  section x\n    ann :2026-01-05 09:00, soon\n```\n",
        encoding="utf-8",
    )
    done = parse_mermaid(broken)
    assert done.returncode == 1
    assert done.stdout.count("error:") == 2, done.stdout
