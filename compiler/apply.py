"""Plan → API calls: verify instead of trusting, one apply per target, no duplicates, always a report.

A reviewed plan is applied only to the world it was computed against, and
only to objects alertc owns:

* the plan file was parsed strictly and its digest checked (``compiler.plan_file``);
* an exclusive lock per target keeps two applies on one machine apart (``compiler.lock``);
* every object an update or delete names is looked up by its id in a fresh read
  and must be managed by alertc under exactly that change's key, with the
  fingerprint the plan saw; otherwise nothing is changed ("plan is stale",
  ``compiler.apply_checks``);
* immediately before every create the kind is asked for live objects under the
  key (``ResourceKind.find_by_key``): one that matches the plan counts as already
  applied, any other makes the create stale; a second object is never created.
  Datadog's duplicate-monitor 400 is answered the same way, by reading the
  monitor it names;
* a create whose response was lost is found again by its key before any retry;
* after the creates of a kind whose API accepts two objects of one name (SLOs,
  PagerDuty schedules, ...), and before any other kind can reference them, the
  key is looked for again: when another run's object holds it too, the younger
  copy (``compiler.duplicates.creation_order``) is deleted by the run that
  created it, and that run goes on with the older one (``RaceCheck``);
* Ctrl-C stops starting new changes, waits for those in flight, and raises
  ``ApplyInterrupted`` carrying the partial report.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from compiler.apply_checks import Verified, check_safety, check_stale, check_target, describe_owner, matches
from compiler.duplicates import creation_order
from compiler.errors import AlertcError, PlanError, TargetError
from compiler.events import ChangeApplied, phase
from compiler.kinds import ResourceKind, apply_order, delete_order, get_kind
from compiler.live import LiveState, Session, read_listing, read_live
from compiler.lock import apply_lock
from compiler.plan import Change, Plan, live_resolver
from compiler.providers.digest import digest
from compiler.providers.ownership import add_ownership
from compiler.providers.pacing import paced_map
from compiler.providers.retry import classify
from compiler.resources import LiveObject, ResourceSet, references_in, resolve_references
from compiler.targets import Target

CREATE_RETRIES_AFTER_LOST_RESPONSE = 2
# How long after its last create a kind whose creation order is coarse (SLOs: seconds) or unknown
# (PagerDuty schedules) waits before looking for its keys again, so that two runs creating one key
# at about the same time both see both copies and agree on the younger. ALERTC_RACE_SETTLE_SECONDS
# changes it (0: look at once).
RACE_SETTLE_SECONDS = 1.5
EXIT_INTERRUPTED = 130
EXIT_POST_STEP_FAILED = 3
_DUPLICATE_MONITOR = re.compile(r"Duplicate of an existing monitor_id:\s*(\d+)")


@dataclass
class ApplyReport:
    applied: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    adopted_after_lost_response: list[str] = field(default_factory=list)
    already_applied: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    created_ids: dict[str, str] = field(default_factory=dict)  # address → id of each object created
    # (address, id kept, id deleted): created, then found under its key with an older copy another run made
    yielded: list[tuple[str, str, str]] = field(default_factory=list)

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
        self.already_gone.sort()
        self.yielded.sort()


class ApplyInterrupted(AlertcError):
    """Ctrl-C during apply: what was done so far is in ``report`` (exit 130)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, report: ApplyReport) -> None:
        super().__init__("interrupted; the report above says what was applied and what was not")
        self.report = report


class PostStepFailed(AlertcError):
    """Every change was applied; a step after it (the banner configuration) failed. Exit 3, its own remedy."""

    exit_code = EXIT_POST_STEP_FAILED

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(
            f"warning: every change was applied, but the banner configuration was not written: {reason}\n"
            f"  hint: do not re-apply; once the target answers, write it with 'alertc banners build -o {path}'"
        )


