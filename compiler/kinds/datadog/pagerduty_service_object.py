"""Datadog's PagerDuty service objects: no list endpoint (§1.7), ``service_key`` write-only.

They are read in bulk with ``GET /api/v1/integration/pagerduty``, the legacy
whole-integration endpoint (it lists every service object, keys masked; the
Terraform provider reads it too). Fallback: when the account does not answer it
(an error status other than a rate limit or a server error, e.g. 404 where the
integration was never set up through that endpoint, or 403 for a key without
the integration scope), they are read by name, a few at a time, only for the
PagerDuty services alertc manages or wants. Either way an object is alertc's
when the same-named PagerDuty service is.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.pager_duty_integration_api import PagerDutyIntegrationApi

from compiler.errors import TargetError
from compiler.kinds.base import Clients, IdFormat, ReadContext
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.providers.datadog import api_error_text, request_body
from compiler.providers.datadog_raw import call_json, legacy_pagerduty_integration
from compiler.providers.normalize import datadog as dd
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

PARENT = "pagerduty:service"
SERVICES = "/api/v1/integration/pagerduty/configuration/services"


class PagerDutyServiceObject(DatadogKind):
    kind = "pagerduty_service_object"
    api_family = "datadog:integration_pagerduty"
    # the legacy whole-integration read, and the service objects' own endpoints
    api_paths = ("/api/v1/integration/pagerduty", SERVICES, f"{SERVICES}/{{service_name}}")
    api = PagerDutyIntegrationApi
    operations = Operations(
        None,
        "create_pager_duty_integration_service",
        "update_pager_duty_integration_service",
        "delete_pager_duty_integration_service",
    )
    ownership = OwnershipStyle(mode="inherited", parent=PARENT)
    depends_on = ("pagerduty:integration",)
    name_field = "service_name"
    server_owned = ("service_key",)
    max_concurrency = 2
    reads_after = (PARENT,)
    # the id is the PagerDuty service's name, a path segment: no '/', '\\', '?', '#', '%' or control characters
    ids = IdFormat(
        re.compile(r"[^/\\?#%\x00-\x1f\x7f]{1,255}"),
        "a PagerDuty service name without '/', '\\', '?', '#', '%' or control characters",
    )

    rules = staticmethod(dd.normalize_pagerduty_service_object)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """The bulk read; per-name reads for every wanted or owned name only when it is not answered."""
        owned = {o.key: o.owner for o in context.earlier if f"{o.provider}:{o.kind}" == PARENT and o.key}
        wanted = {r.key for r in context.desired.by_kind(self.provider, self.kind)}
        names = self.read_all_names(clients)
        if names is None:
            return self.read_by_name(clients, wanted | set(owned), owned)
        # The same objects the per-name reads would find (the body a GET by name answers).
        return [
            LiveObject(
                self.provider,
                self.kind,
                name,
                name,
                {"service_name": name},
                name if name in owned else None,
                owner=owned.get(name),
            )
            for name in sorted(set(names) & (wanted | set(owned)))
        ]

    def read_all_names(self, clients: Clients) -> list[str] | None:
        """Every service object's name from the whole integration; None when the account does not answer it."""
        endpoint = legacy_pagerduty_integration(clients.datadog.client)
        try:
            body = clients.datadog.retry.call(
                lambda: call_json(endpoint),
                family=self.api_family,
                limiter=clients.datadog.limiter,
                what="read the PagerDuty integration",
            )
        except ApiException as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return None
            raise TargetError(f"Datadog read the PagerDuty integration: {api_error_text(exc)}") from exc
        services = body.get("services") if isinstance(body, dict) else None
        if not isinstance(services, list):
            return None
        return [str(s["service_name"]) for s in services if isinstance(s, dict) and s.get("service_name")]

    def read(self, clients: Clients, name: str) -> dict[str, Any] | None:
        """The service object named ``name`` (None: there is none)."""
        api = self.client_api(clients)
        what = "get PagerDuty service object"
        return clients.datadog.get_or_none(self, lambda: api.get_pager_duty_integration_service(name), what=what)

    def read_by_name(self, clients: Clients, names: set[str], owned: dict[str, str | None]) -> list[LiveObject]:
        """GET by name, a few at a time (the fallback)."""

        def fetch(name: str) -> LiveObject | None:
            body = self.read(clients, name)
            if body is None:
                return None
            key = name if name in owned else None
            return LiveObject(self.provider, self.kind, name, name, body, key, owner=owned.get(name))

        with ThreadPoolExecutor(max_workers=self.max_concurrency * 2, thread_name_prefix="alertc-pdso") as pool:
            found = list(pool.map(fetch, sorted(names)))
        return [obj for obj in found if obj is not None]

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """The id is the service name (Datadog refuses a second): one GET by name. It is alertc's when its
        PagerDuty service is, which is why apply is creating it."""
        name = str(body.get("service_name") or key)
        found = self.read(clients, name)
        return [] if found is None else [LiveObject(self.provider, self.kind, name, name, found, key)]

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Datadog answers no body: the object is its name."""
        what = f"create {self.kind}"
        self.call(clients, self.operations.create, body=request_body(body), idempotent=False, what=what)
        return str(body["service_name"]), {"service_name": body["service_name"]}

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Only the key can change (the name is the id)."""
        key_only = {"service_key": body["service_key"]}
        what = f"update {self.kind} {live_id}"
        self.call(clients, self.operations.update, live_id, body=request_body(key_only), what=what)
        return {"service_name": live_id}


KIND = PagerDutyServiceObject()
