"""Paged lists read with several pages in flight: the same items in order, few pages past the end."""

from __future__ import annotations

import threading

from hypothesis import given
from hypothesis import strategies as st

from compiler.providers.paging import Page, read_pages, read_window
from compiler.providers.ratelimit import RateLimiter


class FakeList:
    def __init__(self, count: int, size: int, *, with_total: bool) -> None:
        self.items = list(range(count))
        self.size = size
        self.with_total = with_total
        self.requested: list[int] = []
        self.lock = threading.Lock()

    def fetch(self, number: int) -> Page:
        with self.lock:
            self.requested.append(number)
        chunk = self.items[number * self.size : (number + 1) * self.size]
        return Page(chunk, len(self.items) if self.with_total else None)


@given(count=st.integers(0, 2500), window=st.integers(1, 6), with_total=st.booleans())
def test_every_item_in_order(count: int, window: int, with_total: bool) -> None:
    source = FakeList(count, 100, with_total=with_total)
    assert read_pages(source.fetch, 100, window) == source.items
    needed = count // 100 + 1  # up to and including the first short page
    if with_total:
        assert sorted(source.requested) == list(range(max(1, -(-count // 100))))  # exactly the pages that exist
    else:
        assert len(source.requested) - needed in range(window)  # at most window - 1 pages past the end
        assert len(set(source.requested)) == len(source.requested)


def test_without_a_total_the_batches_grow_to_the_window() -> None:
    source = FakeList(1350, 100, with_total=False)
    read_pages(source.fetch, 100, 4)
    # page 0; then 1; 2-3; 4-7; 8-11; 12-15 (13 is short): 16 requests for 14 pages
    assert sorted(source.requested) == list(range(16))


def test_the_window_is_the_limiters_allowance_capped() -> None:
    limiter = RateLimiter("datadog", low_water=1)
    assert read_window(limiter, "datadog:monitors") == 4  # nothing known yet: the cap
    limiter.observe("datadog:monitors", {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "3",
                                         "x-ratelimit-reset": "5"})  # fmt: skip
    assert read_window(limiter, "datadog:monitors") == 2  # 3 left, 1 kept as the low-water mark
    limiter.observe("datadog:monitors", {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "5"}, 429)
    assert read_window(limiter, "datadog:monitors") == 1  # blocked: one at a time (the limiter waits)
