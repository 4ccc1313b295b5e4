"""What users see now: live PagerDuty status services and windows → a banner decision per auth method.

This reads PagerDuty the way the sign-in backend does (services by the status
prefix, their live status, open incidents, open and upcoming maintenance
windows on them) and applies the reference decision, so it is both an
operator's "why is this banner up?" and the end-to-end test of the routing.
It only reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compiler.banners.config import BannerConfig, MissingServiceIds, build_banner_config
from compiler.banners.decide import Decision, decide_all
from compiler.banners.live import statuses_from_pagerduty, windows_from_pagerduty
from compiler.compile.banners import status_service_name
from compiler.definitions.loader import Definitions
from compiler.errors import PlanError
from compiler.live import Session
from compiler.providers.kinds import get_spec
from compiler.resources import resolve_references


def live_banner_config(definitions: Definitions, services: list[dict[str, Any]]) -> BannerConfig:
    """The banner config with the live ids of the status services, matched by their exact names."""
    by_name = {str(s.get("name")): str(s.get("id")) for s in services}
    ids = {
        dep.key: by_name[name]
        for dep in definitions.dependencies
        if (name := status_service_name(dep, definitions.banners)) in by_name
    }
    try:
        return build_banner_config(definitions, ids)
    except MissingServiceIds as exc:
        raise PlanError(f"{exc}\n  hint: run 'alertc plan' and 'alertc apply' first") from None


def read_banner_state(
    session: Session, prefix: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Status services, their open incidents, and their open or upcoming maintenance windows."""
    pd = session.pagerduty
    spec = get_spec("pagerduty", "service")
    services = [
        s for s in pd.list_index(spec, "services", {"query": prefix}) if str(s.get("name", "")).startswith(prefix)
    ]
    ids = [str(s["id"]) for s in services]
    if not ids:
        return [], [], []
    incidents = pd.list_index(
        spec,
        "incidents",
        {"service_ids[]": ids, "statuses[]": ["triggered", "acknowledged"], "date_range": "all"},
    )
    windows = pd.list_index(spec, "maintenance_windows", {"filter": "open", "service_ids[]": ids})
    return services, incidents, windows


def banner_status(definitions: Definitions, session: Session, *, now: datetime) -> dict[str, Decision]:
    if definitions.banners is None or not definitions.auth_methods:
        raise PlanError("the definitions have no banners or auth methods\n  hint: see definitions/banners.yaml")
    services, incidents, windows = read_banner_state(session, definitions.banners.status_prefix)
    config = live_banner_config(definitions, services)
    statuses = statuses_from_pagerduty(services, config, incidents)
    return decide_all(config, statuses, windows_from_pagerduty(windows, config), now)


def resolve_banner_config(template: Mapping[str, Any], lookup: Any) -> BannerConfig:
    """A template config (from a plan) with its placeholders filled from live ids."""
    resolved = resolve_references(dict(template), lookup)
    missing = sorted(k for k, v in resolved.get("services", {}).items() if isinstance(v, str) and v.startswith("${"))
    if missing:
        raise MissingServiceIds(missing)
    return BannerConfig.model_validate(resolved)
