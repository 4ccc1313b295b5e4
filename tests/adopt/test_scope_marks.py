"""The owner (scope) in ownership marks, and which objects a scope manages."""

from __future__ import annotations

import pytest

from compiler.providers import ownership as own
from compiler.resources import LiveObject


def test_tags_carry_the_owner_and_read_back() -> None:
    tags = own.with_ownership_tags(["team:web"], "monitor/api", "0123456789ab", "identity")
    assert "alertc-owner:identity" in tags
    mark = own.parse_tags(tags)
    assert (mark.key, mark.owner, mark.digest) == ("monitor/api", "identity", "0123456789ab")
    assert own.strip_ownership_tags(tags) == ["team:web"]


def test_marker_carries_the_owner_and_older_markers_read_as_unscoped() -> None:
    text = own.with_marker("Pages the web team.", "service/api", "0123456789ab", owner="mobile")
    assert "Managed by alertc (key: service/api, owner: mobile, digest: 0123456789ab)." in text
    assert own.parse_marker(text).owner == "mobile"
    assert own.strip_marker(text) == "Pages the web team."
    old = own.parse_marker("Managed by alertc (key: service/api, digest: 0123456789ab).")
    assert old.managed and old.owner is None


def test_two_owners_on_one_object_make_it_unowned() -> None:
    tags = [*own.ownership_tags("monitor/api", owner="a"), "alertc-owner:b"]
    assert not own.parse_tags(tags).managed


@pytest.mark.parametrize("owner", ["Identity", "a b", "-x", "x" * 64, "a_b"])
def test_owner_must_be_a_tag_safe_slug(owner: str) -> None:
    with pytest.raises(ValueError, match="slug"):
        own.ownership_tags("monitor/api", owner=owner)


def _obj(key: str | None, owner: str | None) -> LiveObject:
    return LiveObject("datadog", "monitor", "1", "n", {}, key, owner=owner)


def test_a_scope_manages_its_own_objects_and_claimed_unscoped_ones_only() -> None:
    scope = own.Scope("identity", frozenset({"datadog:monitor/claimed"}))
    mine, other = _obj("mine", "identity"), _obj("theirs", "mobile")
    claimed, unclaimed, unowned = _obj("claimed", None), _obj("old", None), _obj(None, None)
    out = own.scoped([mine, other, claimed, unclaimed, unowned], scope)
    assert [o.address for o in out] == ["datadog:monitor/mine", None, "datadog:monitor/claimed", None, None]
    assert out[1].foreign_key == "theirs" and out[1].owner == "mobile"
    assert out[3].foreign_key == "old" and out[3].owner is None  # never deleted by a scoped run
    assert out[4].foreign_key is None


def test_without_an_owner_every_unscoped_object_is_managed_as_before_scopes() -> None:
    out = own.scoped([_obj("old", None), _obj("theirs", "mobile")], own.Scope(None))
    assert [o.address for o in out] == ["datadog:monitor/old", None]
