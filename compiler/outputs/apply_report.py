"""The apply report, for people (text, the default) and for machines (``apply --format json``).

Both name the target, every change applied with the id of the object it
created or touched (so a reviewer, a runbook or a CI job summary can link to the
new monitor at once), what was already applied, and what failed or was not
applied with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from compiler.apply import ApplyReport
from compiler.plan import Plan

REPORT_VERSION = 1


@dataclass(frozen=True)
class AppliedChange:
    action: str
    address: str
    id: str | None


def applied_changes(report: ApplyReport, plan: Plan) -> list[AppliedChange]:
    """Each applied change with its id: the created one, else the live id the plan names."""
    known = {change.address: change.live_id for change in plan.changes}
    out: list[AppliedChange] = []
    for entry in report.applied:
        action, _, address = entry.partition(" ")
        out.append(AppliedChange(action, address, report.created_ids.get(address, known.get(address))))
    return out


def report_json(
    report: ApplyReport, plan: Plan, target: dict[str, str], banner_config: str | None, *, interrupted: bool = False
) -> str:
    """The report as one JSON document (``version`` 1); ``created`` maps each created address to its id."""
    applied = applied_changes(report, plan)
    payload: dict[str, Any] = {
        "version": REPORT_VERSION,
        "target": dict(target),
        "ok": report.ok,
        "interrupted": interrupted,
        "applied": [{"action": c.action, "address": c.address, "id": c.id} for c in applied],
        "created": dict(sorted(report.created_ids.items())),
        "already_applied": list(report.already_applied),
        "already_gone": list(report.already_gone),
        "found_after_lost_response": list(report.adopted_after_lost_response),
        "yielded_to_older": [{"address": a, "kept": kept, "deleted": gone} for a, kept, gone in report.yielded],
        "failed": [{"address": address, "reason": reason} for address, reason in report.failed],
        "not_applied": [{"address": address, "reason": reason} for address, reason in report.skipped],
        "summary": {
            "applied": len(report.applied),
            "already_applied": len(report.already_applied),
            "failed": len(report.failed),
            "not_applied": len(report.skipped),
        },
        "banner_config": banner_config,
    }
    return json.dumps(payload, indent=2) + "\n"


def report_text(report: ApplyReport, plan: Plan, target_name: str, *, interrupted: bool = False) -> tuple[str, str]:
    """(standard output, standard error): what was applied, and what failed or was not applied."""
    out = [f"alertc apply to target '{target_name}'"]
    for change in applied_changes(report, plan):
        out.append(f"applied: {change.action} {change.address}" + (f" (id {change.id})" if change.id else ""))
    out += [f"already applied: {address}" for address in report.already_applied]
    out += [f"already gone: {address}" for address in report.already_gone]
    out += [f"found after a lost response (not duplicated): {a}" for a in report.adopted_after_lost_response]
    out += [
        f"created by another apply too: {a}: kept the older id {kept}, deleted this apply's id {gone}"
        for a, kept, gone in report.yielded
    ]
    err = [f"FAILED: {address}: {reason}" for address, reason in report.failed]
    err += [f"not applied: {address}: {reason}" for address, reason in report.skipped]
    summary = f"Apply: {len(report.applied)} applied, {len(report.failed)} failed, {len(report.skipped)} not applied."
    (out if report.ok else err).append(("Apply interrupted. " if interrupted else "") + summary)
    return "".join(line + "\n" for line in out), "".join(line + "\n" for line in err)
