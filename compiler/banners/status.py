"""What users see now: live PagerDuty status services and windows → a banner decision per auth method.

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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from compiler.banners.config import BannerConfig, MissingServiceIds, build_banner_config
from compiler.banners.decide import Decision, decide_all
from compiler.banners.frontend import decide_all_current
from compiler.banners.live import statuses_from_pagerduty, windows_from_pagerduty
from compiler.compile.banners import referenced_services, status_prefix_of, status_service_name
from compiler.definitions.loader import Definitions
from compiler.errors import PlanError
from compiler.live import Session
from compiler.preflight.services import missing_ids_error
from compiler.providers.pagerduty import REST
from compiler.resources import resolve_references

Frontend = Literal["current", "intended"]


@dataclass
class BannerState:
    """Status services (listed by prefix or fetched by id), their open incidents and open windows."""

    services: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    windows: list[dict[str, Any]] = field(default_factory=list)
    missing_ids: list[str] = field(default_factory=list)
    """Referenced ids PagerDuty does not know (404): a finding, never written to a config."""


def status_prefixes(definitions: Definitions) -> list[str]:
    """Every prefix the definitions' status services are named with, the banners block's first."""
    settings = definitions.banners
    prefixes = [settings.status_prefix] if settings is not None else []
    prefixes += [status_prefix_of(dep, settings) for dep in definitions.dependencies if dep.pagerduty_service is None]
    return list(dict.fromkeys(p for p in prefixes if p))


def _service_by_id(session: Session, service_id: str) -> dict[str, Any] | None:
    """One PagerDuty service, or None when the account has no such id (404); retried on 429 and 5xx."""
    return session.pagerduty.get_or_none(REST, f"services/{service_id}", what=f"get service {service_id}")


def read_banner_state(session: Session, prefixes: Iterable[str], referenced_ids: Iterable[str] = ()) -> BannerState:
    """Everything ``banners status`` and ``banners build`` read; services deduplicated by id."""
    pd = session.pagerduty
    spec = REST
    state = BannerState()
    by_id: dict[str, dict[str, Any]] = {}
    for prefix in prefixes:
        for service in pd.list_index(spec, "services", {"query": prefix}):
            if str(service.get("name", "")).startswith(prefix):
                by_id.setdefault(str(service["id"]), service)
    for service_id in dict.fromkeys(referenced_ids):
        if service_id in by_id:
            continue
        found = _service_by_id(session, service_id)
        if found is None:
            state.missing_ids.append(service_id)
        else:
            by_id[service_id] = found
    state.services = list(by_id.values())
    ids = list(by_id)
    if not ids:
        return state
    state.incidents = pd.list_index(
        spec,
        "incidents",
        {"service_ids[]": ids, "statuses[]": ["triggered", "acknowledged"], "date_range": "all"},
    )
    state.windows = pd.list_index(spec, "maintenance_windows", {"filter": "open", "service_ids[]": ids})
    return state


def read_definitions_state(definitions: Definitions, session: Session) -> BannerState:
    return read_banner_state(session, status_prefixes(definitions), referenced_services(definitions).values())


def live_banner_config(definitions: Definitions, state: BannerState) -> BannerConfig:
    """The banner config with live ids: ours matched by exact name, referenced ones checked to exist.

    Nothing is built (so nothing is written) while a referenced id is missing.
    """
    if state.missing_ids:
        raise missing_ids_error(definitions, state.missing_ids)
    by_name = {str(s.get("name")): str(s.get("id")) for s in state.services}
    ids = {
        dep.key: by_name[name]
        for dep in definitions.dependencies
        if dep.pagerduty_service is None and (name := status_service_name(dep, definitions.banners)) in by_name
    }
    try:
        return build_banner_config(definitions, ids)
    except MissingServiceIds as exc:
        raise PlanError(f"{exc}\n  hint: run 'alertc plan' and 'alertc apply' first") from None


def banner_status(
    definitions: Definitions, session: Session, *, now: datetime, frontend: Frontend = "intended"
) -> dict[str, Decision]:
    """Per auth method, the banner its users see: by today's vets-website rules or by the intended ones."""
    if definitions.banners is None or not definitions.auth_methods:
        raise PlanError("the definitions have no banners or auth methods\n  hint: see definitions/banners.yaml")
    state = read_definitions_state(definitions, session)
    config = live_banner_config(definitions, state)
    statuses = statuses_from_pagerduty(state.services, config, state.incidents)
    windows = windows_from_pagerduty(state.windows, config)
    if frontend == "current":
        return decide_all_current(config, statuses, windows, now)
    return decide_all(config, statuses, windows, now)


def resolve_banner_config(template: Mapping[str, Any], lookup: Any) -> BannerConfig:
    """A template config (from a plan) with its placeholders filled from live ids."""
    resolved = resolve_references(dict(template), lookup)
    missing = sorted(k for k, v in resolved.get("services", {}).items() if isinstance(v, str) and v.startswith("${"))
    if missing:
        raise MissingServiceIds(missing)
    return BannerConfig.model_validate(resolved)
