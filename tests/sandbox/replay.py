"""The fidelity score: recorded real Datadog traffic replayed against the sandbox, in the recorded order,
with the recording's ids mapped to the sandbox's.

Two sets are scored: the repository's own recordings (tests/fixtures/recordings/datadog/{v1,v2,retry})
and the public corpus (tests/sandbox/corpus.py: every recorded scenario of the official Python client
for the served families). Each cassette runs on a freshly reset sandbox whose clock stands at the
recording's time.

Each interaction scores one point for the status and one per non-volatile leaf of the recorded
response body (a leaf is a scalar at a path; a recorded leaf the sandbox lacks is a miss). Volatile
leaves are those no imitation can reproduce: ids (mapped, not compared), timestamps, the recording
org's users. Interactions the sandbox cannot meaningfully replay are excluded by name in EXCLUDED,
each explained in compiler/sandbox/SPEC_EXCEPTIONS.md.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.sandbox import SandboxHandle
from tests.sandbox import corpus
from tests.sandbox.corpus import Cassette

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "recordings" / "datadog"
HOST = re.compile(r"^https://api\.datadoghq\.com")

# Keys whose values depend on when, by whom and in which org the recording was made.
VOLATILE_KEYS = {
    "id",
    "created",
    "created_at",
    "createdAt",
    "modified",
    "modified_at",
    "modifiedAt",
    "last-modified-time",
    "creator",
    "createdBy",
    "lastModifiedBy",
    "created_by",
    "last_modified_by",
    "org_id",
    "handle",
    "email",
    "icon",
    "uuid",
    "start",
    "overall_state_modified",
    "declared_by",  # an incident's declarer: the recording org's user
    "detected",  # when an incident was detected and declared: timestamps
    "declared",
    "author_handle",  # a dashboard's author: the recording org's user
    "author_name",
}
# Leaves that describe the recording org's people rather than the API's behaviour.
VOLATILE_PATHS = re.compile(r"^/included/\d+/attributes/(name|handle|email|icon|status|uuid)$|/author/name$")
# Values that are ids wherever they stand: learnt and mapped, never compared.
IDISH = re.compile(r"^(?=.*[0-9-])[A-Za-z0-9][A-Za-z0-9_-]{5,}$")

# (cassette name, interaction index or None for all) -> reason; listed in SPEC_EXCEPTIONS.md.
EXCLUDED: dict[tuple[str, int | None], str] = {
    ("v1/test_get_all_monitors_returns_ok_response_with_pagination", None): "lists the recording org's own monitors",
    ("v1/test_get_all_slos_returns_ok_response_with_pagination", None): "lists the recording org's own SLOs",
    ("v2/test_get_all_downtimes_returns_ok_response_with_pagination", None): "lists the recording org's own downtimes",
    ("v2/test_get_all_service_definitions_returns_ok_response_with_pagination", None): "lists the org's definitions",
    # Listings and searches of the recording org's own objects, which the recording never created (the ids
    # listed appear in no earlier request of the cassette): org state, not API behaviour.
    ("v1/test_get_all_downtimes_returns_ok_response", None): "lists the recording org's own downtimes",
    ("v2/test_get_all_downtimes_returns_ok_response", None): "lists the recording org's own downtimes",
    ("v2/test_get_all_service_definitions_returns_ok_response", None): "lists the org's definitions",
    ("v1/test_monitors_search_returns_ok_response", None): "searches the recording org's own monitors",
    ("v1/test_monitors_group_search_returns_ok_response", None): "searches the org's monitor groups",
    ("v1/test_search_for_slos_returns_ok_response", 1): "the search index answered another (older) SLO",
    ("v2/test_search_for_incidents_returns_ok_response", None): "searches the recording org's own incidents",
    ("v2/test_search_for_incidents_returns_ok_response_with_pagination", None): "searches the org's incidents",
    ("v2/test_get_a_list_of_incidents_returns_ok_response", None): "lists the recording org's own incidents",
    ("v2/test_get_a_list_of_incidents_returns_ok_response_with_pagination", None): "lists the org's incidents",
    ("v1/test_get_all_dashboards_returns_ok_response", None): "lists the recording org's own dashboards",
    ("v1/test_get_all_dashboards_returns_ok_response_with_pagination", None): "pages the org's own dashboards",
    ("v1/test_get_all_dashboard_lists_returns_ok_response", 1): "lists the recording's list and an org list",
    ("v1/test_get_all_slo_corrections_returns_ok_response", 2): "lists the recording org's own corrections",
    ("v1/test_get_all_slo_corrections_returns_ok_response_with_pagination", None): "pages the org's corrections",
    ("v2/test_get_active_downtimes_for_a_monitor_returns_ok_response", None): "reads an org monitor never created",
    ("v1/test_create_a_monitor_returns_ok_response", 0): "creates a role (roles API) for restricted_roles",
    ("v1/test_create_a_monitor_returns_ok_response", 3): "deletes that role",
    (
        "v2/test_create_or_update_service_definition_using_schema_v22_returns_created_response",
        1,
    ): "Datadog's eventual consistency: a DELETE right after the upsert answered 404",
    ("v2/test_create_or_update_service_definition_returns_created_response", 1): "the same eventual consistency",
    (
        "v2/test_create_or_update_service_definition_using_schema_v2_returns_created_response",
        1,
    ): "the same eventual consistency",
    # datadogpy's recordings: listings of that org's objects, and an older error text the corpus supersedes.
    ("datadogpy/TestDatadog.test_monitor_crud", 4): "lists the recording org's own monitors",
    ("datadogpy/TestDatadog.test_service_level_objective_crud", 2): "lists the recording org's own SLOs",
    ("retry/test_retry_errors", None): "server errors injected by the recorder's proxy, not API behaviour",
    ("retry/test_retry_rate_limit", None): "the org's rate-limit state at recording time",
}

# Interactions sent but not scored: their answers name org state the recording never created, but later
# interactions read what they did (listed in SPEC_EXCEPTIONS.md like the exclusions).
UNSCORED: dict[tuple[str, int], str] = {
    ("datadogpy/TestDogshell.test_downtime_cancel_by_scope", 1): "cancels an org downtime the recording never "
    "created besides its own, which the next interaction reads back canceled",
}
# Timestamps an imitation stamps from its clock while the recording's server stamped them a little later
# (the recording's requests took real time; the replay's clock stands still): equal within this many seconds.
CLOCK_SLACK_S = 5.0
# Epoch-second leaves the server stamps (ISO-8601 strings are recognised by their form).
EPOCH_KEYS = {"canceled"}

# Objects a recording reads without creating them: created first, reconstructed from the recorded
# answer (SPEC_EXCEPTIONS.md, "Replay preconditions").
PRECONDITIONS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "v2/test_delete_a_single_service_definition_returns_ok_response": [
        ("POST", "/api/v2/services/definitions", {"schema-version": "v2.2", "dd-service": "service-definition-test"})
    ],
    "v2/test_get_a_single_service_definition_returns_ok_response": [
        (
            "POST",
            "/api/v2/services/definitions",
            {
                "schema-version": "v2",
                "dd-service": "service-definition-test",
                "team": "my-team",
                "contacts": [{"name": "Team Email", "type": "email", "contact": "contact@datadoghq.com"}],
                "links": [{"name": "Runbook", "type": "runbook", "url": "https://my-runbook"}],
                "repos": [{"name": "Source Code", "provider": "GitHub", "url": "https://github.com/DataDog/schema"}],
                "docs": [{"name": "Architecture", "provider": "google drive", "url": "https://gdrive/mydoc"}],
                "tags": ["service:tag", "my:tag"],
                "integrations": {
                    "pagerduty": "https://my-org.pagerduty.com/service-directory/PMyService",
                    "opsgenie": {
                        "service-url": "https://my-org.opsgenie.com/service/123e4567-e89b-12d3-a456-426614174000",
                        "region": "US",
                    },
                },
                "extensions": {"myorgextension": "extensionvalue"},
            },
        )
    ],
}


@dataclass
class Score:
    name: str
    points: int = 0
    total: int = 0
    statuses: int = 0
    status_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.total if self.total else 100.0


def recordings() -> list[Cassette]:
    """The repository's own recordings, as cassettes."""
    return [
        _cassette(path) for folder in ("v1", "v2", "retry") for path in sorted((RECORDINGS / folder).glob("*.yaml"))
    ]


