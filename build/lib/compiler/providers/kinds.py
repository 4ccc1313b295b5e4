"""One declarative spec per resource kind, in the spirit of datadog-sync-cli's ResourceConfig.

The engine (plan, apply, drift) knows nothing kind-specific: it asks the spec
how to read live objects in bulk, how to recognise its own objects, how to
normalize both sides, which API family to rate-limit under, and what must
exist first. Client calls are declared by name here and bound to clients by
the provider modules, so this table stays plain data that tests can check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from compiler.providers import ownership as own
from compiler.providers.normalize import datadog as dd
from compiler.providers.normalize import pagerduty as pd
from compiler.providers.normalize.common import JSONDict
from compiler.resources import Provider

Normalizer = Callable[[Mapping[str, Any]], JSONDict]
Reconciler = Callable[[JSONDict, JSONDict, datetime], tuple[JSONDict, JSONDict]]
Unwrapper = Callable[[dict[str, Any]], dict[str, Any]]
LiveAdapter = Callable[[Mapping[str, Any]], JSONDict]


def _as_is(body: Mapping[str, Any]) -> JSONDict:
    return dict(body)


@dataclass(frozen=True)
class Operations:
    """How a kind is read and written, by client method name or REST path.

    ``list`` reads all live objects in bulk (``None``: the API has no list
    endpoint, see ``read_strategy``). ``page_param``/``page_size`` give the
    largest page the API accepts. ``params`` are fixed query parameters.
    """

    list: str | None
    create: str
    update: str
    delete: str
    get: str | None = None
    page_param: str | None = None
    page_size: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    read_strategy: Literal["list", "from_parent", "get_each_desired"] = "list"
    update_semantics: Literal["replace", "merge", "upsert"] = "replace"
    notes: str = ""


@dataclass(frozen=True)
class KindSpec:
    """Everything the engine needs to know about one kind of resource."""

    provider: Provider
    kind: str
    api_family: str
    ownership: own.OwnershipStyle
    normalize: Normalizer
    unwrap: Unwrapper
    operations: Operations
    server_owned: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    reconcile: Reconciler = dd.identity_reconcile
    from_live: LiveAdapter = _as_is
    live_filter: Callable[[Mapping[str, Any]], bool] | None = None
    name_field: str = "name"
    max_concurrency: int = 4

    @property
    def address(self) -> str:
        """``provider:kind``, the form used in ``depends_on``."""
        return f"{self.provider}:{self.kind}"

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        """Whether a listed live object belongs to this kind (monitors and SLO alerts share a list)."""
        return self.live_filter is None or self.live_filter(body)

    def canonical_desired(self, body: Mapping[str, Any]) -> JSONDict:
        return self.normalize(body)

    def canonical_live(self, body: Mapping[str, Any]) -> JSONDict:
        return self.normalize(self.from_live(body))

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[JSONDict, JSONDict]:
        """The two forms the diff compares: both normalized, then reconciled for authored-only fields."""
        return self.reconcile(self.canonical_desired(desired_body), self.canonical_live(live_body), now)


def _is_slo_alert(body: Mapping[str, Any]) -> bool:
    return str(body.get("type", "")).strip() == "slo alert"


def _is_plain_monitor(body: Mapping[str, Any]) -> bool:
    return not _is_slo_alert(body)


def _downtime_is_current(body: Mapping[str, Any]) -> bool:
    """§1.4: cancelled (and ended) downtimes stay in the list; they are history, not state."""
    inner = dd.unwrap_downtime(dict(body)) if "data" in body or "attributes" in body else body
    return inner.get("status") not in ("canceled", "ended")


_MONITOR_OPS = Operations(
    list="MonitorsApi.list_monitors",
    page_param="page",
    page_size=1000,
    get="MonitorsApi.get_monitor",
    create="MonitorsApi.create_monitor",
    update="MonitorsApi.update_monitor",
    delete="MonitorsApi.delete_monitor",
    notes="PUT replaces `options` as a whole: always send the complete desired options (§1.1). "
    "Validate with MonitorsApi.validate_monitor / validate_existing_monitor during plan.",
)

DD_PAGERDUTY_SERVICE_OBJECT = KindSpec(
    provider="datadog",
    kind="pagerduty_service_object",
    api_family="datadog:integration_pagerduty",
    ownership=own.OwnershipStyle(mode="inherited", parent="pagerduty:service"),
    normalize=dd.normalize_pagerduty_service_object,
    unwrap=dd.unwrap_plain,
    operations=Operations(
        list=None,
        read_strategy="get_each_desired",
        get="PagerDutyIntegrationApi.get_pager_duty_integration_service",
        create="PagerDutyIntegrationApi.create_pager_duty_integration_service",
        update="PagerDutyIntegrationApi.update_pager_duty_integration_service",
        delete="PagerDutyIntegrationApi.delete_pager_duty_integration_service",
        notes="No list endpoint (§1.7); service_key is write-only. Owned iff the PagerDuty service "
        "of the same name is owned.",
    ),
    server_owned=("service_key",),
    depends_on=("pagerduty:integration",),
    name_field="service_name",
    max_concurrency=2,
)

DD_SERVICE_DEFINITION = KindSpec(
    provider="datadog",
    kind="service_definition",
    api_family="datadog:service_definitions",
    ownership=own.OwnershipStyle(mode="tags", field="tags"),
    normalize=dd.normalize_service_definition,
    unwrap=dd.unwrap_service_definition,
    operations=Operations(
        list="ServiceDefinitionApi.list_service_definitions",
        page_param="page[number]",
        page_size=100,
        params={"schema_version": "v2.2"},
        get="ServiceDefinitionApi.get_service_definition",
        create="ServiceDefinitionApi.create_or_update_service_definitions",
        update="ServiceDefinitionApi.create_or_update_service_definitions",
        delete="ServiceDefinitionApi.delete_service_definition",
        update_semantics="upsert",
        notes="Always read with schema_version=v2.2 so both sides have one shape (§1.5).",
    ),
    server_owned=("dd-team", "meta", "id"),
    depends_on=("pagerduty:service",),
    name_field="dd-service",
)

DD_MONITOR = KindSpec(
    provider="datadog",
    kind="monitor",
    api_family="datadog:monitors",
    ownership=own.OwnershipStyle(mode="tags", field="tags"),
    normalize=dd.normalize_monitor,
    unwrap=dd.unwrap_plain,
    operations=_MONITOR_OPS,
    server_owned=(*dd.MONITOR_SERVER_OWNED, *(f"options.{k}" for k in dd.MONITOR_OPTIONS_SERVER_OWNED)),
    depends_on=("datadog:pagerduty_service_object", "datadog:service_definition"),
    reconcile=dd.reconcile_monitor,
    live_filter=_is_plain_monitor,
    # datadog-sync-cli caps monitor concurrency: the monitor API's proxy answers 512 under load.
    max_concurrency=4,
)

DD_SLO = KindSpec(
    provider="datadog",
    kind="slo",
    api_family="datadog:slos",
    ownership=own.OwnershipStyle(mode="tags", field="tags"),
    normalize=dd.normalize_slo,
    unwrap=dd.unwrap_slo,
    operations=Operations(
        list="ServiceLevelObjectivesApi.list_slos",
        page_param="offset",
        page_size=1000,
        get="ServiceLevelObjectivesApi.get_slo",
        create="ServiceLevelObjectivesApi.create_slo",
        update="ServiceLevelObjectivesApi.update_slo",
        delete="ServiceLevelObjectivesApi.delete_slo",
        notes="Create/update answer {data:[slo]}; send the full object on update (§1.3).",
    ),
    server_owned=dd.SLO_SERVER_OWNED,
    depends_on=("datadog:monitor",),
    reconcile=dd.reconcile_slo,
)

DD_SLO_ALERT = KindSpec(
    provider="datadog",
    kind="slo_alert",
    api_family="datadog:monitors",
    ownership=own.OwnershipStyle(mode="tags", field="tags"),
    normalize=dd.normalize_monitor,
    unwrap=dd.unwrap_plain,
    operations=_MONITOR_OPS,
    server_owned=DD_MONITOR.server_owned,
    depends_on=("datadog:slo",),
    reconcile=dd.reconcile_monitor,
    live_filter=_is_slo_alert,
)

DD_DOWNTIME = KindSpec(
    provider="datadog",
    kind="downtime",
    api_family="datadog:downtimes",
    # v2 downtimes have no tags: the marker goes into the message.
    ownership=own.OwnershipStyle(mode="marker", field="message"),
    normalize=dd.normalize_downtime,
    unwrap=dd.unwrap_downtime,
    operations=Operations(
        list="DowntimesApi.list_downtimes",
        page_param="page[offset]",
        page_size=100,
        get="DowntimesApi.get_downtime",
        create="DowntimesApi.create_downtime",
        update="DowntimesApi.update_downtime",
        delete="DowntimesApi.cancel_downtime",
        update_semantics="merge",
        notes="PATCH merges attributes (§1.4); cancel is idempotent (204 twice).",
    ),
    server_owned=(*dd.DOWNTIME_SERVER_OWNED, "schedule.current_downtime", "relationships", "included"),
    depends_on=("datadog:monitor", "datadog:slo_alert"),
    reconcile=dd.reconcile_downtime,
    live_filter=_downtime_is_current,
    name_field="scope",
)

PD_SCHEDULE = KindSpec(
    provider="pagerduty",
    kind="schedule",
    api_family="pagerduty:rest",
    ownership=own.OwnershipStyle(mode="marker", field="description"),
    normalize=pd.normalize_schedule,
    unwrap=pd.unwrap_schedule,
    operations=Operations(
        list="/schedules",
        page_param="offset",
        page_size=100,
        get="/schedules/{id}",
        create="/schedules",
        update="/schedules/{id}",
        delete="/schedules/{id}",
        notes="GET reverses schedule_layers (R5-4): live bodies go through from_live. Layers are "
        "never deleted, only ended (R5-5). Delete fails while an EP uses the schedule (R5-20).",
    ),
    server_owned=pd.SCHEDULE_SERVER_OWNED,
    reconcile=pd.reconcile_schedule,
    from_live=pd.schedule_from_live,
    max_concurrency=1,
)

PD_ESCALATION_POLICY = KindSpec(
    provider="pagerduty",
    kind="escalation_policy",
    api_family="pagerduty:rest",
    ownership=own.OwnershipStyle(mode="marker", field="description"),
    normalize=pd.normalize_escalation_policy,
    unwrap=pd.unwrap_escalation_policy,
    operations=Operations(
        list="/escalation_policies",
        page_param="offset",
        page_size=100,
        get="/escalation_policies/{id}",
        create="/escalation_policies",
        update="/escalation_policies/{id}",
        delete="/escalation_policies/{id}",
        notes="Delete returns 400 while services use the policy: retry after deleting them (§2.3).",
    ),
    server_owned=pd.EP_SERVER_OWNED,
    depends_on=("pagerduty:schedule",),
    max_concurrency=1,
)

PD_SERVICE = KindSpec(
    provider="pagerduty",
    kind="service",
    api_family="pagerduty:rest",
    ownership=own.OwnershipStyle(mode="marker", field="description"),
    normalize=pd.normalize_service,
    unwrap=pd.unwrap_service,
    operations=Operations(
        list="/services",
        page_param="offset",
        page_size=100,
        params={"include[]": ["integrations"]},
        get="/services/{id}",
        create="/services",
        update="/services/{id}",
        delete="/services/{id}",
        notes="Only status=active is accepted on create; disable with a second PUT (§2.1).",
    ),
    server_owned=pd.SERVICE_SERVER_OWNED,
    depends_on=("pagerduty:escalation_policy",),
    max_concurrency=1,
)

PD_INTEGRATION = KindSpec(
    provider="pagerduty",
    kind="integration",
    api_family="pagerduty:rest",
    ownership=own.OwnershipStyle(mode="inherited", parent="pagerduty:service"),
    normalize=pd.normalize_integration,
    unwrap=pd.unwrap_integration,
    operations=Operations(
        list=None,
        read_strategy="from_parent",
        get="/services/{service_id}/integrations/{id}",
        create="/services/{service_id}/integrations",
        update="/services/{service_id}/integrations/{id}",
        delete="/services/{service_id}/integrations/{id}",
        notes="No list endpoint: read service.integrations (include[]=integrations). Datadog is vendor "
        "PAM4FGS; match by vendor id, never by type (§2.2). integration_key is read from the GET.",
    ),
    server_owned=pd.INTEGRATION_SERVER_OWNED,
    depends_on=("pagerduty:service",),
    max_concurrency=1,
)

PD_MAINTENANCE_WINDOW = KindSpec(
    provider="pagerduty",
    kind="maintenance_window",
    api_family="pagerduty:rest",
    ownership=own.OwnershipStyle(mode="marker", field="description", marker_before="USER_MESSAGE:"),
    normalize=pd.normalize_maintenance_window,
    unwrap=pd.unwrap_maintenance_window,
    operations=Operations(
        list="/maintenance_windows",
        page_param="offset",
        page_size=100,
        params={"filter": "open"},
        get="/maintenance_windows/{id}",
        create="/maintenance_windows",
        update="/maintenance_windows/{id}",
        delete="/maintenance_windows/{id}",
        notes="POST needs the From header; DELETE of an ended window answers 405 = success (§2.5).",
    ),
    server_owned=pd.MW_SERVER_OWNED,
    depends_on=("pagerduty:service",),
    reconcile=pd.reconcile_maintenance_window,
    name_field="description",
    max_concurrency=1,
)

# Apply order (deletes run in reverse). ``depends_on`` must agree with it; a test checks that.
APPLY_ORDER: tuple[KindSpec, ...] = (
    PD_SCHEDULE,
    PD_ESCALATION_POLICY,
    PD_SERVICE,
    PD_INTEGRATION,
    PD_MAINTENANCE_WINDOW,
    DD_PAGERDUTY_SERVICE_OBJECT,
    DD_SERVICE_DEFINITION,
    DD_MONITOR,
    DD_SLO,
    DD_SLO_ALERT,
    DD_DOWNTIME,
)

KINDS: Mapping[str, KindSpec] = {spec.address: spec for spec in APPLY_ORDER}


def get_spec(provider: str, kind: str) -> KindSpec:
    try:
        return KINDS[f"{provider}:{kind}"]
    except KeyError:
        known = ", ".join(KINDS)
        raise KeyError(f"unknown resource kind {provider}:{kind} (known: {known})") from None


def apply_order(specs: Iterable[KindSpec] = APPLY_ORDER) -> list[KindSpec]:
    """Kinds sorted so that every kind comes after the kinds it depends on."""
    rank = {spec.address: i for i, spec in enumerate(APPLY_ORDER)}
    return sorted(specs, key=lambda s: rank[s.address])


def delete_order(specs: Iterable[KindSpec] = APPLY_ORDER) -> list[KindSpec]:
    return list(reversed(apply_order(specs)))


def classify_live(
    provider: Provider, bodies: Iterable[Mapping[str, Any]], kinds: Iterable[str]
) -> dict[str, list[Mapping[str, Any]]]:
    """Split one bulk list (e.g. all monitors) among the kinds that share it, by ``live_filter``."""
    specs = [get_spec(provider, k) for k in kinds]
    out: dict[str, list[Mapping[str, Any]]] = {s.kind: [] for s in specs}
    for body in bodies:
        for spec in specs:
            if spec.owns_live(body):
                out[spec.kind].append(body)
                break
    return out
