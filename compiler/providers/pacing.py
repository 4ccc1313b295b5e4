"""Running many API calls at the concurrency the rate-limit headers allow, not a fixed number.

A fixed pool of 4 left most of Datadog's allowance unused (issue 15: 1,000
monitor creates took 1.56× the rate-limit floor at 50 ms latency, never a 429);
a fixed large pool would spend a small allowance at once. ``paced_map`` keeps
``limiter.concurrency(family)`` calls in flight, re-reading it every time a call
finishes: two while nothing is known, a tenth of the window's budget once a
response has named the limit (capped), one while a 429 blocks the bucket. Each
call still goes through the limiter's ``acquire`` (in the retry policy), which
waits when the window's budget is spent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from compiler.providers.ratelimit import RateLimiter

T = TypeVar("T")
R = TypeVar("R")


def paced_map(
    fn: Callable[[T], R], items: Sequence[T], *, limiter: RateLimiter, family: str, cap: int | None = None
) -> list[R]:
    """``[fn(item) for item in items]``, at most ``limiter.concurrency(family)`` (and ``cap``) at once.

    Results are in the order of ``items``; the first exception raised by ``fn`` is re-raised
    once the calls already started have finished.
    """
    if not items:
        return []
    ceiling = max(1, min(cap or limiter.max_in_flight, len(items), limiter.max_in_flight))
    results: dict[int, R] = {}
    pending: dict[Future[R], int] = {}
    queue = iter(enumerate(items))
    exhausted = False
    error: BaseException | None = None
    with ThreadPoolExecutor(max_workers=ceiling, thread_name_prefix="alertc-paced") as pool:
        while True:
            target = min(ceiling, limiter.concurrency(family))
            while not exhausted and error is None and len(pending) < target:
                entry = next(queue, None)
                if entry is None:
                    exhausted = True
                    break
                pending[pool.submit(fn, entry[1])] = entry[0]
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                exc = future.exception()
                if exc is not None:
                    error = error or exc
                else:
                    results[index] = future.result()
    if error is not None:
        raise error
    return [results[i] for i in range(len(items))]
