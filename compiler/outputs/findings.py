"""Validation findings for machines: json, GitHub annotations, SARIF 2.1.0 for code scanning.

The text form stays ``Finding.render()`` (``file:line:col: message`` plus a
hint). ``github`` prints workflow commands, so each finding appears on the
pull request's diff at its line; ``sarif`` is what GitHub code scanning (and
other SARIF viewers) upload.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from compiler import __version__
from compiler.checks.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
GENERIC_RULE = "alertc"  # the rule id of a finding that has no code of its own


def rule_id(finding: Finding) -> str:
    return finding.code or GENERIC_RULE


def _message(finding: Finding) -> str:
    return f"{finding.message}\nhint: {finding.hint}" if finding.hint else finding.message


def finding_record(finding: Finding) -> dict[str, Any]:
    location = finding.location
    return {
        "file": location.file if location else None,
        "line": location.line if location else None,
        "col": location.column if location else None,
        "rule_id": rule_id(finding),
        "severity": finding.severity,
        "message": finding.message,
        "hint": finding.hint,
        "where": finding.where,
    }


def render_json(findings: Sequence[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    payload = {
        "valid": errors == 0,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [finding_record(f) for f in findings],
    }
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's workflow-command escaping for the message part."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's workflow-command escaping for ``key=value`` properties."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    lines = []
    for finding in findings:
        props = []
        if finding.location is not None:
            props += [
                f"file={_escape_property(finding.location.file)}",
                f"line={finding.location.line}",
                f"col={finding.location.column}",
            ]
        props.append(f"title={_escape_property(rule_id(finding))}")
        message = _message(finding) if finding.location else f"{finding.where or 'definitions'}: {_message(finding)}"
        lines.append(f"::{finding.severity} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def render_sarif(findings: Sequence[Finding]) -> str:
    rules = sorted({rule_id(f) for f in findings})
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": rule_id(finding),
            "level": finding.severity,
            "message": {"text": _message(finding)},
        }
        if finding.location is not None:
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": finding.location.file},
                        "region": {"startLine": finding.location.line, "startColumn": finding.location.column},
                    }
                }
            ]
        results.append(result)
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "alertc",
                        "version": __version__,
                        "rules": [{"id": rule, "name": rule} for rule in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, sort_keys=True) + "\n"


FINDING_FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def render_findings(findings: Sequence[Finding], output_format: str) -> str:
    """Findings in a machine format (``json``, ``github``, ``sarif``)."""
    return FINDING_FORMATS[output_format](findings)
