"""Definitions → OpenSLO v1 documents: every SLO with its service, indicator and burn-rate alerting.

Per SLO: an ``SLI`` (its Datadog queries as a ``metricSource`` of type Datadog),
the ``SLO`` (rolling window, budgeting method, objective, the ``alertc.dev/``
annotations for what OpenSLO has no field for), and per burn-rate tier (the
recommended ones when the SLO names none) an ``AlertCondition`` and the
``AlertPolicy`` holding it; per service with an SLO a ``Service`` (team and
environment as labels); per route a tier notifies an ``AlertNotificationTarget``
(the team's Slack channel, the service's PagerDuty). Names are the definitions'
names, documents are sorted by name and fields written in one order, so the
same definitions always export the same bytes. The importer reads every field
written here back without a finding: export → import → compile is compile.
"""

from __future__ import annotations

from typing import Any

from compiler.compile.slos import burn_tiers
from compiler.compile.text import datadog_window, number
from compiler.definitions import Definitions
from compiler.errors import AlertcError
from compiler.openslo import vocabulary as v

FILES = {  # kind → file name, in the order a reader meets them
    "Service": "services.yaml",
    "SLI": "slis.yaml",
    "SLO": "slos.yaml",
    "AlertCondition": "alert-conditions.yaml",
    "AlertPolicy": "alert-policies.yaml",
    "AlertNotificationTarget": "alert-notification-targets.yaml",
}


def _document(kind: str, metadata: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": v.API_V1, "kind": kind, "metadata": metadata, "spec": spec}


def _source(query: str) -> dict[str, Any]:
    return {"metricSource": {"type": "Datadog", "spec": {"query": query.strip()}}}


def _described(spec: dict[str, Any], description: str, annotations: dict[str, str]) -> None:
    """A description in ``spec``; beyond OpenSLO's limit, shortened there and whole in an annotation."""
    if not description:
        return
    if len(description) <= v.MAX_DESCRIPTION:
        spec["description"] = description
        return
    spec["description"] = description[: v.MAX_DESCRIPTION - 1] + "…"
    annotations[v.DESCRIPTION] = description


def _service(service: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "name": service.name,
        "displayName": service.title,
        "labels": {v.TEAM_LABEL: service.team, v.ENV_LABEL: service.environment},
        "annotations": {v.USERS_PER_HOUR: str(service.users_per_hour)},
    }
    spec: dict[str, Any] = {}
    _described(spec, service.description, metadata["annotations"])
    return _document("Service", metadata, spec)


def _indicator(slo: Any) -> dict[str, Any]:
    if slo.type == "metric":
        spec = {"ratioMetric": {"counter": False, "good": _source(slo.good), "total": _source(slo.total)}}
    else:
        spec = {"thresholdMetric": _source(slo.query)}
    return _document("SLI", {"name": slo.name}, spec)


def _objective(slo: Any) -> dict[str, Any]:
    target = v.fraction_of(slo.target)
    if slo.type == "metric":
        return {"target": target}
    return {
        "op": v.OPERATOR_NAMES[slo.comparator],
        "value": slo.threshold,
        "target": target,
        "timeSliceTarget": 1,  # Datadog judges a slice by the query's one value for it
        "timeSliceWindow": slo.slice,
    }


def _joined_tags(name: str, tags: list[str]) -> str:
    """Tags as one annotation value, comma-separated: Datadog tags hold no comma (it separates them)."""
    for tag in tags:
        if not tag or "," in tag or tag != tag.strip():
            raise AlertcError(
                f"SLO '{name}': tag {tag!r} cannot be exported\n"
                "  hint: Datadog tags hold no comma and no leading or trailing space"
            )
    return ",".join(tags)


def _slo(slo: Any, policies: list[str]) -> dict[str, Any]:
    annotations: dict[str, str] = {}
    if slo.warning is not None:
        annotations[v.WARNING] = number(slo.warning)
    if slo.tags:
        annotations[v.TAGS] = _joined_tags(slo.name, slo.tags)
    if slo.datadog_slo:
        annotations[v.DATADOG_SLO] = slo.datadog_slo
    if slo.alerting.on_invalid_tier != "error":
        annotations[v.ON_INVALID_TIER] = slo.alerting.on_invalid_tier
    if slo.alerting.enabled and slo.alerting.tiers is None:
        annotations[v.TIERS] = v.RECOMMENDED  # rated by the service's impact, which OpenSLO cannot say
    spec: dict[str, Any] = {}
    _described(spec, slo.description, annotations)
    spec.update(
        service=slo.service,
        indicatorRef=slo.name,
        timeWindow=[{"duration": slo.timeframe, "isRolling": True}],
        budgetingMethod="Occurrences" if slo.type == "metric" else "Timeslices",
        objectives=[_objective(slo)],
    )
    if policies:
        spec["alertPolicies"] = [{"alertPolicyRef": name} for name in policies]
    metadata: dict[str, Any] = {"name": slo.name}
    if slo.title:
        metadata["displayName"] = slo.title
    if annotations:
        metadata["annotations"] = dict(sorted(annotations.items()))
    return _document("SLO", metadata, spec)


def _alerting(definitions: Definitions, slo: Any, documents: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """The SLO's tiers as conditions and policies (into ``documents``); the policies' names."""
    process = definitions.process
    assert process is not None
    if not slo.alerting.enabled:
        return []
    service = next(s for s in definitions.services if s.name == slo.service)
    slack = f"{service.team}-slack"
    team = next(t for t in definitions.teams if t.name == service.team)
    documents["AlertNotificationTarget"][slack] = _document(
        "AlertNotificationTarget", {"name": slack, "displayName": team.slack.alerts}, {"target": "slack"}
    )
    names: list[str] = []
    for tier in burn_tiers(process, slo, service):
        name = f"{slo.name}-burn-{datadog_window(tier.long_window)}"
        condition = {
            "kind": "burnrate",
            "op": "gt",
            "threshold": tier.burn_rate,
            "lookbackWindow": v.shorthand(tier.long_window),
            "alertAfter": v.shorthand(tier.short_window),
        }
        documents["AlertCondition"][name] = _document(
            "AlertCondition", {"name": name}, {"severity": tier.severity.name, "condition": condition}
        )
        targets = [slack]
        if tier.paging and service.pagerduty is not None:
            pager = f"{service.name}-pagerduty"
            targets.append(pager)
            documents["AlertNotificationTarget"][pager] = _document(
                "AlertNotificationTarget", {"name": pager}, {"target": "pagerduty"}
            )
        documents["AlertPolicy"][name] = _document(
            "AlertPolicy",
            {"name": name},
            {
                "alertWhenBreaching": True,
                "alertWhenResolved": True,
                "alertWhenNoData": False,
                "conditions": [{"conditionRef": name}],
                "notificationTargets": [{"targetRef": target} for target in targets],
            },
        )
        names.append(name)
    return names


def export_documents(definitions: Definitions) -> dict[str, list[dict[str, Any]]]:
    """Every SLO of ``definitions`` as OpenSLO v1 objects, by kind, each kind sorted by name."""
    documents: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in FILES}
    services = {s.name: s for s in definitions.services}
    for slo in definitions.slos:
        documents["Service"][slo.service] = _service(services[slo.service])
        documents["SLI"][slo.name] = _indicator(slo)
        documents["SLO"][slo.name] = _slo(slo, _alerting(definitions, slo, documents))
    return {kind: [by_name[name] for name in sorted(by_name)] for kind, by_name in documents.items()}
