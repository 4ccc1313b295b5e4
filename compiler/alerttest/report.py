"""``alertc test``'s output: text for people, JSON for machines, JUnit XML for CI test reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from xml.etree import ElementTree as ET

from compiler.alerttest.expect import Failure, offset
from compiler.alerttest.load import Case
from compiler.alerttest.scenario import Played
from compiler.alerttest.story import Line
from compiler.checks.findings import Finding

FORMATS = ("text", "json", "junit")


@dataclass
class CaseResult:
    case: Case
    played: Played | None
    failures: list[Failure]
    lines: list[Line] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)  # --live: the live objects and fields that make it fail

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def name(self) -> str:
        return self.case.test.name

    @property
    def location(self) -> str:
        return str(self.case.at("name"))


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # test files that could not be read or checked
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and all(r.passed for r in self.results)

    @property
    def counts(self) -> tuple[int, int]:
        passed = sum(1 for r in self.results if r.passed)
        return passed, len(self.results) - passed


def render_text(report: Report, *, verbose: bool = False) -> str:
    out: list[str] = []
    for result in report.results:
        out.append(f"{'PASS' if result.passed else 'FAIL'} {result.name}  ({result.location})")
        if result.played is not None and (verbose or not result.passed):
            out.append(f"  timeline (0m = {result.played.start.isoformat()}):")
            out += [f"  {line.render()}" for line in result.lines] or ["    nothing happened"]
        if result.failures:
            out.append("  failed:")
            out += [f"    {f.location}: {f.message}" for f in result.failures]
        if result.causes:
            out.append("  caused by the live state:")
            out += [f"    {cause}" for cause in result.causes]
    passed, failed = report.counts
    files = len(report.files)
    if report.findings and not report.results:
        problems = len(report.findings)
        out.append(f"no test was run: {problems} problem{'s' if problems != 1 else ''} in the alert-test files")
    else:
        out.append(
            f"{passed} passed, {failed} failed" + (f" ({files} file{'s' if files != 1 else ''})" if files else "")
        )
    return "\n".join(out) + "\n"


def _iso(result: CaseResult, seconds: int) -> str:
    assert result.played is not None
    return (result.played.start + timedelta(seconds=seconds)).isoformat()


def render_json(report: Report) -> str:
    passed, failed = report.counts
    data = {
        "passed": passed,
        "failed": failed,
        "files": report.files,
        "findings": [
            {
                "location": str(f.location) if f.location else f.where,
                "code": f.code,
                "message": f.message,
                "hint": f.hint,
            }
            for f in report.findings
        ],
        "tests": [
            {
                "name": r.name,
                "location": r.location,
                "passed": r.passed,
                "start": r.played.start.isoformat() if r.played is not None else None,
                "failures": [{"location": str(f.location), "message": f.message} for f in r.failures],
                "causes": r.causes,
                "timeline": [
                    {"at": offset(line.time), "time": _iso(r, line.time), "text": line.text} for line in r.lines
                ],
            }
            for r in report.results
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_junit(report: Report) -> str:
    _, failed = report.counts
    suites = ET.Element("testsuites", name="alertc test", tests=str(len(report.results)), failures=str(failed))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="alertc test",
        tests=str(len(report.results)),
        failures=str(failed),
        errors=str(len(report.findings)),
    )
    for finding in report.findings:
        case = ET.SubElement(
            suite, "testcase", name=f"test files: {finding.location or finding.where}", classname="alertc.test-files"
        )
        ET.SubElement(case, "error", message=finding.message).text = finding.render()
    for result in report.results:
        location = result.case.at("name")
        case = ET.SubElement(
            suite, "testcase", name=result.name, classname=location.file, file=location.file, line=str(location.line)
        )
        if result.failures:
            text = "\n".join([*(f"{f.location}: {f.message}" for f in result.failures), *result.causes])
            ET.SubElement(case, "failure", message=result.failures[0].message).text = text
        if result.lines:
            ET.SubElement(case, "system-out").text = "\n".join(line.render() for line in result.lines)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def render(report: Report, output_format: str, *, verbose: bool = False) -> str:
    if output_format == "json":
        return render_json(report)
    if output_format == "junit":
        return render_junit(report)
    return render_text(report, verbose=verbose)
