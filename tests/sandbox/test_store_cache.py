"""The store's read cache: exact across processes and rollbacks, and it makes paging linear (issue 15)."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest

from compiler.sandbox import start_embedded
from compiler.sandbox import store as store_module
from compiler.sandbox.store import Store
from tests.sandbox.http import dd_headers, send


def test_a_write_through_another_connection_is_seen(tmp_path: Path) -> None:
    a, b = Store(tmp_path), Store(tmp_path)
    try:
        a.put("k", "1", {"v": 1})
        assert [o["v"] for o in b.list("k")] == [1]  # cached in b now
        a.put("k", "1", {"v": 2})
        a.put("k", "2", {"v": 3})
        assert [o["v"] for o in b.list("k")] == [2, 3]
        assert b.derived("n", ("k",), lambda: len(b.list("k"))) == 2
        a.delete("k", "2")
        assert b.derived("n", ("k",), lambda: len(b.list("k"))) == 1
    finally:
        a.close(), b.close()


def test_a_rolled_back_write_leaves_no_trace_in_the_cache(tmp_path: Path) -> None:
    s = Store(tmp_path)
    with pytest.raises(RuntimeError), s.transaction():
        s.put("k", "1", {"v": 1})
        assert len(s.list("k")) == 1
        raise RuntimeError
    assert s.list("k") == []
    s.close()


def test_list_hands_out_copies_and_derived_follows_only_its_kinds(tmp_path: Path) -> None:
    s = Store(tmp_path)
    s.put("k", "1", {"v": 1})
    s.list("k")[0]["v"] = 99
    assert s.list("k")[0]["v"] == 1
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(s.list("k"))

    assert s.derived("n", ("k",), build) == 1
    s.put("other", "1", {})
    assert s.derived("n", ("k",), build) == 1 and len(builds) == 1  # another kind changed: reused
    s.put("k", "2", {"v": 2})
    assert s.derived("n", ("k",), build) == 2 and len(builds) == 2
    s.close()


def test_paging_and_rendering_decode_each_object_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear, not quadratic: 5 pages of monitors and 3 SLO lists (each SLO rendering its alerts)
    decode every stored object once, where per-request reads decoded the whole kind per page and per SLO."""
    decoded = 0

    def counting_loads(text: Any) -> Any:
        nonlocal decoded
        decoded += 1
        return json.loads(text)

    with start_embedded(tmp_path) as sb:
        h = dd_headers(sb)
        for i in range(50):
            body = {"name": f"m{i}", "type": "metric alert", "query": f"avg(last_5m):avg:a{{r:{i}}} > 1"}
            assert send(sb, "POST", "/api/v1/monitor", json.dumps(body).encode(), h).status == 200
        for i in range(10):
            query = {"numerator": f"sum:ok{{r:{i}}}.as_count()", "denominator": f"sum:all{{r:{i}}}.as_count()"}
            slo = {
                "name": f"s{i}",
                "type": "metric",
                "thresholds": [{"timeframe": "30d", "target": 99.9}],
                "query": query,
            }
            assert send(sb, "POST", "/api/v1/slo", json.dumps(slo).encode(), h).status == 200
        monkeypatch.setattr(store_module, "json", types.SimpleNamespace(loads=counting_loads, dumps=json.dumps))
        names = []
        for page in range(5):
            got = send(sb, "GET", f"/api/v1/monitor?page_size=10&page={page}", headers=h).json()
            names += [m["name"] for m in got]
        for _ in range(3):
            assert len(send(sb, "GET", "/api/v1/slo?limit=1000", headers=h).json()["data"]) == 10
    assert names == [f"m{i}" for i in range(50)]
    assert decoded <= 50 + 10 + 5  # monitors + SLOs once each, plus a few single-object reads


def test_writes_update_the_cached_kind_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A create, update or delete keeps the decoded kind: an apply's find-by-key list before each create
    no longer decodes every stored object again (10,000 creates were 10,000 decodes of the whole kind)."""
    s = Store(tmp_path)
    for i in range(10):
        s.put("k", str(i), {"v": i})
    assert len(s.list("k")) == 10
    decoded = 0

    def counting_loads(text: Any) -> Any:
        nonlocal decoded
        decoded += 1
        return json.loads(text)

    monkeypatch.setattr(store_module, "json", types.SimpleNamespace(loads=counting_loads, dumps=json.dumps))
    s.put("k", "1", {"v": 100})  # an update keeps its place in creation order
    s.put("k", "10", {"v": 10})  # a create goes last
    s.delete("k", "2")
    assert [o["v"] for o in s.list("k")] == [0, 100, 3, 4, 5, 6, 7, 8, 9, 10]
    assert decoded == 2  # one per written object, none for the list
    s.close()
    reopened = Store(tmp_path)
    assert [o["v"] for o in reopened.list("k")] == [0, 100, 3, 4, 5, 6, 7, 8, 9, 10]  # the database's order
    reopened.close()


def test_having_follows_every_write_and_other_connections(tmp_path: Path) -> None:
    """The tag index answers find-by-key lists without scanning the kind; it must never go stale."""
    a, b = Store(tmp_path), Store(tmp_path)
    try:
        a.put("m", "1", {"id": 1, "tags": ["k:a", "env:prod"]})
        a.put("m", "2", {"id": 2, "tags": ["k:b", "env:prod"]})
        assert [o["id"] for o in a.having("m", "tags", "env:prod")] == [1, 2]
        a.put("m", "1", {"id": 1, "tags": ["k:c"]})  # an update moves the object between values
        a.put("m", "3", {"id": 3, "tags": ["k:a"]})
        assert [o["id"] for o in a.having("m", "tags", "k:a")] == [3]
        assert [o["id"] for o in a.having("m", "tags", "k:c")] == [1]
        a.delete("m", "2")
        assert a.having("m", "tags", "env:prod") == []
        with pytest.raises(RuntimeError), a.transaction():
            a.put("m", "4", {"id": 4, "tags": ["k:a"]})
            raise RuntimeError
        assert [o["id"] for o in a.having("m", "tags", "k:a")] == [3]
        assert [o["id"] for o in b.having("m", "tags", "k:a")] == [3]
        b.put("m", "5", {"id": 5, "tags": ["k:a"]})  # another connection's commit
        assert [o["id"] for o in a.having("m", "tags", "k:a")] == [3, 5]
        a.having("m", "tags", "k:a")[0]["tags"] = ["changed"]  # copies: the store is unchanged
        assert [o["id"] for o in a.having("m", "tags", "k:a")] == [3, 5]
    finally:
        a.close(), b.close()