def legacy_client_recordings() -> list[Cassette]:
    """datadogpy's own recorded integration traffic (the legacy `datadog` library and its `dog` CLI against
    the real API): what those clients send, and what Datadog answered."""
    return [_cassette(path) for path in sorted((RECORDINGS / "datadogpy").glob("*.yaml"))]


def _cassette(path: Path) -> Cassette:
    frozen = path.with_suffix(".frozen")
    data = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    interactions = tuple(_textual(it) for it in data["interactions"])
    when = frozen.read_text().strip() if frozen.exists() else _answered_at(interactions)
    return Cassette(path.parent.name, "", path.stem, when, interactions)


def _answered_at(interactions: tuple[dict[str, Any], ...]) -> str:
    """A recording without its `.frozen` time is replayed at its first answer's `Date` header."""
    for it in interactions:
        for name, values in (it["response"].get("headers") or {}).items():
            if name.lower() == "date" and values:
                return email.utils.parsedate_to_datetime(values[0]).isoformat()
    return ""


def _textual(interaction: dict[str, Any]) -> dict[str, Any]:
    """vcrpy stores some bodies as (gzip'd) bytes; the harness compares text."""
    req, resp = dict(interaction["request"]), dict(interaction["response"])
    if isinstance(req.get("body"), bytes):
        req["body"] = req["body"].decode()
    raw = resp["body"]["string"]
    if isinstance(raw, bytes):
        raw = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode()
    return {"request": req, "response": {**resp, "body": {"string": raw}}}


