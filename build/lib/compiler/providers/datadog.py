"""Datadog live state through datadog-api-client: bulk reads and the writes apply needs.

Reads use each kind's list endpoint at its largest page size (monitors 1000,
SLOs 1000, downtimes 100, service definitions 100), so a plan costs a handful
of requests however many objects exist. The one exception is Datadog's
PagerDuty service objects, which have no list endpoint: they are read by name,
only for the services alertc manages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from datadog_api_client import ApiClient
from datadog_api_client.exceptions import ApiException
from datadog_api_client.model_utils import model_to_dict
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.pager_duty_integration_api import PagerDutyIntegrationApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi
from datadog_api_client.v2.api.downtimes_api import DowntimesApi
from datadog_api_client.v2.api.service_definition_api import ServiceDefinitionApi
from datadog_api_client.v2.model.service_definition_schema_versions import ServiceDefinitionSchemaVersions

from compiler.errors import TargetError
from compiler.plan import LiveObject
from compiler.providers.kinds import KindSpec, get_spec
from compiler.providers.ownership import ownership_key
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RetryPolicy

T = TypeVar("T")
MONITOR_PAGE = 1000
SLO_PAGE = 1000
DOWNTIME_PAGE = 100
SERVICE_DEFINITION_PAGE = 100


def _plain(value: Any) -> dict[str, Any]:
    """A model or dict as plain JSON data (dates as ISO text)."""
    # serialize=True gives the API's JSON keys ("dd-service"), not Python attribute names ("dd_service")
    data = model_to_dict(value, serialize=True) if hasattr(value, "to_dict") else value  # type: ignore[no-untyped-call]
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def _body(data: dict[str, Any]) -> Any:
    """A JSON body for a typed endpoint: the client converts and checks it against its model at call time
    (with the same validation as a model instance), so we keep plain data end to end."""
    return data


def api_error_text(exc: ApiException) -> str:
    """Datadog's own error sentences (``{"errors": [...]}``), with a hint for the usual causes."""
    payload: Any = exc.body
    if isinstance(payload, str | bytes):
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = None
    errors = payload.get("errors") if isinstance(payload, dict) else None
    text = "; ".join(str(e) for e in errors) if isinstance(errors, list) and errors else f"HTTP {exc.status}"
    if exc.status in (401, 403):
        text += "\n  hint: check DD_API_KEY, DD_APP_KEY and DD_SITE (the keys must belong to that site)"
    return text