@dataclass(frozen=True)
class Created:
    """An object this apply created, of a kind whose API accepts two of one name: looked for again."""

    change: Change
    body: dict[str, Any]
    live_id: str
    answered_at: float  # time.monotonic() when the create's answer came
    # Found by its key after a lost answer: which copy the lost create made is unknown, so the look again
    # keeps only the oldest copy (every other one is younger, and doomed by its own creator's look anyway).
    uncertain: bool = False


def race_settle_seconds(environ: Mapping[str, str] | None = None) -> float:
    """The settle time before the look after creates (``RACE_SETTLE_SECONDS``, or the environment's)."""
    text = (environ if environ is not None else os.environ).get("ALERTC_RACE_SETTLE_SECONDS", "").strip()
    try:
        return max(0.0, float(text)) if text else RACE_SETTLE_SECONDS
    except ValueError:
        raise AlertcError(f"ALERTC_RACE_SETTLE_SECONDS '{text}' is not a number of seconds") from None


def lock_identity(target: Target) -> dict[str, str]:
    """What makes two applies "against the same target" for the lock (never a key)."""
    identity = dict(target.describe())
    if target.state_dir is not None:  # the embedded sandbox: one target per state directory
        identity["state_dir"] = str(target.state_dir.resolve())
    return identity


