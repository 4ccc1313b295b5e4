"""The tampered-plan corpus: every edited or broken plan file is refused with exit 1, a named reason, no change.

A plan file is input. Each case below edits a real plan (made against a real
sandbox holding alertc's objects, another team's monitor and a PagerDuty
service alertc does not own) and applies it. Byte-level and schema cases are
refused by the strict reader; semantic cases are applied both as edited (the
plan's digest no longer matches: "modified after it was made") and with the
digest recomputed, as a tool rewriting the file would, so the check behind the
digest (ids per kind, ownership by id, fingerprints, the target, and the
checkout apply runs in: its scope and definitions) is proven on its own. The
sandbox's objects are compared before and after every case.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan import plan_digest
from tests.e2e.conftest import World
from tests.e2e.test_apply_safety import _edited_examples

Doc = dict[str, Any]


@dataclass(frozen=True)
class Ids:
    unowned_monitor: str
    other_team_monitor: str
    unowned_service: str
    managed_monitor: str  # another managed monitor than the one the plan updates


@dataclass(frozen=True)
class Case:
    name: str
    reason: str  # a substring of the refusal
    edit: Callable[[Doc, Ids], Doc] | None = None
    raw: bytes | None = None  # the whole file, for byte-level cases
    redigest: bool = True  # recompute the digest after the edit (else the digest check refuses it)


def _change(doc: Doc, action: str, kind: str = "monitor") -> Doc:
    change: Doc = next(c for c in doc["changes"] if c["action"] == action and c["kind"] == kind)
    return change


def _set(action: str, field: str, value: Any, kind: str = "monitor") -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        _change(doc, action, kind)[field] = value
        return doc

    return edit


def _drop(action: str, field: str) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        del _change(doc, action)[field]
        return doc

    return edit


def _rekey(key: str) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        change = _change(doc, "update")
        change["key"], change["address"] = key, f"datadog:monitor/{key}"
        return doc

    return edit


def _rekey_create(key: str) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        change = _change(doc, "create")
        change["key"], change["address"] = key, f"datadog:monitor/{key}"
        return doc

    return edit


def _top(field: str, value: Any) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        doc[field] = value
        return doc

    return edit


def _point(action: str, which: str) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, ids: Ids) -> Doc:
        _change(doc, action)["live_id"] = getattr(ids, which)
        return doc

    return edit


def _overwrite_other_team(doc: Doc, ids: Ids) -> Doc:
    change = _change(doc, "update")
    change["live_id"] = ids.other_team_monitor
    change["desired"]["message"] = "taken over"
    return doc


def _delete_unowned_service(doc: Doc, ids: Ids) -> Doc:
    doc["changes"].append(
        {
            "action": "delete",
            "address": "pagerduty:service/identity-api",
            "provider": "pagerduty",
            "kind": "service",
            "key": "identity-api",
            "live_id": ids.unowned_service,
            "name": "x",
            "desired": None,
            "depends_on": [],
            "fields": [],
            "duplicate_of": None,
        }
    )
    return doc


def _delete(address_key: str, live_id: str, duplicate_of: str | None = None) -> Callable[[Doc, Ids], Doc]:
    def edit(doc: Doc, _ids: Ids) -> Doc:
        doc["changes"].append(
            {
                "action": "delete",
                "address": f"datadog:monitor/{address_key}",
                "provider": "datadog",
                "kind": "monitor",
                "key": address_key,
                "live_id": live_id,
                "name": None,
                "desired": None,
                "depends_on": [],
                "fields": [],
                "duplicate_of": duplicate_of,
            }
        )
        return doc

    return edit


def _tamper_body(doc: Doc, _ids: Ids) -> Doc:
    _change(doc, "update")["desired"]["query"] = "avg(last_5m):avg:system.load.1{*} > 100"
    return doc


def _stale_fingerprint(doc: Doc, _ids: Ids) -> Doc:
    address = _change(doc, "update")["address"]
    doc["fingerprints"][address] = "0000000000000000"
    return doc


def _other_target(doc: Doc, _ids: Ids) -> Doc:
    doc["target"] = {**doc["target"], "datadog": "https://api.datadoghq.eu"}
    return doc


def _reorder(doc: Doc, _ids: Ids) -> Doc:
    doc["changes"].reverse()
    return doc


def _swap_to_managed(doc: Doc, ids: Ids) -> Doc:
    _change(doc, "update")["live_id"] = ids.managed_monitor
    return doc


def _fake_duplicate(doc: Doc, ids: Ids) -> Doc:
    change = _change(doc, "update")
    return _delete(change["key"], ids.managed_monitor, duplicate_of=change["live_id"])(doc, ids)


MODIFIED = "plan file was modified after it was made"
STALE = "plan is stale; nothing was changed"
NOT_VALID = "not a valid plan; nothing was applied"

CASES: list[Case] = [
    # bytes and JSON
    Case("non-UTF-8 bytes", "not UTF-8 text", raw=b'{"version": 2, "name": "\xff\xfe"}'),
    Case("truncated JSON", "invalid JSON", raw=b'{"version": 2, "changes": [{"action": "upd'),
    Case("empty file", "invalid JSON", raw=b""),
    Case("a JSON array", "not an object", raw=b"[]"),
    Case("JSON null", "not an object", raw=b"null"),
    Case("duplicate key", "appears twice", raw=b'{"version": 2, "version": 2}'),
    Case("deep nesting", "plan", raw=b'{"version": 2, "changes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    Case("binary garbage", "not UTF-8", raw=bytes(range(256))),
    # version and top level
    Case("version 1", "unsupported plan format version 1", edit=_top("version", 1)),
    Case("version as text", "unsupported plan format version '2'", edit=_top("version", "2")),
    Case("unknown top-level field", "extra_field: Extra inputs are not permitted", edit=_top("extra_field", 1)),
    Case("changes is null", "changes: Input should be a valid list", edit=_top("changes", None)),
    Case("fingerprints is a list", "fingerprints: Input should be a valid dictionary", edit=_top("fingerprints", [])),
    Case("target is a string", "target: Input should be a valid dictionary", edit=_top("target", "production")),
    Case("digest malformed", "digest: String should match pattern", edit=_top("digest", "xyz"), redigest=False),
    Case("digest of another plan", MODIFIED, edit=_top("digest", "0" * 64), redigest=False),
    # changes: schema
    Case(
        "unknown action",
        "action: Input should be 'adopt', 'create', 'update' or 'delete'",
        edit=_set("create", "action", "replace"),
    ),
    Case("unknown kind", "unknown kind datadog:notebook", edit=_set("update", "kind", "notebook")),
    Case(
        "unknown provider",
        "provider: Input should be 'datadog' or 'pagerduty'",
        edit=_set("create", "provider", "aws"),
    ),
    Case(
        "address not matching the key",
        "does not match provider, kind and key",
        edit=_set("update", "address", "datadog:monitor/other"),
    ),
    Case("key not an ownership key", "is not an ownership key", edit=_rekey("Bad Key")),
    Case("kind with a path", "unknown kind datadog:monitor/../slo", edit=_set("update", "kind", "monitor/../slo")),
    Case("unknown change field", "Extra inputs are not permitted", edit=_set("update", "force", True)),
    Case("missing key", "key: Field required", edit=_drop("update", "key")),
    Case("missing action", "action: Field required", edit=_drop("create", "action")),
    Case("desired is a list", "desired: Input should be a valid dictionary", edit=_set("update", "desired", [1])),
    Case("depends_on is text", "depends_on: Input should be a valid list", edit=_set("create", "depends_on", "x")),
    Case("fields is an object", "fields: Input should be a valid list", edit=_set("update", "fields", {})),
    Case("live_id is a number", "live_id: Input should be a valid string", edit=_set("update", "live_id", 150000004)),
    Case("live_id is huge", "live_id: Input should be a valid string", edit=_set("update", "live_id", 10**400)),
    Case("create with a live_id", "a create has no live_id", edit=_set("create", "live_id", "150000004")),
    Case("delete with a body", "a delete has no desired body", edit=_set("delete", "desired", {"name": "x"})),
    Case("update without a body", "an update needs its desired body", edit=_set("update", "desired", None)),
    Case("create without a body", "a create needs its desired body", edit=_set("create", "desired", None)),
    Case("update without an id", "an update needs the live_id", edit=_set("update", "live_id", None)),
    Case(
        "duplicate_of on an update",
        "duplicate_of only goes with a delete",
        edit=_set("update", "duplicate_of", "150000004"),
    ),
    # ids per kind, before any URL
    Case(
        "path in a monitor id",
        "'150000004/../150000038' is not a datadog:monitor id",
        edit=_set("update", "live_id", "150000004/../150000038"),
    ),
    Case(
        "negative monitor id", "is not a datadog:monitor id (a positive integer)", edit=_set("delete", "live_id", "-5")
    ),
    Case("monitor id with spaces", "is not a datadog:monitor id", edit=_set("update", "live_id", " 150000004")),
    Case("monitor id with a query", "is not a datadog:monitor id", edit=_set("delete", "live_id", "1?force=true")),
    # ownership, fingerprints, target (digest recomputed: the check behind it refuses)
    Case("update pointed at an unowned monitor", "is not managed by alertc", edit=_point("update", "unowned_monitor")),
    Case("delete pointed at an unowned monitor", "is not managed by alertc", edit=_point("delete", "unowned_monitor")),
    Case("overwrite another team's monitor", "is not managed by alertc", edit=_point("update", "other_team_monitor")),
    Case("delete an unowned PagerDuty service", "is not managed by alertc", edit=_delete_unowned_service),
    Case(
        "update pointed at another managed monitor",
        "is managed by alertc under datadog:monitor/",
        edit=_swap_to_managed,
    ),
    Case("delete of a nonexistent id", "does not exist; this key is now id", edit=_delete("leftover", "999999999")),
    Case(
        "delete of a key the plan never read", "the plan never read an object", edit=_delete("never-seen", "999999998")
    ),
    Case("fake duplicate of a managed monitor", "is managed by alertc under", edit=_fake_duplicate),
    Case("fingerprint edited", "changed since the plan", edit=_stale_fingerprint),
    Case("another target", "this plan was made for", edit=_other_target),
    # the checkout apply runs in: its scope, its definitions (digest recomputed: the file itself is consistent)
    Case("owner edited", "this plan is for ownership scope 'other-team', but", edit=_top("owner", "other-team")),
    Case("owner removed", "this plan is for ownership scope (none), but", edit=_top("owner", None)),
    Case(
        "definitions digest edited",
        "this plan was made from definitions with digest",
        edit=_top("definitions_digest", "0" * 16),
    ),
    Case(
        "body of an update rewritten",
        "its body differs from what the definition compiles to",
        edit=_overwrite_other_team,
    ),
    Case(
        "a defined object deleted", "deleted, but a definition names it", edit=_delete("ssoe-success-rate", "999999999")
    ),
    Case("a create no definition names", "created, but no definition names it", edit=_rekey_create("stray")),
    # edits that keep the file valid: only the digest can tell
    Case("tampered desired body", MODIFIED, edit=_tamper_body, redigest=False),
    Case("changes reordered", MODIFIED, edit=_reorder, redigest=False),
    Case("unowned monitor, digest kept", MODIFIED, edit=_point("update", "unowned_monitor"), redigest=False),
    Case(
        "delete of another key, digest kept", MODIFIED, edit=_delete("ssoe-success-rate", "999999999"), redigest=False
    ),
]


def _monitor_id(world: World, **body: Any) -> str:
    with world.datadog() as client:
        created = MonitorsApi(client).create_monitor(
            body={"type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "m", **body}
        )
    return str(created.id)


def _unowned_service(world: World) -> str:
    pd = world.pagerduty()
    user = pd.list_all("users")[0]["id"]
    policy = pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "Other team",
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 30, "targets": [{"type": "user_reference", "id": user}]}
                ],
            }
        },
    )
    service = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "Other team's service",
                "escalation_policy": {"type": "escalation_policy_reference", "id": policy["id"]},
            }
        },
    )
    return str(service["id"])


def _make_plan(world: World, tmp_path: Path) -> tuple[Doc, Ids]:
    """A plan with a create, an update and a delete, plus objects alertc does not own."""
    assert world.plan().code == 0 and world.apply().code == 0
    with world.datadog() as client:
        api = MonitorsApi(client)
        managed = {
            next(t for t in m.to_dict()["tags"] if t.startswith("alertc-key:")): str(m.id) for m in api.list_monitors()
        }
        api.delete_monitor(int(managed["alertc-key:monitor/auth-too-late"]))  # planned: a create
    _monitor_id(
        world, name="leftover", tags=["managed-by:alertc", "alertc-key:monitor/leftover", "alertc-owner:va-identity"]
    )  # a delete
    ids = Ids(
        unowned_monitor=_monitor_id(world, name="unowned"),
        other_team_monitor=_monitor_id(world, name="other team's", tags=["team:other"]),
        unowned_service=_unowned_service(world),
        managed_monitor=managed["alertc-key:monitor/ssoe-success-rate"],
    )
    edited = _edited_examples(
        tmp_path, "thresholds: {critical: 3, recovery: 2}", "thresholds: {critical: 4, recovery: 2}"
    )
    planned = world.plan(definitions=edited)
    assert planned.out.splitlines()[-1] == "Plan: 1 to create, 1 to update, 1 to delete.", planned.out
    doc: Doc = json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))
    return doc, ids


def _file(case: Case, doc: Doc, ids: Ids) -> bytes:
    if case.raw is not None:
        return case.raw
    assert case.edit is not None
    edited = case.edit(copy.deepcopy(doc), ids)
    if case.redigest:
        edited["digest"] = plan_digest(edited)
    return json.dumps(edited, indent=2).encode("utf-8")


def test_every_tampered_plan_is_refused_with_a_reason_and_changes_nothing(world: World, tmp_path: Path) -> None:
    doc, ids = _make_plan(world, tmp_path)
    assert len(CASES) >= 50
    problems: list[str] = []
    for i, case in enumerate(CASES):
        path = tmp_path / f"case-{i}.json"
        path.write_bytes(_file(case, doc, ids))
        before = world.handle.dump()["objects"]
        result = world.alertc("apply", str(path))
        after = world.handle.dump()["objects"]
        if result.code != 1:
            problems.append(f"{case.name}: exit {result.code}\n{result.out}{result.err}")
        elif case.reason not in result.err:
            problems.append(f"{case.name}: reason {case.reason!r} not in:\n{result.err}")
        if "Traceback" in result.err or "internal error" in result.err:
            problems.append(f"{case.name}: internal error\n{result.err}")
        if before != after:
            problems.append(f"{case.name}: the sandbox changed")
    assert not problems, "\n\n".join(problems)
    untouched = world.alertc("apply", str(world.tmp / "p.json"))  # the real plan still applies
    assert untouched.code == 0, untouched.err