class DatadogProvider:
    """One Datadog account (or sandbox): bulk reads, and writes for apply."""

    provider = "datadog"

    def __init__(self, client: ApiClient, limiter: RateLimiter, retry: RetryPolicy) -> None:
        self.client = client
        self.limiter = limiter
        self.retry = retry
        self.monitors = MonitorsApi(client)  # type: ignore[no-untyped-call]
        self.slos = ServiceLevelObjectivesApi(client)  # type: ignore[no-untyped-call]
        self.downtimes = DowntimesApi(client)  # type: ignore[no-untyped-call]
        self.service_definitions = ServiceDefinitionApi(client)  # type: ignore[no-untyped-call]
        self.pagerduty = PagerDutyIntegrationApi(client)  # type: ignore[no-untyped-call]

    def _call(self, spec: KindSpec, fn: Callable[[], T], *, idempotent: bool = True, what: str = "") -> T:
        try:
            return self.retry.call(fn, family=spec.api_family, idempotent=idempotent, limiter=self.limiter, what=what)
        except ApiException as exc:
            raise TargetError(f"Datadog {what or spec.kind} (HTTP {exc.status}): {api_error_text(exc)}") from exc

    # --- reads ------------------------------------------------------------------------------

    def _pages(self, spec: KindSpec, fetch: Callable[[int], list[Any]], size: int) -> Iterator[dict[str, Any]]:
        page = 0
        while True:
            items = self._call(spec, lambda p=page: fetch(p), what=f"list {spec.kind}s")  # type: ignore[misc]
            yield from (_plain(i) for i in items)
            if len(items) < size:
                return
            page += 1

    def _live(self, spec: KindSpec, body: dict[str, Any], live_id: str, name: str) -> LiveObject:
        full_key = ownership_key(spec, body)
        kind, key = spec.kind, None
        if full_key is not None and "/" in full_key:
            kind, key = full_key.split("/", 1)
        return LiveObject("datadog", kind, live_id, name, body, key)

    def read_monitors(self) -> list[LiveObject]:
        """Monitors and SLO alerts share one list; ownership tags (or type) tell them apart."""
        spec = get_spec("datadog", "monitor")
        alert_spec = get_spec("datadog", "slo_alert")
        out = []
        for body in self._pages(
            spec, lambda p: self.monitors.list_monitors(page=p, page_size=MONITOR_PAGE), MONITOR_PAGE
        ):
            kind_spec = spec if spec.owns_live(body) else alert_spec
            out.append(self._live(kind_spec, body, str(body["id"]), str(body.get("name", ""))))
        return out

    def read_slos(self) -> list[LiveObject]:
        spec = get_spec("datadog", "slo")
        bodies = self._pages(
            spec, lambda p: list(self.slos.list_slos(limit=SLO_PAGE, offset=p * SLO_PAGE).data or []), SLO_PAGE
        )
        return [self._live(spec, b, str(b["id"]), str(b.get("name", ""))) for b in bodies]

    def read_downtimes(self) -> list[LiveObject]:
        spec = get_spec("datadog", "downtime")
        bodies = self._pages(
            spec,
            lambda p: list(
                self.downtimes.list_downtimes(page_offset=p * DOWNTIME_PAGE, page_limit=DOWNTIME_PAGE).data or []
            ),
            DOWNTIME_PAGE,
        )
        out = []
        for body in bodies:
            if not spec.owns_live(body):
                continue
            attributes = body.get("attributes") or {}
            out.append(self._live(spec, body, str(body["id"]), str(attributes.get("message") or "")))
        return out

    def read_service_definitions(self) -> list[LiveObject]:
        spec = get_spec("datadog", "service_definition")
        bodies = self._pages(
            spec,
            lambda p: list(
                self.service_definitions.list_service_definitions(
                    page_size=SERVICE_DEFINITION_PAGE,
                    page_number=p,
                    schema_version=ServiceDefinitionSchemaVersions.V2_2,
                ).data
                or []
            ),
            SERVICE_DEFINITION_PAGE,
        )
        out = []
        for body in bodies:
            name = str(spec.unwrap(body).get("dd-service", ""))
            out.append(self._live(spec, body, name, name))
        return out

    def read_pagerduty_service_objects(self, names: Iterable[str], owned: set[str]) -> list[LiveObject]:
        """GET by name, a few at a time: this kind has no list endpoint (reference §1.7).

        These are the only per-object reads of a plan, one per PagerDuty
        service alertc manages. An object is alertc's when the same-named
        PagerDuty service is.
        """
        spec = get_spec("datadog", "pagerduty_service_object")

        def fetch(name: str) -> LiveObject | None:
            try:
                body = _plain(
                    self.retry.call(
                        lambda: self.pagerduty.get_pager_duty_integration_service(name),
                        family=spec.api_family,
                        limiter=self.limiter,
                        what="get PagerDuty service object",
                    )
                )
            except ApiException as exc:
                if exc.status == 404:
                    return None
                raise TargetError(f"Datadog PagerDuty service object {name}: {api_error_text(exc)}") from exc
            return LiveObject("datadog", spec.kind, name, name, body, name if name in owned else None)

        with ThreadPoolExecutor(max_workers=max(spec.max_concurrency, 1) * 2, thread_name_prefix="alertc-pdso") as pool:
            found = list(pool.map(fetch, sorted(set(names))))
        return [obj for obj in found if obj is not None]

    # --- writes -----------------------------------------------------------------------------

    def create(self, spec: KindSpec, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        kind = spec.kind
        what = f"create {kind}"
        if kind in ("monitor", "slo_alert"):
            created = _plain(
                self._call(spec, lambda: self.monitors.create_monitor(body=_body(body)), idempotent=False, what=what)
            )
            return str(created["id"]), created
        if kind == "slo":
            response = _plain(
                self._call(spec, lambda: self.slos.create_slo(body=_body(body)), idempotent=False, what=what)
            )
            slo = spec.unwrap(response)
            return str(slo["id"]), slo
        if kind == "downtime":
            envelope = {"data": {"type": "downtime", "attributes": body}}
            response = _plain(
                self._call(
                    spec, lambda: self.downtimes.create_downtime(body=_body(envelope)), idempotent=False, what=what
                )
            )
            return str(response["data"]["id"]), response["data"]
        if kind == "service_definition":
            self._call(
                spec, lambda: self.service_definitions.create_or_update_service_definitions(body=_body(body)), what=what
            )
            return str(body["dd-service"]), body
        if kind == "pagerduty_service_object":
            self._call(
                spec,
                lambda: self.pagerduty.create_pager_duty_integration_service(body=_body(body)),
                idempotent=False,
                what=what,
            )
            return str(body["service_name"]), {"service_name": body["service_name"]}
        raise ValueError(f"no Datadog create for {kind}")

    def update(self, spec: KindSpec, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = spec.kind
        what = f"update {kind} {live_id}"
        if kind in ("monitor", "slo_alert"):
            return _plain(
                self._call(spec, lambda: self.monitors.update_monitor(int(live_id), body=_body(body)), what=what)
            )
        if kind == "slo":
            return spec.unwrap(
                _plain(self._call(spec, lambda: self.slos.update_slo(live_id, body=_body(body)), what=what))
            )
        if kind == "downtime":
            envelope = {"data": {"id": live_id, "type": "downtime", "attributes": body}}
            response = _plain(
                self._call(spec, lambda: self.downtimes.update_downtime(live_id, body=_body(envelope)), what=what)
            )
            data: dict[str, Any] = response["data"]
            return data
        if kind == "service_definition":
            self._call(
                spec, lambda: self.service_definitions.create_or_update_service_definitions(body=_body(body)), what=what
            )
            return body
        if kind == "pagerduty_service_object":
            key_only = {"service_key": body["service_key"]}
            self._call(
                spec,
                lambda: self.pagerduty.update_pager_duty_integration_service(live_id, body=_body(key_only)),
                what=what,
            )
            return {"service_name": live_id}
        raise ValueError(f"no Datadog update for {kind}")

    def delete(self, spec: KindSpec, live_id: str) -> None:
        calls: dict[str, Callable[[], Any]] = {
            "monitor": lambda: self.monitors.delete_monitor(int(live_id)),
            "slo_alert": lambda: self.monitors.delete_monitor(int(live_id)),
            "slo": lambda: self.slos.delete_slo(live_id),
            "downtime": lambda: self.downtimes.cancel_downtime(live_id),
            "service_definition": lambda: self.service_definitions.delete_service_definition(live_id),
            "pagerduty_service_object": lambda: self.pagerduty.delete_pager_duty_integration_service(live_id),
        }
        what = f"delete {spec.kind} {live_id}"
        try:
            self.retry.call(calls[spec.kind], family=spec.api_family, limiter=self.limiter, what=what)
        except ApiException as exc:
            if exc.status == 404:
                return  # already gone: the goal of a delete is reached
            raise TargetError(f"Datadog {what} (HTTP {exc.status}): {api_error_text(exc)}") from exc

    def validate_monitor(self, body: dict[str, Any], live_id: str | None) -> str | None:
        """Datadog's own verdict on a monitor body (Terraform does this during plan); None when valid."""
        spec = get_spec("datadog", "monitor")
        if live_id is None:
            call: Callable[[], Any] = lambda: self.monitors.validate_monitor(body=_body(body))  # noqa: E731
        else:
            call = lambda: self.monitors.validate_existing_monitor(int(live_id), body=_body(body))  # noqa: E731
        try:
            self.retry.call(call, family=spec.api_family, limiter=self.limiter, what="validate monitor")
        except ApiException as exc:
            if 400 <= (exc.status or 0) < 500:
                return api_error_text(exc)
            raise TargetError(f"Datadog validate monitor (HTTP {exc.status}): {api_error_text(exc)}") from exc
        return None
