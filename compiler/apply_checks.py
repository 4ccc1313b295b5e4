"""Apply's verification before any write: the plan's target, staleness by id and fingerprint, safety.

Nothing in a reviewed plan is trusted. Every object an update or delete names
is looked up by its id in a fresh read and must be managed by alertc under
exactly that change's key, with the fingerprint the plan saw; an adopted object
must still be unowned and unchanged; a create's key must still be free (or
already carry what the plan makes: a re-run converges). Any other finding
refuses the whole plan before anything is changed ("plan is stale").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from compiler.errors import PlanError
from compiler.kinds import get_kind
from compiler.live import LiveState, Session
from compiler.plan import Change, Plan, field_changes, fingerprint, live_resolver
from compiler.providers.ownership import scope_label
from compiler.resources import LiveObject, references_in, resolve_references


def check_target(plan: Plan, session: Session) -> None:
    current = session.target.describe()
    if plan.target != current:
        raise PlanError(
            f"this plan was made for {plan.target}, not for the current target {current}\n"
            "  hint: make a new plan against this target"
        )


def matches_desired(change: Change, current: LiveObject, live: LiveState, now: datetime) -> bool:
    """Whether the live object already is what the change would make it (a re-run after a partial apply)."""
    return matches(change, current, live_resolver(live.managed(), live.lookups()), now)


def matches(change: Change, current: LiveObject, lookup: Any, now: datetime) -> bool:
    if change.desired is None:
        return False
    body = resolve_references(change.desired, lookup)
    if references_in(body):
        return False
    spec = get_kind(current.provider, current.kind)
    desired_form, live_form = spec.comparable(body, current.body, now=now)
    return not field_changes(live_form, desired_form)


def describe_owner(obj: LiveObject) -> str:
    if obj.key is None and obj.foreign_key is not None:
        return f"is owned by {scope_label(obj.owner)}"
    if obj.key is None:
        return "is not managed by alertc"
    return f"is managed by alertc under {obj.address}"


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


@dataclass
class Verified:
    """What the pre-apply verification found: changes already done, and deletes whose object is gone."""

    done: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)


def check_stale(plan: Plan, live: LiveState, *, now: datetime) -> Verified:
    """Refuse, naming them, if any object the plan touches is not what the plan saw, or not alertc's.

    Updates and deletes are looked up by their id: the object must exist (or,
    for a delete, be gone altogether), be managed by alertc under exactly the
    change's key, and keep the fingerprint the plan recorded. Objects already
    in the state the plan would leave them in (a previous run of this plan got
    that far) are returned as done, so re-running a partly applied plan converges.
    """
    managed = live.managed()
    by_id: dict[tuple[str, str], list[LiveObject]] = {}
    for obj in live.objects:
        by_id.setdefault((obj.provider, obj.live_id), []).append(obj)
    stale: list[str] = []
    result = Verified()
    for change in plan.changes:
        label = change.label
        current = managed.get(change.address)
        if change.action == "adopt":
            adopted = current is not None and current.live_id == change.live_id
            if adopted and current is not None and matches_desired(change, current, live, now):
                result.done.add(label)
                continue
            problem = _check_adopt(plan, change, live)
            if problem is not None:
                stale.append(problem)
            continue
        if change.action == "create":
            if current is None:
                continue
            if matches_desired(change, current, live, now):
                result.done.add(label)
            else:
                stale.append(f"{change.address} now exists (id {current.live_id})")
            continue
        same_id = by_id.get((change.provider, change.live_id or ""), [])
        target = next((o for o in same_id if o.kind == change.kind and o.key == change.key), None)
        if target is None and same_id:
            stale.append(f"{label}: the live object with id {change.live_id} {describe_owner(same_id[0])}")
            continue
        if change.duplicate_of is not None:
            stale += _check_duplicate_delete(change, target, current, result)
            continue
        if target is None:
            if change.address not in plan.fingerprints:
                stale.append(f"{label}: the plan never read an object at this address (id {change.live_id})")
            elif current is not None:
                stale.append(f"{label}: id {change.live_id} does not exist; this key is now id {current.live_id}")
            elif change.action == "delete":
                result.gone.add(label)
            else:
                stale.append(f"{label} no longer exists")
            continue
        if current is not None and current.live_id != target.live_id:
            stale.append(f"{label}: id {change.live_id} is a duplicate of id {current.live_id}, which alertc keeps")
            continue
        seen = plan.fingerprints.get(change.address)
        now_fp = fingerprint(get_kind(target.provider, target.kind).canonical_live(target.body))
        if seen == now_fp:
            continue
        if change.action == "update" and matches_desired(change, target, live, now):
            result.done.add(label)
            continue
        stale.append(f"{label} changed since the plan (fingerprint {seen} -> {now_fp})")
    if stale:
        raise PlanError(
            "plan is stale; nothing was changed:\n  "
            + "\n  ".join(stale)
            + "\n  hint: run 'alertc plan' again and review the new plan"
        )
    return result


def _check_duplicate_delete(
    change: Change, target: LiveObject | None, keeper: LiveObject | None, result: Verified
) -> list[str]:
    """A duplicate is deleted only while the object alertc keeps for its key is still there."""
    if keeper is None or keeper.live_id != change.duplicate_of:
        if keeper is None or keeper.live_id == change.live_id:
            kept = "is gone; this one is now the only object under the key"
        else:
            kept = f"is not the one alertc keeps now (id {keeper.live_id})"
        return [f"{change.label}: the object it duplicates (id {change.duplicate_of}) {kept}"]
    if target is None:
        result.gone.add(change.label)
    return []


def check_safety(plan: Plan, live: LiveState, *, allow_deletes: bool) -> None:
    """Apply's re-check of the plan's safety against what exists now, plus the failed-read guard."""
    managed_count = sum(1 for obj in live.objects if obj.address is not None)  # extras sharing a key included
    if plan.fingerprints and managed_count == 0:
        raise PlanError(
            f"the live read returned no managed objects, but the plan was made against {len(plan.fingerprints)}; "
            "refusing to act on what may be a failed read\n  hint: check the credentials and site, then plan again"
        )
    plan.raise_if_unsafe(allow_deletes=allow_deletes, managed_count=managed_count)