class _Applier:
    def __init__(self, session: Session, live: LiveState, now: datetime, owner: str | None = None) -> None:
        self.session = session
        self.now = now
        self.owner = owner
        self.objects: dict[str, LiveObject] = dict(live.managed())
        self.by_id = {(o.provider, o.kind, o.live_id): o for o in live.objects}
        self.lookups = live.lookups()
        self.report = ApplyReport()
        self.failed_addresses: set[str] = set()
        self.in_flight: set[str] = set()
        self.reached: set[str] = set()
        self.extras: dict[tuple[str, str], Change] = {}  # (address, id) → the plan's delete of that duplicate
        self.deleted_early: set[str] = set()
        self.created: list[Created] = []  # creates of kinds that accept two objects of one name
        self.settle_seconds = RACE_SETTLE_SECONDS
        self.stopping = threading.Event()
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
            self.report.skipped.append((change.label, f"needs {names}, which does not exist"))
            return None
        marked: dict[str, Any] = add_ownership(
            spec, body, f"{change.kind}/{change.key}", digest(spec.canonical_desired(body)), self.owner
        )
        return marked

    def run(self, change: Change) -> None:
        if self.stopping.is_set() or change.label in self.deleted_early:
            return
        self.reached.add(change.label)
        spec = get_kind(change.provider, change.kind)
        blocked = [d for d in change.depends_on if d in self.failed_addresses]
        if blocked:
            self.report.skipped.append((change.label, f"depends on {', '.join(blocked)}, which failed"))
            self.failed_addresses.add(change.address)
            self.session.observer(ChangeApplied(change.action, change.label, change.live_id, "not applied"))
            return
        self.in_flight.add(change.label)
        try:
            self._run_one(change, spec)
        except TargetError as exc:
            reason = self.session.target.redact(str(exc))
            self.report.failed.append((change.label, reason))
            self.failed_addresses.add(change.address)
            self.session.observer(ChangeApplied(change.action, change.label, change.live_id, reason.splitlines()[0]))
        self.in_flight.discard(change.label)  # not on Ctrl-C: the partial report lists it as in flight

    def _run_one(self, change: Change, spec: ResourceKind) -> None:
        if change.action == "delete":
            self._delete(change, spec)
            self._applied(change, change.live_id)
            return
        body = self.body_for(change, spec)
        if body is None:
            self.failed_addresses.add(change.address)
            return
        if change.action == "create":
            if self._create(change, spec, body):
                self._applied(change, self.report.created_ids.get(change.address))
            return
        live_id = _live_id(change)
        try:
            updated = spec.update(self.session, live_id, body)
        except TargetError as exc:
            # repointing the kept object onto what an extra copy already is: the copy goes first
            duplicate = _DUPLICATE_MONITOR.search(str(exc))
            extra = self.extras.get((change.address, duplicate.group(1))) if duplicate else None
            if extra is None:
                raise
            spec.delete(self.session, _live_id(extra), None)
            self._applied(extra, extra.live_id)
            self.deleted_early.add(extra.label)
            updated = spec.update(self.session, live_id, body)
        self._remember(change, spec, live_id, updated or body)
        self._applied(change, live_id)

    def _applied(self, change: Change, live_id: str | None) -> None:
        self.report.applied.append(f"{change.action} {change.label}")
        self.session.observer(ChangeApplied(change.action, change.label, live_id))

    def _remember(self, change: Change, spec: ResourceKind, live_id: str, body: dict[str, Any]) -> None:
        self.objects[change.address] = LiveObject(
            spec.provider, spec.kind, live_id, change.name or "", body, change.key
        )

    def _existing(self, change: Change, spec: ResourceKind, body: dict[str, Any]) -> list[LiveObject]:
        """The live objects under the change's key, read now, from the kind (or the kind that lists it)."""
        found = spec.find_by_key(self.session, change.key, body)
        if found is not None:
            return [o for o in found if o.owner == self.owner]  # another scope's object is not this key's
        lister = get_kind(*spec.listed_by.split(":", 1)) if spec.listed_by else spec
        objects = read_listing(self.session, lister, owner=self.owner)
        return [o for o in objects if o.kind == change.kind and o.key == change.key and o.owner == self.owner]

    def _settle_existing(self, change: Change, spec: ResourceKind, existing: list[LiveObject], why: str) -> None:
        """Something already carries the key: done if it is what the plan makes, else a stale create."""
        keeper = existing[0]
        if matches(change, keeper, self.lookup, self.now):
            self.report.already_applied.append(f"{change.label} ({why}, id {keeper.live_id})")
            self._remember(change, spec, keeper.live_id, keeper.body)
            return
        raise TargetError(
            f"stale: {change.address} was created meanwhile ({why}, id {keeper.live_id}) and differs from the plan;"
            " not created again\n  hint: run 'alertc plan' again"
        )

    def _create(self, change: Change, spec: ResourceKind, body: dict[str, Any]) -> bool:
        """Create once, after looking for the key; True when this apply created the object."""
        existing = self._existing(change, spec, body)
        if existing:
            self._settle_existing(change, spec, existing, "exists now")
            return False
        attempts = 0
        while True:
            attempts += 1
            try:
                live_id, created = spec.create(self.session, body)
            except TargetError as exc:
                duplicate = _DUPLICATE_MONITOR.search(str(exc))
                if duplicate is not None:
                    self._settle_duplicate_monitor(change, spec, duplicate.group(1))
                    return False
                root = exc.__cause__ if exc.__cause__ is not None else exc
                if classify(root).category not in ("server", "timeout", "connection"):
                    # a refusal may mean another apply created it meanwhile ("Name has already been taken")
                    raced = self._existing(change, spec, body)
                    if not raced:
                        raise
                    self._settle_existing(change, spec, raced, "created meanwhile by another apply")
                    return False
                found = self._existing(change, spec, body)
                if found:
                    oldest = min(found, key=creation_order)
                    self.report.adopted_after_lost_response.append(change.label)
                    self._created(change, spec, body, oldest.live_id, oldest.body, uncertain=True)
                    return True
                if attempts > CREATE_RETRIES_AFTER_LOST_RESPONSE:
                    raise TargetError(f"create {change.address}: {type(root).__name__}: {root}") from exc
                continue
            self._created(change, spec, body, live_id, created)
            return True

    def _created(
        self,
        change: Change,
        spec: ResourceKind,
        body: dict[str, Any],
        live_id: str,
        answered: dict[str, Any],
        *,
        uncertain: bool = False,
    ) -> None:
        self.report.created_ids[change.address] = live_id
        self._remember(change, spec, live_id, answered)
        if spec.accepts_same_name:
            with self.lock:
                self.created.append(Created(change, body, live_id, time.monotonic(), uncertain))

    def look_again(self, spec: ResourceKind) -> None:
        """After the creates of ``spec``'s kind, before any kind that references them: the younger of two
        copies under one key is deleted by the run that created it, which then uses the older one.

        Kinds whose creation order follows the order the API stored them in (monotonic ids, creation
        times to the microsecond, sequence numbers) look at once: the younger copy's creator always
        sees the older. The others wait ``settle_seconds`` after their last create, so that two runs
        creating one key within that time both see both copies and agree on the younger.
        """
        mine = [c for c in self.created if (c.change.provider, c.change.kind) == (spec.provider, spec.kind)]
        if not mine or self.stopping.is_set():
            return
        if not spec.exact_creation_order:
            wait = self.settle_seconds - (time.monotonic() - max(c.answered_at for c in mine))
            if wait > 0:
                time.sleep(wait)
        client = self.session.datadog if spec.provider == "datadog" else self.session.pagerduty
        paced_map(
            lambda c: self._look_again(c, spec),
            mine,
            limiter=client.limiter,
            family=spec.api_family,
            cap=spec.max_concurrency,
        )

    def _look_again(self, created: Created, spec: ResourceKind) -> None:
        change = created.change
        try:
            found = self._existing(change, spec, created.body)
            ours = next((o for o in found if o.live_id == created.live_id), None)
            others = [o for o in found if o.live_id != created.live_id]
            if not others:
                return
            if created.uncertain:
                self._keep_only_the_oldest(created, spec, found)
                return
            older = min(others, key=creation_order)
            if ours is not None and creation_order(ours) < creation_order(older):
                return  # ours is the older copy: the run that made the other one deletes it
            spec.delete(self.session, created.live_id, ours.body if ours is not None else None)
            with self.lock:
                entry = f"{change.action} {change.label}"
                if entry in self.report.applied:
                    self.report.applied.remove(entry)
                self.report.created_ids.pop(change.address, None)
                self.report.yielded.append((change.label, older.live_id, created.live_id))
            self._settle_existing(change, spec, [older], "created meanwhile by another apply")
        except TargetError as exc:
            reason = self.session.target.redact(str(exc))
            with self.lock:
                self.report.failed.append((change.label, reason))
                self.failed_addresses.add(change.address)

    def _keep_only_the_oldest(self, created: Created, spec: ResourceKind, found: list[LiveObject]) -> None:
        """After a lost answer: delete every copy under the key but the oldest (one may be this run's own,
        unseen), and go on with the oldest. Deleting a younger copy another run made is what that run's own
        look does before anything references it; a copy already gone counts as deleted."""
        oldest = min(found, key=creation_order)
        for copy in found:
            if copy.live_id != oldest.live_id:
                spec.delete(self.session, copy.live_id, copy.body)
                with self.lock:
                    self.report.yielded.append((created.change.label, oldest.live_id, copy.live_id))
        if oldest.live_id != created.live_id:
            with self.lock:
                self.report.created_ids.pop(created.change.address, None)
            self._settle_existing(created.change, spec, [oldest], "created meanwhile by another apply")

    def _settle_duplicate_monitor(self, change: Change, spec: ResourceKind, other_id: str) -> None:
        """Datadog refused the create as identical to monitor ``other_id``: done if that one is ours and right."""
        other = spec.read_one(self.session, other_id)
        if other is None:
            raise TargetError(
                f"Datadog refused {change.address} as a duplicate of monitor {other_id}, which cannot be read now"
            )
        if other.kind != change.kind or other.key != change.key:
            raise TargetError(
                f"Datadog refused {change.address} as a duplicate of monitor {other_id}, which "
                f"{describe_owner(other)}; nothing was changed\n"
                "  hint: delete or rename one of the two; alertc does not take over objects it does not own"
            )
        self._settle_existing(change, spec, [other], f"Datadog: duplicate of monitor {other_id}")

    def _delete(self, change: Change, spec: ResourceKind) -> None:
        current = self.by_id.get((change.provider, change.kind, _live_id(change)))
        spec.delete(self.session, _live_id(change), current.body if current is not None else None)
        if change.duplicate_of is None:
            self.objects.pop(change.address, None)


