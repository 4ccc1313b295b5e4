"""Drift digest: stable, order-insensitive, and the drift classification it enables."""

from __future__ import annotations

from compiler.kinds import get_kind
from compiler.providers import ownership as own
from compiler.providers.digest import DriftCause, classify_drift, digest


def test_digest_is_short_stable_hex() -> None:
    d = digest({"b": 1, "a": [1, 2]})
    assert len(d) == 12 and int(d, 16) >= 0
    assert d == digest({"a": [1, 2], "b": 1})
    assert d != digest({"a": [2, 1], "b": 1})


def test_digest_of_normalized_body_ignores_marks_and_server_rewrites() -> None:
    spec = get_kind("datadog", "monitor")
    sent = {
        "type": "metric alert",
        "name": "n ",
        "query": "q",
        "tags": ["b", "a"],
        "options": {"thresholds": {"critical": 2}},
    }
    marked = own.add_ownership(spec, sent, "monitor/n", "0123456789ab")
    returned = {
        "type": "query alert",
        "name": "n",
        "query": "q",
        "tags": ["a", "b", *own.ownership_tags("monitor/n")],
        "options": {"thresholds": {"critical": 2.0}, "silenced": {}},
    }
    assert digest(spec.canonical_desired(sent)) == digest(spec.canonical_desired(marked))
    assert digest(spec.canonical_desired(sent)) == digest(spec.canonical_live(returned))


def test_classify_drift() -> None:
    assert classify_drift(stored="a", desired_digest="b", live_digest="c", in_sync=True) is DriftCause.IN_SYNC
    assert classify_drift(stored=None, desired_digest="b", live_digest="c", in_sync=False) is DriftCause.UNKNOWN
    assert (
        classify_drift(stored="b", desired_digest="b", live_digest="c", in_sync=False) is DriftCause.CHANGED_OUT_OF_BAND
    )
    assert classify_drift(stored="c", desired_digest="b", live_digest="c", in_sync=False) is DriftCause.PENDING_APPLY
    assert classify_drift(stored="x", desired_digest="b", live_digest="c", in_sync=False) is DriftCause.BOTH


def test_digest_round_trip_through_a_marker() -> None:
    spec = get_kind("pagerduty", "service")
    desired = {"service": {"name": "Identity", "description": "Owned by Identity"}}
    d = digest(spec.canonical_desired(desired))
    live = own.add_ownership(spec, desired, "service/identity", d)
    mark = own.read_ownership(spec, live)
    live_digest = digest(spec.canonical_live(live))
    assert mark.digest == d == live_digest
    # Definitions change; the live object is untouched: pending apply, not out-of-band.
    new_desired = {"service": {"name": "Identity", "description": "Owned by Identity Platform"}}
    cause = classify_drift(
        stored=mark.digest,
        desired_digest=digest(spec.canonical_desired(new_desired)),
        live_digest=live_digest,
        in_sync=False,
    )
    assert cause is DriftCause.PENDING_APPLY
