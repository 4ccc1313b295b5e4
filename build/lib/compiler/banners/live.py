"""PagerDuty JSON (as listed by the engine) → the inputs of ``decide``. Pure: no client here.

It reads PagerDuty the way the backend does, so ``alertc banners status``
explains what the page shows rather than what alertc wishes it showed:
services are found by the status prefix and mapped to keys by id through the
config's ``services`` map (falling back to the exact status-service name, for
a template config), and a window's user-facing text is what follows
``USER_MESSAGE:`` in its description.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from compiler.banners.config import BannerConfig
from compiler.banners.decide import STATUSES, ServiceStatus, Window
from compiler.compile.banners import USER_MESSAGE_TAG


def user_message(description: str | None) -> str:
    """Everything after the first ``USER_MESSAGE:``, trimmed (empty when the tag is absent)."""
    if not description or USER_MESSAGE_TAG not in description:
        return ""
    return description.split(USER_MESSAGE_TAG, 1)[1].strip()


def _key_index(config: BannerConfig) -> tuple[dict[str, str], dict[str, str]]:
    by_id = {service_id: key for key, service_id in config.services.items()}
    by_name = {entry.status_service: key for key, entry in config.dependencies.items()}
    return by_id, by_name


def statuses_from_pagerduty(
    services: Iterable[Mapping[str, Any]],
    config: BannerConfig,
    incidents: Iterable[Mapping[str, Any]] = (),
) -> dict[str, ServiceStatus]:
    """Status per banner key from listed PagerDuty services, with the oldest open incident of each.

    Services outside the key space (neither a configured id nor an exact
    status-service name, whatever its prefix) are ignored, as the backend
    ignores ids its ``maintenance.services`` map does not name.
    ``incidents`` are PagerDuty incident objects (triggered or acknowledged);
    each names its service.
    """
    by_id, by_name = _key_index(config)
    open_incident: dict[str, str] = {}
    for incident in sorted(incidents, key=lambda i: str(i.get("created_at", ""))):
        service = incident.get("service")
        service_id = service.get("id") if isinstance(service, Mapping) else None
        if isinstance(service_id, str) and service_id not in open_incident:
            label = incident.get("incident_number") or incident.get("id")
            title = incident.get("title") or incident.get("summary")
            open_incident[service_id] = f"#{label}" + (f" {title}" if title else "") if label else str(title)
    result: dict[str, ServiceStatus] = {}
    for service in services:
        name, service_id, status = service.get("name"), service.get("id"), service.get("status")
        if not isinstance(name, str) or status not in STATUSES:
            continue
        key = by_id.get(str(service_id)) or by_name.get(name)
        if key is None:
            continue
        result[key] = ServiceStatus(status, open_incident.get(str(service_id)))
    return result


def windows_from_pagerduty(windows: Iterable[Mapping[str, Any]], config: BannerConfig) -> list[Window]:
    """Open and future PagerDuty maintenance windows on status services, as ``decide`` takes them."""
    by_id, _ = _key_index(config)
    result: list[Window] = []
    for window in windows:
        refs = window.get("services") or []
        keys = tuple(
            dict.fromkeys(by_id[str(r.get("id"))] for r in refs if isinstance(r, Mapping) and str(r.get("id")) in by_id)
        )
        start, end = window.get("start_time"), window.get("end_time")
        if not keys or not isinstance(start, str) or not isinstance(end, str):
            continue
        description = window.get("description")
        result.append(
            Window(
                id=str(window.get("id", "")),
                keys=keys,
                start=datetime.fromisoformat(start.replace("Z", "+00:00")),
                end=datetime.fromisoformat(end.replace("Z", "+00:00")),
                message=user_message(description if isinstance(description, str) else None),
            )
        )
    return result