def _live_id(change: Change) -> str:
    if change.live_id is None:
        raise PlanError(f"{change.address}: the plan's {change.action} carries no live id\n  hint: make a fresh plan")
    return change.live_id


def apply_plan(
    plan: Plan,
    session: Session,
    *,
    now: datetime,
    allow_deletes: bool = False,
    lock_timeout: float = 0.0,
    settle_seconds: float = RACE_SETTLE_SECONDS,
) -> ApplyReport:
    """Apply ``plan``; raises PlanError (changing nothing) when it is stale or unsafe, ApplyInterrupted on Ctrl-C.

    ``settle_seconds``: the wait before looking again for keys of kinds with a coarse creation order.
    """
    check_target(plan, session)
    with apply_lock(lock_identity(session.target), timeout=lock_timeout):
        claims = frozenset(c.address for c in plan.changes)
        live = read_live(session, ResourceSet(), owner=plan.owner, claims=claims)
        verified = check_stale(plan, live, now=now)
        check_safety(plan, live, allow_deletes=allow_deletes)
        applier = _Applier(session, live, now, plan.owner)
        applier.settle_seconds = settle_seconds
        applier.extras = {(c.address, c.live_id or ""): c for c in plan.changes if c.duplicate_of is not None}
        pending = sum(1 for c in plan.changes if c.label not in verified.done | verified.gone)
        try:
            with phase(session.observer, "applying changes", pending):
                _run(plan, applier, verified)
        except KeyboardInterrupt:
            applier.stopping.set()
            raise ApplyInterrupted(_partial(plan, applier, verified)) from None
    applier.report.sort()
    return applier.report


