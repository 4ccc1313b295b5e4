"""Properties every normalizer must have, checked with hypothesis over the golden bodies.

* idempotent: normalize(normalize(x)) == normalize(x), also after random field removal;
* order-insensitive: shuffling a set-like list never changes the normalized form.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.providers.kinds import KindSpec, get_spec

GOLDEN = Path(__file__).parent / "golden"


def _bodies() -> list[tuple[KindSpec, dict[str, Any]]]:
    out = []
    for provider in ("datadog", "pagerduty"):
        for case in yaml.safe_load((GOLDEN / f"{provider}.yaml").read_text()):
            spec = get_spec(provider, case["kind"])
            out.append((spec, case["sent"]))
            out.append((spec, case["returned"]))
            out.append((spec, case["counter"]["returned"]))
    return out


BODIES = _bodies()

# Paths (inside the unwrapped object) of lists whose order carries no meaning.
SET_LIKE: dict[str, list[tuple[str, ...]]] = {
    "datadog:monitor": [("tags",), ("restricted_roles",), ("options", "notify_by"), ("options", "renotify_statuses")],
    "datadog:slo_alert": [("tags",)],
    "datadog:slo": [("tags",), ("monitor_ids",), ("groups",), ("thresholds",)],
    "datadog:downtime": [("notify_end_states",), ("notify_end_types",), ("monitor_identifier", "monitor_tags")],
    "datadog:service_definition": [("tags",), ("contacts",), ("links",), ("repos",), ("docs",)],
    "pagerduty:maintenance_window": [("services",)],
    "pagerduty:service": [("support_hours", "days_of_week"), ("scheduled_actions",)],
    "pagerduty:schedule": [],
    "pagerduty:escalation_policy": [("teams",)],
    "pagerduty:integration": [],
    "datadog:pagerduty_service_object": [],
}


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(BODIES), st.data())
def test_normalize_is_idempotent_even_with_fields_removed(item: tuple[KindSpec, dict[str, Any]], data: Any) -> None:
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
def test_set_like_lists_are_order_insensitive(item: tuple[KindSpec, dict[str, Any]], rnd: Any) -> None:
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
def test_ep_targets_are_order_insensitive(item: tuple[KindSpec, dict[str, Any]], rnd: Any) -> None:
    spec, body = item
    shuffled = copy.deepcopy(body)
    for rule in spec.unwrap(shuffled).get("escalation_rules", []):
        rnd.shuffle(rule.get("targets", []))
    assert spec.normalize(shuffled) == spec.normalize(body)


def test_every_kind_has_set_like_paths_declared() -> None:
    from compiler.providers.kinds import KINDS

    assert set(SET_LIKE) == set(KINDS)
