"""One PagerDuty account (or sandbox) through python-pagerduty: paged reads and wrapped writes.

Which path a kind uses lives in its module (``compiler/kinds/pagerduty/``);
this module knows PagerDuty's conventions: classic pagination at the largest
page (100), entities wrapped in their singular name, errors turned into
``TargetError`` with PagerDuty's own sentences. It also reads users, which
alertc resolves people against but never manages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pagerduty

from compiler.errors import TargetError
from compiler.providers.paging import Page, read_pages, read_window
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import CallScope, RetryPolicy, Scope, is_transport_failure
from compiler.providers.shared_strings import SharedStrings

T = TypeVar("T")
PAGE = 100
REST = Scope("pagerduty:rest", "pagerduty")


def error_text(exc: pagerduty.Error) -> str:
    response = getattr(exc, "response", None)
    if response is None:
        return str(exc)
    try:
        payload = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = payload.get("error") if isinstance(payload, dict) else None
    text = f"HTTP {response.status_code}"
    if isinstance(error, dict):
        details = error.get("errors") or []
        text = f"HTTP {response.status_code}: {error.get('message', '')}"
        text += ": " + "; ".join(str(d) for d in details) if details else ""
    if response.status_code in (401, 403):
        text += "\n  hint: check PAGERDUTY_TOKEN (a REST API key of the account) and PAGERDUTY_FROM"
    return text


class PagerDutyProvider:
    """One PagerDuty account (or sandbox): the paced, retried call helpers kinds use."""

    provider = "pagerduty"

    def __init__(self, client: pagerduty.RestApiV2Client, limiter: RateLimiter, retry: RetryPolicy) -> None:
        self.client = client
        self.limiter = limiter
        self.retry = retry
        self.users: dict[str, str] = {}
        self.strings = SharedStrings()  # set by the live read: listed items share the desired strings

    def call(self, scope: CallScope, fn: Callable[[], T], *, idempotent: bool = True, what: str = "") -> T:
        """``fn`` paced and retried under ``scope``'s API family; API and transport errors become TargetError."""
        try:
            return self.retry.call(fn, family=scope.api_family, idempotent=idempotent, limiter=self.limiter, what=what)
        except pagerduty.Error as exc:
            raise TargetError(f"PagerDuty {what or scope.kind}: {error_text(exc)}") from exc
        except Exception as exc:
            if is_transport_failure(exc):  # e.g. a create whose response was lost: apply decides what next
                raise TargetError(f"PagerDuty {what or scope.kind}: {type(exc).__name__}: {exc}") from exc
            raise

    def _entity(self, answer: object, what: str) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise TargetError(f"PagerDuty {what}: expected an object in the response, got {type(answer).__name__}")
        return answer

    def list_index(
        self, scope: CallScope, path: str, params: dict[str, Any] | None = None, *, page_size: int = PAGE
    ) -> list[dict[str, Any]]:
        """One index, all pages, several in flight; each page is one retried call (a 429 resumes at that page).

        ``total=true`` makes PagerDuty say how many items there are, so after the
        first page exactly the remaining pages are fetched (``paging.read_pages``).
        """
        what = f"list {path}"

        def fetch(number: int) -> Page:
            query = {**(params or {}), "limit": page_size, "offset": number * page_size, "total": "true"}
            page = self._entity(self.call(scope, lambda: self.client.jget(path, params=query), what=what), what)
            total = page.get("total")
            return Page(
                [self.strings.share(i) for i in page.get(path) or []], total if isinstance(total, int) else None
            )

        return read_pages(fetch, page_size, read_window(self.limiter, scope.api_family))

    def get(self, scope: CallScope, path: str, *, what: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One entity, unwrapped."""
        return self._entity(self.call(scope, lambda: self.client.rget(path, params=params), what=what), what)

    def get_or_none(
        self, scope: CallScope, path: str, *, what: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """One entity, or None when PagerDuty answers 404; paced and retried like every other call."""
        try:
            return self.get(scope, path, what=what, params=params)
        except TargetError as exc:
            if getattr(getattr(exc.__cause__, "response", None), "status_code", None) == 404:
                return None
            raise

    def post(self, scope: CallScope, path: str, wrapper: str, body: dict[str, Any], *, what: str) -> dict[str, Any]:
        """Create: the body wrapped in its entity name; never retried blindly (not idempotent)."""
        answer = self.call(scope, lambda: self.client.rpost(path, json={wrapper: body}), idempotent=False, what=what)
        return self._entity(answer, what)

    def put(self, scope: CallScope, path: str, wrapper: str, body: dict[str, Any], *, what: str) -> dict[str, Any]:
        """Update: the body wrapped in its entity name."""
        return self._entity(self.call(scope, lambda: self.client.rput(path, json={wrapper: body}), what=what), what)

    def delete(self, scope: CallScope, path: str, *, what: str, done_statuses: tuple[int, ...] = (404,)) -> None:
        """A delete; the statuses in ``done_statuses`` (404: already gone) count as success."""
        try:
            self.retry.call(lambda: self.client.rdelete(path), family=scope.api_family, limiter=self.limiter, what=what)
        except pagerduty.Error as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status in done_statuses:
                return
            raise TargetError(f"PagerDuty {what}: {error_text(exc)}") from exc

    def read_users(self) -> dict[str, str]:
        """Email (lowercased) → user id: people are resolved against these, never created."""
        self.users = {str(u["email"]).lower(): str(u["id"]) for u in self.list_index(REST, "users")}
        return self.users
