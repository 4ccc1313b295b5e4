"""Ownership marks: tags on Datadog objects, a marker line elsewhere."""

from __future__ import annotations

import pytest

from compiler.kinds import get_kind
from compiler.providers import ownership as own

KEY = "service/identity-api"
DIGEST = "0123456789ab"


def test_marker_line_round_trips() -> None:
    line = own.marker_line(KEY, DIGEST)
    assert line == (
        "Managed by alertc (key: service/identity-api, digest: 0123456789ab). "
        "Edits made outside alertc are overwritten."
    )
    assert own.parse_marker(line) == own.OwnershipMark(managed=True, key=KEY, digest=DIGEST)


@pytest.mark.parametrize(
    "text",
    [
        "Owned by Identity.\n\nManaged by alertc (key: service/identity-api, digest: 0123456789ab).",
        "managed  by ALERTC ( key:service/identity-api ,digest: 0123456789AB )",
        "Edited by a human\nManaged by alertc (key: service/identity-api, digest: 0123456789ab). blah\nmore",
    ],
)
def test_parser_tolerates_user_edits(text: str) -> None:
    mark = own.parse_marker(text)
    assert mark.managed and mark.key == KEY and mark.digest == DIGEST


def test_marker_without_digest_is_still_owned() -> None:
    assert own.parse_marker("Managed by alertc (key: service/identity-api)") == own.OwnershipMark(True, KEY)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Managed by Terraform",
        "Managed by alertc (key: service/a). Managed by alertc (key: service/b).",
    ],
)
def test_no_or_ambiguous_marker_is_not_managed(text: str | None) -> None:
    assert not own.parse_marker(text).managed


def test_strip_marker_keeps_user_text() -> None:
    text = "Owned by Identity.\nSecond line\n\n" + own.marker_line(KEY, DIGEST)
    assert own.strip_marker(text) == "Owned by Identity.\nSecond line"
    assert own.strip_marker("Intro. Managed by alertc (key: service/identity-api). Outro") == "Intro.  Outro"
    assert own.strip_marker("no marker  ") == "no marker  "


def test_with_marker_replaces_an_old_marker() -> None:
    once = own.with_marker("Owned by Identity.", KEY, "aaaaaaaaaaaa")
    twice = own.with_marker(once, KEY, DIGEST)
    assert twice == "Owned by Identity.\n\n" + own.marker_line(KEY, DIGEST)
    assert own.with_marker(None, KEY) == own.marker_line(KEY)


def test_tags_round_trip_and_replace_stale_marks() -> None:
    tags = own.with_ownership_tags(["team:identity", "alertc-digest:aaaaaaaaaaaa"], "monitor/login", DIGEST)
    assert tags == ["team:identity", "managed-by:alertc", "alertc-key:monitor/login", "alertc-digest:0123456789ab"]
    assert own.parse_tags(tags) == own.OwnershipMark(True, "monitor/login", DIGEST)


def test_tags_without_managed_by_or_with_two_keys_are_not_owned() -> None:
    assert not own.parse_tags(["alertc-key:monitor/login"]).managed
    assert not own.parse_tags(["managed-by:alertc", "alertc-key:monitor/a", "alertc-key:monitor/b"]).managed
    assert not own.parse_tags(None).managed


@pytest.mark.parametrize("key", ["Monitor/Login", "monitor", "monitor/a b", "monitor/a,b", "/x"])
def test_keys_must_survive_tag_normalization(key: str) -> None:
    with pytest.raises(ValueError, match="ownership key"):
        own.ownership_tags(key)


def test_bad_digest_rejected() -> None:
    with pytest.raises(ValueError, match="digest"):
        own.marker_line(KEY, "XYZ")


def test_add_ownership_per_kind_and_read_back() -> None:
    cases = [
        (get_kind("datadog", "monitor"), {"name": "m", "tags": ["team:x"]}, "monitor/m"),
        (get_kind("datadog", "slo"), {"name": "s"}, "slo/s"),
        (get_kind("datadog", "service_definition"), {"dd-service": "svc"}, "service_definition/svc"),
        (
            get_kind("datadog", "downtime"),
            {"data": {"type": "downtime", "attributes": {"message": "banner", "scope": "env:prod"}}},
            "downtime/login",
        ),
        (get_kind("pagerduty", "service"), {"service": {"name": "Identity", "description": None}}, KEY),
        (get_kind("pagerduty", "schedule"), {"schedule": {"name": "S"}}, "schedule/s"),
        (get_kind("pagerduty", "escalation_policy"), {"name": "E", "description": "x"}, "escalation_policy/e"),
        (get_kind("pagerduty", "maintenance_window"), {"maintenance_window": {}}, "maintenance_window/m"),
    ]
    for spec, body, key in cases:
        original = repr(body)
        marked = own.add_ownership(spec, body, key, DIGEST)
        assert repr(body) == original, "input must not be modified"
        assert own.is_managed(spec, marked), spec.address
        assert own.ownership_key(spec, marked) == key
        assert own.read_ownership(spec, marked).digest == DIGEST
        assert not own.is_managed(spec, body)
        # The marks never reach the diff.
        assert spec.canonical_desired(marked) == spec.canonical_desired(body), spec.address


def test_downtime_marker_lands_in_message() -> None:
    spec = get_kind("datadog", "downtime")
    marked = own.add_ownership(spec, {"data": {"attributes": {"message": "banner"}}}, "downtime/login")
    assert marked["data"]["attributes"]["message"].startswith("banner\n\nManaged by alertc (key: downtime/login)")


def test_inherited_kinds_carry_no_mark() -> None:
    for spec in (get_kind("pagerduty", "integration"), get_kind("datadog", "pagerduty_service_object")):
        body = {"name": "Datadog", "service_name": "x"}
        assert own.add_ownership(spec, body, "integration/x") == body
        assert not own.is_managed(spec, body)
        assert own.ownership_key(spec, body) is None
        assert spec.ownership.parent == "pagerduty:service"


def test_marker_stays_above_the_text_consumers_read_to_the_end() -> None:
    """VA's banner backend shows users everything after USER_MESSAGE:, so the marker must come before it."""
    text = "Login.gov maintenance\nUSER_MESSAGE: Login.gov sign-in is unavailable."
    marked = own.with_marker(text, "maintenance_window/w", "0123456789ab", before="USER_MESSAGE:")
    assert marked.split("USER_MESSAGE:", 1)[1] == " Login.gov sign-in is unavailable."
    assert "Managed by alertc (key: maintenance_window/w" in marked.split("USER_MESSAGE:", 1)[0]
    assert own.strip_marker(marked) == text
    assert own.with_marker(marked, "maintenance_window/w", "0123456789ab", before="USER_MESSAGE:") == marked
