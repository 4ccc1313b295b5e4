"""``alertc test``: every alert test under the definitions directory, played against the compiled alerting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path

from compiler.alerttest.causes import find_causes
from compiler.alerttest.compiled import compiled_world
from compiler.alerttest.expect import Checker, Failure
from compiler.alerttest.live import Entry, Worlds
from compiler.alerttest.load import Case, check_references, load_tests
from compiler.alerttest.report import CaseResult, Report
from compiler.alerttest.scenario import play
from compiler.alerttest.story import Line, story
from compiler.banners.config import BannerConfig, build_banner_config
from compiler.checks.alert_tests import NO_ALERT_TESTS, NO_TEST_SELECTED
from compiler.checks.findings import Finding
from compiler.compile.compiler import CompileResult
from compiler.definitions import Definitions
from compiler.definitions.source import display_path
from compiler.evaluate.run import Issue
from compiler.evaluate.world import World


def _banner_config(definitions: Definitions) -> BannerConfig | None:
    if definitions.banners is None or not definitions.dependencies:
        return None
    return build_banner_config(definitions)


def _relevant(issue: Issue, case: Case, world: World) -> bool:
    """An issue matters to a test when it names a monitor the test checks or feeds."""
    names = {name for e in case.test.expect for name in e.monitors}
    metrics = {s.metric.lower() for s in case.test.series}
    for key in names | set(world.monitors):
        if issue.subject != f"monitor '{key}'":
            continue
        query = str(world.monitors[key].body.get("query", "")).lower()
        return key in names or any(m in query for m in metrics)
    return True  # a downtime the evaluator cannot place may silence anything


def run_case(case: Case, definitions: Definitions, world: World, banners: BannerConfig | None) -> CaseResult:
    played = play(case, definitions, world, banners)
    failures = [
        Failure(case.at("name"), issue.describe()) for issue in played.timeline.issues if _relevant(issue, case, world)
    ]
    checker = Checker(played)
    failures += checker.check()
    lines = story(played)
    lines += [Line(v.expectation.window[1], v.describe()) for v in checker.verdicts]
    return CaseResult(case, played, failures, sorted(lines, key=lambda line: line.time))


def _chosen(root: Path, definitions: Definitions, world: World, select: Sequence[str]) -> tuple[Report, list[Case]]:
    """Load the tests under ``root`` (the definitions directory), check their names, pick the selected ones."""
    loaded = load_tests(root)
    report = Report(files=loaded.files)
    if loaded.findings:
        report.findings = loaded.findings
        return report, []
    if not loaded.cases:
        report.findings = [
            NO_ALERT_TESTS.finding(
                None,
                f"no alert tests under {display_path(root)} (files named *.alertc-test.yaml)",
                "see the README's 'alertc test'",
                where=display_path(root),
            )
        ]
        return report, []
    findings = [*loaded.duplicates, *check_references(loaded.cases, definitions, world)]
    if findings:
        report.findings = sorted(findings, key=Finding.sort_key)
        return report, []
    chosen = [c for c in loaded.cases if not select or any(fnmatchcase(c.test.name, p) for p in select)]
    if not chosen:
        report.findings = [
            NO_TEST_SELECTED.finding(
                None,
                f"no alert test matches {', '.join(select)}",
                "known: " + ", ".join(c.test.name for c in loaded.cases),
                where=display_path(root),
            )
        ]
    return report, chosen


def run_alert_tests(
    definitions: Definitions, compiled: CompileResult, root: Path, select: Sequence[str] = ()
) -> Report:
    """Play the selected tests under ``root`` against what the definitions compile to."""
    world = compiled_world(definitions, compiled)
    report, chosen = _chosen(root, definitions, world, select)
    banners = _banner_config(definitions)
    for case in chosen:
        report.results.append(run_case(case, definitions, world, banners))
    return report


LIVE_AND_DEFINITIONS_FAIL = "fails on the definitions too (see 'alertc test'): not a difference of the live state"


def run_alert_tests_live(
    definitions: Definitions,
    compiled: CompileResult,
    root: Path,
    worlds: Worlds,
    banner_ids: Mapping[str, str],
    select: Sequence[str] = (),
) -> Report:
    """Play the selected tests against the live objects (``worlds``); for each failure, the live fields causing it.

    Names are checked against the definitions, as ``alertc test`` checks them. ``banner_ids`` are the live ids of
    the banner keys' status services (a missing one keeps its placeholder: no banner rises from it).
    """
    reference = compiled_world(definitions, compiled)
    report, chosen = _chosen(root, definitions, reference, select)
    template = _banner_config(definitions)
    banners = None if template is None else template.model_copy(update={"services": dict(banner_ids)})
    live = worlds.world()
    for case in chosen:
        result = run_case(case, definitions, live, banners)
        if not result.passed:
            if not run_case(case, definitions, reference, template).passed:
                result.causes = [LIVE_AND_DEFINITIONS_FAIL]
            else:

                def play(entries: list[Entry], case: Case = case) -> list[Failure]:
                    return run_case(case, definitions, worlds.world(entries), banners).failures

                found = find_causes(worlds, result.failures, play)
                result.causes = [c.describe() for c in found] or [
                    "no single difference from the definitions explains it (several differ at once)"
                ]
        report.results.append(result)
    return report
