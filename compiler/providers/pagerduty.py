"""PagerDuty live state through python-pagerduty: bulk reads and the writes apply needs.

Every index is read with the classic pagination at the largest page (100):
schedules with their layers (``include[]=schedule_layers``), escalation
policies, services with their integrations (``include[]=integrations``),
open maintenance windows, and users (to resolve people by email). PagerDuty
objects carry alertc's marker line in their description; integrations have
no field for it and belong to alertc when their service does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pagerduty

from compiler.errors import TargetError
from compiler.plan import LiveObject
from compiler.providers.kinds import KindSpec, get_spec
from compiler.providers.ownership import ownership_key
from compiler.providers.pagerduty_paths import collection_path, entity_name, item_path
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RetryPolicy

T = TypeVar("T")
PAGE = 100
DATADOG_VENDOR_ID = "PAM4FGS"


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
    provider = "pagerduty"

    def __init__(self, client: pagerduty.RestApiV2Client, limiter: RateLimiter, retry: RetryPolicy) -> None:
        self.client = client
        self.limiter = limiter
        self.retry = retry
        self.users: dict[str, str] = {}

    def _call(self, spec: KindSpec, fn: Callable[[], T], *, idempotent: bool = True, what: str = "") -> T:
        try:
            return self.retry.call(fn, family=spec.api_family, idempotent=idempotent, limiter=self.limiter, what=what)
        except pagerduty.Error as exc:
            raise TargetError(f"PagerDuty {what or spec.kind}: {error_text(exc)}") from exc

    def list_index(self, spec: KindSpec, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One index, all pages; each page is one retried call so a 429 mid-way resumes at that page."""
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            query = {**(params or {}), "limit": PAGE, "offset": offset}
            page = self._call(spec, lambda q=query: self.client.jget(path, params=q), what=f"list {path}")  # type: ignore[misc]
            assert isinstance(page, dict)
            batch = page.get(path, [])
            items.extend(batch)
            if not page.get("more") or not batch:
                return items
            offset += len(batch)

    def _live(self, spec: KindSpec, body: dict[str, Any]) -> LiveObject:
        full_key = ownership_key(spec, body)
        key = full_key.split("/", 1)[1] if full_key and "/" in full_key else None
        name = str(body.get("name") or body.get("description") or body.get("summary") or "")
        return LiveObject("pagerduty", spec.kind, str(body["id"]), name, body, key)

    # --- reads ------------------------------------------------------------------------------

    def read_users(self) -> dict[str, str]:
        spec = get_spec("pagerduty", "service")
        self.users = {str(u["email"]).lower(): str(u["id"]) for u in self.list_index(spec, "users")}
        return self.users

    def read(self) -> list[LiveObject]:
        out: list[LiveObject] = []
        schedule = get_spec("pagerduty", "schedule")
        out += [
            self._live(schedule, b) for b in self.list_index(schedule, "schedules", {"include[]": ["schedule_layers"]})
        ]
        policy = get_spec("pagerduty", "escalation_policy")
        out += [self._live(policy, b) for b in self.list_index(policy, "escalation_policies")]
        service = get_spec("pagerduty", "service")
        integration = get_spec("pagerduty", "integration")
        for body in self.list_index(service, "services", {"include[]": ["integrations"]}):
            live = self._live(service, body)
            out.append(live)
            for item in body.get("integrations") or []:
                vendor = (item.get("vendor") or {}).get("id")
                is_datadog = vendor == DATADOG_VENDOR_ID or str(item.get("summary", "")).lower() == "datadog"
                is_email = str(item.get("type", "")).startswith("generic_email_inbound_integration")
                if not (is_datadog or is_email):
                    continue
                key = live.key if is_datadog or live.key is None else f"{live.key}.email"  # compile's keys
                item_body = {**item, "service": {"id": body["id"], "type": "service_reference"}}
                out.append(LiveObject("pagerduty", integration.kind, str(item["id"]), live.name, item_body, key))
        window = get_spec("pagerduty", "maintenance_window")
        out += [self._live(window, b) for b in self.list_index(window, "maintenance_windows", {"filter": "open"})]
        return out

    def integration_key(self, service_id: str, integration_id: str) -> str:
        """The routing key Datadog needs; read only when wiring a new integration into Datadog."""
        spec = get_spec("pagerduty", "integration")
        body = self._call(
            spec,
            lambda: self.client.rget(f"services/{service_id}/integrations/{integration_id}"),
            what="read integration key",
        )
        assert isinstance(body, dict)
        return str(body["integration_key"])

    # --- writes -----------------------------------------------------------------------------

    def create(self, spec: KindSpec, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        path = collection_path(spec.kind, body)
        wrapped = {entity_name(spec.kind): body}
        created = self._call(
            spec, lambda: self.client.rpost(path, json=wrapped), idempotent=False, what=f"create {spec.kind}"
        )
        assert isinstance(created, dict)
        return str(created["id"]), created

    def update(self, spec: KindSpec, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        path = item_path(spec.kind, live_id, body)
        wrapped = {entity_name(spec.kind): body}
        updated = self._call(spec, lambda: self.client.rput(path, json=wrapped), what=f"update {spec.kind} {live_id}")
        assert isinstance(updated, dict)
        return updated

    def delete(self, spec: KindSpec, live_id: str, body: dict[str, Any] | None = None) -> None:
        path = item_path(spec.kind, live_id, body or {})
        try:
            self.retry.call(
                lambda: self.client.rdelete(path),
                family=spec.api_family,
                limiter=self.limiter,
                what=f"delete {spec.kind} {live_id}",
            )
        except pagerduty.Error as exc:
            response = getattr(exc, "response", None)
            status = getattr(response, "status_code", None)
            if status == 404:
                return  # already gone
            if status == 405 and spec.kind == "maintenance_window":
                return  # an ended window cannot be cancelled: it is already over (reference §2.5)
            raise TargetError(f"PagerDuty delete {spec.kind} {live_id}: {error_text(exc)}") from exc
