"""The read-only drift report: what differs between the definitions and live state, and why.

Drift runs on a schedule with the same pipeline as plan (``compiler.app``), in a
session whose clients refuse every non-GET request, so it cannot change anything
even by mistake; this module is a view over the plan that pipeline made. For each
difference it tells apart "someone changed it by hand" from "the definitions
changed and were not applied yet", using the digest of the applied definition
that apply stores on every object.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from compiler.errors import PlanError
from compiler.kinds import get_kind
from compiler.live import LiveState
from compiler.plan import Conflict, FieldChange, Plan, live_resolver
from compiler.providers.digest import DriftCause, classify_drift, digest
from compiler.providers.ownership import read_ownership
from compiler.resources import ResourceSet, resolve_references

DRIFT_FORMAT_VERSION = 1

_CAUSE_TEXT = {
    DriftCause.CHANGED_OUT_OF_BAND: "changed outside alertc",
    DriftCause.PENDING_APPLY: "definitions changed, not yet applied",
    DriftCause.BOTH: "changed outside alertc and in the definitions",
    DriftCause.UNKNOWN: "differs (no applied digest to tell why)",
}


@dataclass
class DriftItem:
    address: str
    status: str  # changed | missing | not_in_definitions | duplicate
    cause: str
    live_id: str | None = None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class DriftReport:
    created_at: str
    target: dict[str, str]
    items: list[DriftItem] = field(default_factory=list)
    unmanaged: list[dict[str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # definitions colliding with objects not ours
    version: int = DRIFT_FORMAT_VERSION

    @property
    def has_drift(self) -> bool:
        return bool(self.items or self.conflicts)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, default=str) + "\n"


def make_drift_report(plan: Plan, desired: ResourceSet, live: LiveState, *, now: datetime) -> DriftReport:
    """The drift view of a plan made (without monitor validation) from ``desired`` against ``live``."""
    managed = live.managed()
    lookup = live_resolver(managed, live.lookups())

    report = DriftReport(
        created_at=now.isoformat(), target=plan.target, unmanaged=plan.unmanaged, conflicts=plan.conflicts
    )
    for change in plan.changes:
        if change.action == "adopt":
            report.items.append(
                DriftItem(change.address, "not_adopted", "adopt in the definitions, not yet applied", change.live_id)
            )
        elif change.action == "create":
            report.items.append(DriftItem(change.address, "missing", "deleted outside alertc, or not yet applied"))
        elif change.action == "delete" and change.duplicate_of is not None:
            report.items.append(
                DriftItem(
                    change.address,
                    "duplicate",
                    f"a second object with the same ownership key (alertc keeps id {change.duplicate_of})",
                    change.live_id,
                )
            )
        elif change.action == "delete":
            report.items.append(
                DriftItem(
                    change.address,
                    "not_in_definitions",
                    "removed from the definitions, not yet applied",
                    change.live_id,
                )
            )
        else:
            obj = managed[change.address]
            spec = get_kind(change.provider, change.kind)
            resource = desired.get(change.address)
            if resource is None:  # an update is only ever planned for a desired resource
                raise PlanError(f"{change.address}: updated but not among the definitions")
            body: dict[str, Any] = resolve_references(resource.body, lookup)
            cause = classify_drift(
                stored=read_ownership(spec, obj.body).digest,
                desired_digest=digest(spec.canonical_desired(body)),
                live_digest=digest(spec.canonical_live(obj.body)),
                in_sync=False,
            )
            report.items.append(
                DriftItem(change.address, "changed", _CAUSE_TEXT.get(cause, str(cause)), change.live_id, change.fields)
            )
    return report