def _run(plan: Plan, applier: _Applier, verified: Verified) -> None:
    order = {spec.address: i for i, spec in enumerate(apply_order())}
    reverse = {spec.address: i for i, spec in enumerate(delete_order())}
    writes = [c for c in plan.changes if c.action != "delete"]
    deletes = [c for c in plan.changes if c.action == "delete"]
    for batch in [*_levels(writes, order), *_levels(deletes, reverse)]:
        applier.report.already_applied.extend(c.label for c in batch if c.label in verified.done)
        applier.report.already_gone.extend(c.label for c in batch if c.label in verified.gone)
        todo = [c for c in batch if c.label not in verified.done and c.label not in verified.gone]
        if not todo:
            continue
        spec = get_kind(todo[0].provider, todo[0].kind)
        client = applier.session.datadog if spec.provider == "datadog" else applier.session.pagerduty
        # As many at once as the rate-limit headers allow, up to the kind's ceiling. On Ctrl-C no
        # further change starts (paced_map submits no more); the calls in flight finish first.
        paced_map(applier.run, todo, limiter=client.limiter, family=spec.api_family, cap=spec.max_concurrency)
        applier.look_again(spec)


def _partial(plan: Plan, applier: _Applier, verified: Verified) -> ApplyReport:
    """The report of an interrupted apply: every change not reached is listed as not applied."""
    report = applier.report
    for change in plan.changes:
        if change.label in applier.in_flight:
            report.skipped.append((change.label, "interrupted while in flight: the next plan shows whether it landed"))
        elif change.label not in applier.reached | verified.done | verified.gone:
            report.skipped.append((change.label, "interrupted before it started"))
    report.sort()
    return report


def _levels(changes: list[Change], rank: dict[str, int]) -> list[list[Change]]:
    """Changes grouped by kind, in ``rank`` order: a kind starts when the kinds before it are done."""
    groups: dict[int, list[Change]] = {}
    for change in changes:
        groups.setdefault(rank[f"{change.provider}:{change.kind}"], []).append(change)
    return [sorted(groups[level], key=lambda c: (c.address, c.live_id or "")) for level in sorted(groups)]
