"""Plan → API calls: stale-plan refusal, safety thresholds, dependency order, idempotent creates.

A reviewed plan is applied only to the world it was computed against: every
object it updates or deletes must still have the fingerprint the plan saw,
and nothing may have appeared under a key it creates. Otherwise nothing is
changed. Creates whose response is lost (a dropped connection after the server
acted) are found again by their ownership key before any retry, so a flaky
network never duplicates a monitor.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from compiler.errors import PlanError, TargetError
from compiler.events import ChangeApplied, phase
from compiler.kinds import ResourceKind, apply_order, delete_order, get_kind
from compiler.live import LiveState, Session, read_live
from compiler.plan import Change, Plan, field_changes, fingerprint, live_resolver
from compiler.providers.digest import digest
from compiler.providers.ownership import add_ownership, scope_label
from compiler.providers.pacing import paced_map
from compiler.providers.retry import classify
from compiler.resources import LiveObject, ResourceSet, references_in, resolve_references

CREATE_RETRIES_AFTER_LOST_RESPONSE = 2


@dataclass
class ApplyReport:
    applied: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    adopted_after_lost_response: list[str] = field(default_factory=list)
    already_applied: list[str] = field(default_factory=list)
    created_ids: dict[str, str] = field(default_factory=dict)  # address → id of each object created

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped

    def sort(self) -> None:
        """Stable output whatever order concurrent workers finished in."""
        self.applied.sort()
        self.failed.sort()
        self.skipped.sort()
        self.adopted_after_lost_response.sort()
        self.already_applied.sort()


def check_target(plan: Plan, session: Session) -> None:
    current = session.target.describe()
    if plan.target != current:
        raise PlanError(
            f"this plan was made for {plan.target}, not for the current target {current}\n"
            "  hint: make a new plan against this target"
        )


def _matches_desired(change: Change, current: LiveObject, live: LiveState, now: datetime) -> bool:
    """Whether the live object already is what the change would make it (a re-run after a partial apply)."""
    if change.desired is None:
        return False
    body = resolve_references(change.desired, live_resolver(live.managed(), live.lookups()))
    if references_in(body):
        return False
    spec = get_kind(current.provider, current.kind)
    desired_form, live_form = spec.comparable(body, current.body, now=now)
    return not field_changes(live_form, desired_form)


def _check_adopt(plan: Plan, change: Change, live: LiveState) -> str | None:
    """Why adopting ``change``'s object is stale or refused now, or None when it may go ahead.

    The adopted object must still be unowned (another scope may have taken it
    since the review: adopting it is refused) and unchanged since the plan.
    """
    target = next(
        (
            o
            for o in live.objects
            if (o.provider, o.kind, o.live_id) == (change.provider, change.kind, change.live_id) and o.address is None
        ),
        None,
    )
    if target is None:
        return f"{change.address}: the object to adopt (id {change.live_id}) no longer exists"
    if target.foreign_key is not None:
        whose = scope_label(target.owner)
        return f"{change.address}: the object to adopt (id {change.live_id}) is now owned by {whose}"
    seen = plan.adopt_fingerprints.get(change.address)
    now_fp = fingerprint(get_kind(target.provider, target.kind).canonical_live(target.body))
    if seen != now_fp:
        return f"{change.address} changed since the plan (fingerprint {seen} -> {now_fp})"
    return None


def check_stale(plan: Plan, live: LiveState, *, now: datetime) -> set[str]:
    """Refuse, naming them, if any object the plan touches changed since the plan was made.

    Objects already in the state the plan would leave them in (because a
    previous run of this plan got that far) are not stale: they are returned,
    to be skipped, so re-running a partly applied plan converges.
    """
    managed = live.managed()
    stale: list[str] = []
    done: set[str] = set()
    for change in plan.changes:
        current = managed.get(change.address)
        if change.action == "adopt":
            adopted = current is not None and current.live_id == change.live_id
            if adopted and current is not None and _matches_desired(change, current, live, now):
                done.add(change.address)
                continue
            problem = _check_adopt(plan, change, live)
            if problem is not None:
                stale.append(problem)
            continue
        if change.action == "delete":
            if current is None:
                done.add(change.address)
                continue
        elif change.action == "create":
            if current is None:
                continue
            if _matches_desired(change, current, live, now):
                done.add(change.address)
            else:
                stale.append(f"{change.address} now exists (id {current.live_id})")
            continue
        if current is None:
            stale.append(f"{change.address} no longer exists")
            continue
        seen = plan.fingerprints.get(change.address)
        now_fp = fingerprint(get_kind(current.provider, current.kind).canonical_live(current.body))
        if seen == now_fp:
            continue
        if change.action == "update" and _matches_desired(change, current, live, now):
            done.add(change.address)
            continue
        stale.append(f"{change.address} changed since the plan (fingerprint {seen} -> {now_fp})")
    if stale:
        raise PlanError(
            "plan is stale; nothing was changed:\n  "
            + "\n  ".join(stale)
            + "\n  hint: run 'alertc plan' again and review the new plan"
        )
    return done


def check_safety(plan: Plan, live: LiveState, *, allow_deletes: bool) -> None:
    """Apply's re-check of the plan's safety against what exists now, plus the failed-read guard."""
    managed_count = len(live.managed())
    if plan.fingerprints and managed_count == 0:
        raise PlanError(
            f"the live read returned no managed objects, but the plan was made against {len(plan.fingerprints)}; "
            "refusing to act on what may be a failed read\n  hint: check the credentials and site, then plan again"
        )
    plan.raise_if_unsafe(allow_deletes=allow_deletes, managed_count=managed_count)


class _Applier:
    def __init__(self, session: Session, live: LiveState, owner: str | None = None) -> None:
        self.session = session
        self.owner = owner
        self.objects: dict[str, LiveObject] = dict(live.managed())
        self.lookups = live.lookups()
        self.report = ApplyReport()
        self.failed_addresses: set[str] = set()
        self.lock = threading.Lock()  # workers of one kind share the maps and the report

    def lookup(self, address: str, field_name: str | None) -> str | None:
        value = live_resolver(self.objects, self.lookups)(address, field_name)
        obj = self.objects.get(address)
        if value is None and obj is not None and field_name is not None:
            # list responses may omit a field the object's own GET has (a PagerDuty integration key, §2.2)
            value = get_kind(obj.provider, obj.kind).read_field(self.session, obj, field_name)
        return value

    def body_for(self, change: Change, spec: ResourceKind) -> dict[str, Any] | None:
        if change.desired is None:
            raise PlanError(
                f"{change.address}: the plan's {change.action} carries no desired body\n  hint: make a fresh plan"
            )
        body = resolve_references(change.desired, self.lookup)
        missing = references_in(body)
        if missing:
            names = ", ".join(sorted(address for address, _ in missing))
            self.report.skipped.append((change.address, f"needs {names}, which does not exist"))
            return None
        marked: dict[str, Any] = add_ownership(
            spec, body, f"{change.kind}/{change.key}", digest(spec.canonical_desired(body)), self.owner
        )
        return marked

    def run(self, change: Change) -> None:
        spec = get_kind(change.provider, change.kind)
        blocked = [d for d in change.depends_on if d in self.failed_addresses]
        if blocked:
            self.report.skipped.append((change.address, f"depends on {', '.join(blocked)}, which failed"))
            self.failed_addresses.add(change.address)
            self.session.observer(ChangeApplied(change.action, change.address, change.live_id, "not applied"))
            return
        try:
            if change.action == "delete":
                self._delete(change, spec)
            else:
                body = self.body_for(change, spec)
                if body is None:
                    self.failed_addresses.add(change.address)
                    return
                if change.action == "create":
                    self._create(change, spec, body)
                else:
                    live_id = _live_id(change)
                    updated = spec.update(self.session, live_id, body)
                    self._remember(change, spec, live_id, updated or body)
            self.report.applied.append(f"{change.action} {change.address}")
            touched = self.report.created_ids.get(change.address, change.live_id)
            self.session.observer(ChangeApplied(change.action, change.address, touched))
        except TargetError as exc:
            reason = self.session.target.redact(str(exc))
            self.report.failed.append((change.address, reason))
            self.failed_addresses.add(change.address)
            self.session.observer(ChangeApplied(change.action, change.address, change.live_id, reason.splitlines()[0]))

    def _remember(self, change: Change, spec: ResourceKind, live_id: str, body: dict[str, Any]) -> None:
        self.objects[change.address] = LiveObject(
            spec.provider, spec.kind, live_id, change.name or "", body, change.key
        )

    def _create(self, change: Change, spec: ResourceKind, body: dict[str, Any]) -> None:
        """Create once; after a failure that may have reached the server, look before creating again."""
        attempts = 0
        while True:
            attempts += 1
            try:
                live_id, created = spec.create(self.session, body)
            except TargetError as exc:
                root = exc.__cause__ if exc.__cause__ is not None else exc
                if classify(root).category not in ("server", "timeout", "connection"):
                    raise
                found = self._find_after_lost_response(change)
                if found is not None:
                    self.report.adopted_after_lost_response.append(change.address)
                    self.report.created_ids[change.address] = found.live_id
                    self._remember(change, spec, found.live_id, found.body)
                    return
                if attempts > CREATE_RETRIES_AFTER_LOST_RESPONSE:
                    raise TargetError(f"create {change.address}: {type(root).__name__}: {root}") from exc
                continue
            self.report.created_ids[change.address] = live_id
            self._remember(change, spec, live_id, created)
            return

    def _find_after_lost_response(self, change: Change) -> LiveObject | None:
        """Re-read (in bulk) and look for the object by its ownership key."""
        fresh = read_live(self.session, ResourceSet(), owner=self.owner)
        return fresh.managed().get(change.address)

    def _delete(self, change: Change, spec: ResourceKind) -> None:
        current = self.objects.get(change.address)
        spec.delete(self.session, _live_id(change), current.body if current else None)
        self.objects.pop(change.address, None)


def _live_id(change: Change) -> str:
    if change.live_id is None:
        raise PlanError(f"{change.address}: the plan's {change.action} carries no live id\n  hint: make a fresh plan")
    return change.live_id


def apply_plan(plan: Plan, session: Session, *, now: datetime, allow_deletes: bool = False) -> ApplyReport:
    """Apply ``plan``; raises PlanError (changing nothing) when it is stale or unsafe."""
    check_target(plan, session)
    live = read_live(session, ResourceSet(), owner=plan.owner, claims=frozenset(c.address for c in plan.changes))
    done = check_stale(plan, live, now=now)
    check_safety(plan, live, allow_deletes=allow_deletes)
    applier = _Applier(session, live, plan.owner)
    order = {spec.address: i for i, spec in enumerate(apply_order())}
    reverse = {spec.address: i for i, spec in enumerate(delete_order())}
    writes = [c for c in plan.changes if c.action != "delete"]
    deletes = [c for c in plan.changes if c.action == "delete"]
    with phase(session.observer, "applying changes", sum(1 for c in plan.changes if c.address not in done)):
        for batch in [*_levels(writes, order), *_levels(deletes, reverse)]:
            todo = [c for c in batch if c.address not in done]
            applier.report.already_applied.extend(c.address for c in batch if c.address in done)
            if not todo:
                continue
            spec = get_kind(todo[0].provider, todo[0].kind)
            limiter = session.datadog.limiter if spec.provider == "datadog" else session.pagerduty.limiter
            # as many at once as the rate-limit headers allow, up to the kind's ceiling
            paced_map(applier.run, todo, limiter=limiter, family=spec.api_family, cap=spec.max_concurrency)
    applier.report.sort()
    return applier.report


def _levels(changes: list[Change], rank: dict[str, int]) -> list[list[Change]]:
    """Changes grouped by kind, in ``rank`` order: a kind starts when the kinds before it are done."""
    groups: dict[int, list[Change]] = {}
    for change in changes:
        groups.setdefault(rank[f"{change.provider}:{change.kind}"], []).append(change)
    return [sorted(groups[level], key=lambda c: c.address) for level in sorted(groups)]