def public_corpus() -> tuple[Cassette, ...]:
    return corpus.load()


def key(cassette: Cassette) -> str:
    """`v1/test_...`: upstream reuses scenario names across API versions (v1 and v2 downtimes)."""
    return f"{cassette.version}/{cassette.name}"


def excluded(name: str, index: int) -> bool:
    return (name, None) in EXCLUDED or (name, index) in EXCLUDED


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in VOLATILE_KEYS:
                continue
            yield from _leaves(v, f"{path}/{k}")
    elif isinstance(value, list):
        if not value or all(not isinstance(v, dict | list) for v in value):
            yield path, sorted(value, key=repr)  # Datadog reorders scalar lists (notify_end_states, tags)
            return
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}/{i}")
    elif not VOLATILE_PATHS.match(path):
        yield path, value


def _at(value: Any, path: str) -> tuple[bool, Any]:
    for part in [p for p in path.split("/") if p]:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False, None
    return True, value


def _instant(value: Any) -> float | None:
    if not isinstance(value, str) or len(value) < 19 or value[4] != "-" or value[10] != "T":
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _same_instant(path: str, recorded: Any, ours: Any) -> bool:
    """Server-stamped timestamps (a cancel, a deletion, a resolution) compare within CLOCK_SLACK_S."""
    if path.rsplit("/", 1)[-1] in EPOCH_KEYS and all(isinstance(v, int | float) for v in (recorded, ours)):
        return abs(float(recorded) - float(ours)) <= CLOCK_SLACK_S
    a, b = _instant(recorded), _instant(ours)
    return a is not None and b is not None and abs(a - b) <= CLOCK_SLACK_S


def _same(recorded: Any, ours: Any) -> bool:
    if isinstance(recorded, list) and isinstance(ours, list):
        return recorded == sorted(ours, key=repr)
    if isinstance(recorded, bool) or isinstance(ours, bool):
        return recorded is ours
    if isinstance(recorded, int | float) and isinstance(ours, int | float):
        return float(recorded) == float(ours)
    return bool(recorded == ours)


