"""Properties every normalizer must have, checked with hypothesis over the golden bodies.

* idempotent: normalize(normalize(x)) == normalize(x), also after random field removal;
* order-insensitive: shuffling a set-like list never changes the normalized form.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.kinds import ResourceKind, all_kinds, get_kind

GOLDEN = Path(__file__).parent / "golden"


def _bodies() -> list[tuple[ResourceKind, dict[str, Any]]]:
    out = []
    for provider in ("datadog", "pagerduty"):
        for case in yaml.safe_load((GOLDEN / f"{provider}.yaml").read_text()):
            spec = get_kind(provider, case["kind"])
            out.append((spec, case["sent"]))
            out.append((spec, case["returned"]))
            out.append((spec, case["counter"]["returned"]))
    return out


BODIES = _bodies()

# Paths (inside the unwrapped object) of lists whose order carries no meaning: each kind declares its own.
SET_LIKE: dict[str, list[str]] = {k.address: list(k.order_free) for k in all_kinds()}


def _get(obj: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BODIES), st.data())
def test_normalize_is_idempotent_even_with_fields_removed(item: tuple[ResourceKind, dict[str, Any]], data: Any) -> None:
    spec, body = item
    body = copy.deepcopy(body)
    inner = spec.unwrap(body)
    for key in sorted(inner):
        if data.draw(st.booleans(), label=f"drop {key}"):
            del inner[key]
    once = spec.normalize(body)
    assert spec.normalize(once) == once
    live_once = spec.canonical_live(body)
    assert spec.normalize(live_once) == live_once


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BODIES), st.randoms(use_true_random=False))
def test_set_like_lists_are_order_insensitive(item: tuple[ResourceKind, dict[str, Any]], rnd: Any) -> None:
    spec, body = item
    shuffled = copy.deepcopy(body)
    inner = spec.unwrap(shuffled)
    for path in SET_LIKE[spec.address]:
        value = _get(inner, path)
        if isinstance(value, list):
            rnd.shuffle(value)
    assert spec.normalize(shuffled) == spec.normalize(body)


EP_BODIES = [b for b in BODIES if b[0].kind == "escalation_policy"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(EP_BODIES), st.randoms(use_true_random=False))
def test_ep_targets_are_order_insensitive(item: tuple[ResourceKind, dict[str, Any]], rnd: Any) -> None:
    spec, body = item
    shuffled = copy.deepcopy(body)
    for rule in spec.unwrap(shuffled).get("escalation_rules", []):
        rnd.shuffle(rule.get("targets", []))
    assert spec.normalize(shuffled) == spec.normalize(body)


def test_pagerduty_references_in_order_free_lists_are_declared() -> None:
    """The escalation policy's teams are a set; services' days of the week too."""
    assert "teams" in SET_LIKE["pagerduty:escalation_policy"]
    assert "support_hours.days_of_week" in SET_LIKE["pagerduty:service"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(BODIES))
def test_normalize_leaves_its_input_unchanged(item: tuple[ResourceKind, dict[str, Any]]) -> None:
    """Normalizers copy only what they change (no deep copy per object), and never the caller's body."""
    spec, body = item
    before = copy.deepcopy(body)
    spec.normalize(body)
    spec.canonical_live(body)
    assert body == before


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(BODIES), st.sampled_from(BODIES))
def test_reconcile_leaves_both_forms_unchanged(
    desired_item: tuple[ResourceKind, dict[str, Any]], live_item: tuple[ResourceKind, dict[str, Any]]
) -> None:
    """Reconcilers copy only what they align, so a normalized live form can be shared safely."""
    spec, desired_body = desired_item
    if live_item[0] is not spec:
        return
    desired, live = spec.canonical_desired(desired_body), spec.canonical_live(live_item[1])
    before = copy.deepcopy((desired, live))
    spec.reconcile(desired, live, datetime(2026, 11, 30, tzinfo=UTC))
    assert (desired, live) == before
