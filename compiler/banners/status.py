"""What users see now: live PagerDuty status services and windows → the banner config, a decision per auth method.

This reads PagerDuty the way the sign-in backend does (services by their
status prefix, their live status, open incidents, open and upcoming
maintenance windows on them) and applies a decision, so it is both an
operator's "why is this banner up?" and the end-to-end test of the routing.
It only reads.

Several prefixes coexist (``External: `` for shared dependencies, a mobile
team's ``Mobile: `` for its own; va.gov-team
``products/va-mobile-app/operations/Maintenance Window Procedure.md``): each
distinct prefix of the definitions is listed, and services referenced by id
(``pagerduty_service``) are fetched by id, whatever their name.

``read_live_banners`` is one pass, used by apply's post-step, ``banners build``
and ``banners status``: the status-service table is compiled once
(``compile.banners.status_services``), PagerDuty is read for its names and ids,
and the config is built from the same table with the ids found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from compiler.banners.config import BannerConfig, MissingServiceIds, build_banner_config
from compiler.banners.decide import Decision, decide, decide_all
from compiler.banners.frontend import decide_current
from compiler.banners.live import statuses_from_pagerduty, windows_from_pagerduty
from compiler.compile.banners import StatusService, status_services
from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.live import Session
from compiler.preflight.services import missing_ids_error
from compiler.providers.pagerduty import REST

Frontend = Literal["current", "intended"]


@dataclass
class BannerState:
    """Status services (listed by prefix or fetched by id), their open incidents and open windows."""

    services: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    windows: list[dict[str, Any]] = field(default_factory=list)
    missing_ids: list[str] = field(default_factory=list)
    """Referenced ids PagerDuty does not know (404): a finding, never written to a config."""


@dataclass
class LiveBanners:
    """The banner config with live ids, and the PagerDuty state it was built from."""

    config: BannerConfig
    state: BannerState


def status_prefixes(definitions: Definitions, table: Sequence[StatusService]) -> list[str]:
    """Every prefix the definitions' own status services are named with, the banners block's first."""
    settings = definitions.banners
    prefixes = [settings.status_prefix] if settings is not None else []
    prefixes += [s.prefix for s in table if s.referenced_id is None]
    return list(dict.fromkeys(p for p in prefixes if p))


def read_banner_state(session: Session, prefixes: Sequence[str], referenced_ids: Sequence[str] = ()) -> BannerState:
    """Everything the banner config and decisions read; services deduplicated by id."""
    pd = session.pagerduty
    state = BannerState()
    by_id: dict[str, dict[str, Any]] = {}
    for prefix in prefixes:
        for service in pd.list_index(REST, "services", {"query": prefix}):
            if str(service.get("name", "")).startswith(prefix):
                by_id.setdefault(str(service["id"]), service)
    for service_id in dict.fromkeys(referenced_ids):
        if service_id in by_id:
            continue
        found = pd.get_or_none(REST, f"services/{service_id}", what=f"get service {service_id}")
        if found is None:
            state.missing_ids.append(service_id)
        else:
            by_id[service_id] = found
    state.services = list(by_id.values())
    ids = list(by_id)
    if not ids:
        return state
    state.incidents = pd.list_index(
        REST,
        "incidents",
        {"service_ids[]": ids, "statuses[]": ["triggered", "acknowledged"], "date_range": "all"},
    )
    state.windows = pd.list_index(REST, "maintenance_windows", {"filter": "open", "service_ids[]": ids})
    return state


def read_live_banners(definitions: Definitions, session: Session) -> LiveBanners:
    """The banner config with live ids: alertc's own services matched by exact name, referenced ones checked to exist.

    Nothing is built (so nothing is written) while a referenced id is missing.
    """
    table = status_services(definitions)
    referenced = [s.referenced_id for s in table if s.referenced_id is not None]
    state = read_banner_state(session, status_prefixes(definitions, table), referenced)
    if state.missing_ids:
        raise missing_ids_error(definitions, state.missing_ids)
    by_name = {str(s.get("name")): str(s.get("id")) for s in state.services}
    ids = {s.key: by_name[s.name] for s in table if s.referenced_id is None and s.name in by_name}
    try:
        return LiveBanners(build_banner_config(definitions, ids, services=table), state)
    except MissingServiceIds as exc:
        raise PlanError(f"{exc}\n  hint: run 'alertc plan' and 'alertc apply' first") from None


def banner_status(
    definitions: Definitions, session: Session, *, now: datetime, frontend: Frontend = "intended"
) -> dict[str, Decision]:
    """Per auth method, the banner its users see: by today's vets-website rules or by the intended ones."""
    if definitions.banners is None or not definitions.auth_methods:
        raise PlanError("the definitions have no banners or auth methods\n  hint: see definitions/banners.yaml")
    live = read_live_banners(definitions, session)
    statuses = statuses_from_pagerduty(live.state.services, live.config, live.state.incidents)
    windows = windows_from_pagerduty(live.state.windows, live.config)
    return decide_all(live.config, statuses, windows, now, rule=decide_current if frontend == "current" else decide)