def _learn(recorded: Any, ours: Any, ids: dict[str, str]) -> None:
    """Pair ids at the same paths (`id`, `*_id`) so later requests address the sandbox's objects."""
    if isinstance(recorded, dict) and isinstance(ours, dict):
        for k, v in recorded.items():
            if k not in ours:
                continue
            if (
                (k in ("id", "token") or k.endswith("_id"))
                and isinstance(v, str | int)
                and isinstance(ours[k], str | int)
            ):
                if str(v) != str(ours[k]) and IDISH.match(str(v)):
                    ids.setdefault(str(v), str(ours[k]))
            else:
                _learn(v, ours[k], ids)
    elif isinstance(recorded, list) and isinstance(ours, list):
        for a, b in zip(recorded, ours, strict=False):
            _learn(a, b, ids)


def _mapped(text: str, ids: dict[str, str]) -> str:
    for old, new in ids.items():
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(old)}(?![A-Za-z0-9])", new, text)
    return text


class Replayer:
    """One sandbox for many cassettes, reset before each; requests answered in process (`SandboxHandle.call`:
    the same gate and handlers as over HTTPS, a fraction of the time for ~1,000 requests)."""

    def __init__(self, handle: SandboxHandle) -> None:
        self.handle = handle
        self.headers = {
            "DD-API-KEY": handle.credentials["datadog_api_key"],
            "DD-APPLICATION-KEY": handle.credentials["datadog_app_key"],
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def _send(self, method: str, target: str, body: str | None) -> tuple[int, bytes]:
        return self.handle.call(method, target, self.headers, body.encode() if body else None)

    def replay(self, cassette: Cassette) -> Score:
        self.handle.reset()
        if cassette.frozen:
            self.handle.set_clock(dt.datetime.fromisoformat(cassette.frozen.replace("Z", "+00:00")))
        score = Score(key(cassette))
        ids: dict[str, str] = {}
        for method, target, precondition in PRECONDITIONS.get(key(cassette), []):
            status, data = self._send(method, target, json.dumps(precondition))
            assert status < 300, (target, data)
        for index, it in enumerate(cassette.interactions):
            if (key(cassette), index) in UNSCORED:
                self._interaction(Score(score.name), index, it, ids)
            elif not excluded(key(cassette), index):
                self._interaction(score, index, it, ids)
        return score

    def _interaction(self, score: Score, index: int, it: dict[str, Any], ids: dict[str, str]) -> None:
        req, resp = it["request"], it["response"]
        uri = _mapped(HOST.sub("", req["uri"]), ids)
        body = _mapped(req["body"], ids) if req.get("body") else None
        status, data = self._send(req["method"], uri, body)
        label = f"#{index} {req['method']} {uri.split('?')[0]}"
        score.total += 1
        score.status_total += 1
        if status == resp["status"]["code"]:
            score.points += 1
            score.statuses += 1
        else:
            score.misses.append(f"{label}: status {status}, recorded {resp['status']['code']}")
        raw = resp["body"]["string"]
        if not raw.strip():
            return
        try:
            recorded = json.loads(raw)
        except ValueError:
            return  # a non-JSON answer (HTML error page): its status is all there is to compare
        try:
            ours = json.loads(data.decode() or "null")
        except ValueError:
            ours = None
        _learn(recorded, ours, ids)
        recorded = json.loads(_mapped(raw, ids))
        for leaf, value in _leaves(recorded):
            score.total += 1
            found, mine = _at(ours, leaf)
            if found and (_same(value, mine) or _same_instant(leaf, value, mine)):
                score.points += 1
            else:
                score.misses.append(f"{label}: {leaf} = {value!r}, sandbox {'lacks it' if not found else repr(mine)}")


def replay_all(handle: SandboxHandle, cassettes: Iterable[Cassette]) -> list[Score]:
    replayer = Replayer(handle)
    return [replayer.replay(c) for c in cassettes if (key(c), None) not in EXCLUDED]


def summary(scores: list[Score]) -> tuple[float, int, int]:
    points, total = sum(s.points for s in scores), sum(s.total for s in scores)
    return (100.0 * points / total if total else 100.0), points, total
