"""Reading a paged list with several pages in flight, without fetching much more than the list has.

A list read one page after another costs one round trip per page: 14 round
trips for 13,000 monitors. Two cases:

* The API says how many items there are (Datadog SLOs' ``metadata.page.total_count``,
  downtimes' ``meta.page.total_filtered_count``, PagerDuty's ``total=true``): after
  the first page, exactly the remaining pages are fetched, several at once.
* It does not (Datadog monitors, service definitions): pages are fetched
  speculatively in growing batches (1, 2, 4, ... up to the window) until a short
  page ends the list; at most ``window - 1`` requests are wasted on pages past
  the end.

The window is the caller's: the rate limiter's allowance for the list's family,
capped (``read_window``). Pages are returned in order, so the result is the
same as a sequential read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from compiler.providers.ratelimit import RateLimiter

MAX_PAGES_IN_FLIGHT = 4


@dataclass(frozen=True)
class Paging:
    """How one list endpoint pages: its parameters, and where a page keeps its items and the total.

    Pages are numbered from 0; an endpoint takes either a page ``number`` or an item ``offset``.
    """

    size: str  # the parameter carrying the page size
    number: str | None = None  # the 0-based page number parameter, or
    offset: str | None = None  # the parameter carrying the first item's index
    items: str | None = None  # the page's items are under this key (None: the page is the list)
    total: tuple[str, ...] = ()  # where the page says how long the list is (empty: it does not)

    def params(self, page: int, size: int) -> dict[str, Any]:
        """The parameters asking for page ``page`` of ``size`` items."""
        if self.offset is not None:
            return {self.offset: page * size, self.size: size}
        assert self.number is not None, "a Paging names a number or an offset parameter"
        return {self.number: page, self.size: size}

    def page(self, body: Any) -> tuple[list[Any], int | None]:
        """A response's items and the list's total (None when the page does not say)."""
        items = body.get(self.items) if self.items is not None and isinstance(body, dict) else body
        total: Any = body
        for key in self.total:
            total = total.get(key) if isinstance(total, dict) else None
        return list(items or ()), (total if self.total and isinstance(total, int) else None)


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, and the list's total size when the API says it."""

    items: list[Any]
    total: int | None = None


def read_window(limiter: RateLimiter, family: str, cap: int = MAX_PAGES_IN_FLIGHT) -> int:
    """How many pages may be in flight: the limiter's allowance for ``family``, at most ``cap``."""
    return max(1, min(cap, limiter.allowance(family, default=cap)))


def read_pages(fetch: Callable[[int], Page], size: int, window: int) -> list[Any]:
    """Every item of the list, in order; ``fetch(n)`` returns page ``n`` (0-based) of up to ``size`` items."""
    first = fetch(0)
    if len(first.items) < size:
        return first.items
    pages: list[list[Any]] = [first.items]
    if first.total is not None:
        numbers = range(1, math.ceil(first.total / size))
        with ThreadPoolExecutor(max_workers=max(1, window), thread_name_prefix="alertc-page") as pool:
            pages += [page.items for page in pool.map(fetch, numbers)]
        return [item for page in pages for item in page]
    start, batch = 1, 1
    with ThreadPoolExecutor(max_workers=max(1, window), thread_name_prefix="alertc-page") as pool:
        while True:
            for page in pool.map(fetch, range(start, start + batch)):
                pages.append(page.items)
                if len(page.items) < size:
                    return [item for page in pages for item in page]
            start += batch
            batch = min(batch * 2, max(1, window))
