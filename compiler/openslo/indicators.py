"""OpenSLO indicators (SLIs) → the Datadog queries of an alertc SLO.

A ratio SLI becomes good/total queries: ``good`` and ``total`` as they are,
``bad`` and ``total`` as good = total − bad. A threshold SLI becomes the one
query of a time-slice SLO. Only Datadog metric sources can be imported, given
by the source's ``type`` or by the ``DataSource`` it references; their
``spec.query`` is a Datadog metric query. Precomputed ratios (``raw``) have no
Datadog SLO equivalent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from compiler.checks import openslo as rules
from compiler.openslo import vocabulary as v
from compiler.openslo.documents import Catalog, OpenSloObject
from compiler.openslo.report import NotImported, Report
from compiler.openslo.view import View


@dataclass(frozen=True)
class Indicator:
    """What an SLI measures, in Datadog's terms."""

    shape: Literal["ratio", "threshold"]
    good: str = ""  # ratio
    total: str = ""  # ratio
    query: str = ""  # threshold
    description: str = ""


@dataclass
class Sources:
    """The catalog's DataSources, and the ones an imported SLI used (their connection details are reported once)."""

    catalog: Catalog
    report: Report
    imported: list[OpenSloObject]  # the DataSources an indicator used join the objects of the SLO


def _text(view: View, key: str, what: str) -> str:
    value = view.get(key)
    if not isinstance(value, str) or not value.strip():
        raise NotImported(
            rules.UNMAPPED_INDICATOR, view.at(key), f"{what}: {view.field_name(key)} must be a non-empty string"
        )
    return value.strip()


def datadog_query(holder: View, sources: Sources, what: str) -> str:
    """The Datadog query of ``holder.metricSource`` (v1), or why it cannot be imported."""
    source = holder.child("metricSource")
    if source is None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, holder.at(), f"{what}: {holder.field_name('metricSource')} is missing"
        )
    given = source.get("type")
    ref = source.get("metricSourceRef")
    kind = given if isinstance(given, str) else None
    if ref is not None:
        data_source = sources.catalog.find("DataSource", ref)
        if data_source is not None:
            data_source.used = True
            if data_source not in sources.imported:
                sources.imported.append(data_source)
            referenced = data_source.spec.get("type")
            if kind is not None and isinstance(referenced, str) and referenced.lower() != kind.lower():
                raise NotImported(
                    rules.UNSUPPORTED_SOURCE,
                    source.at("type"),
                    f"{what}: type '{kind}' differs from the type '{referenced}' of DataSource '{ref}'",
                )
            kind = kind or (referenced if isinstance(referenced, str) else None)
        elif kind is None:
            raise NotImported(
                rules.DANGLING_REFERENCE,
                source.at("metricSourceRef"),
                f"{what}: {v.dangling('metricSourceRef', ref, 'DataSource')} among the documents, and no type is given",
                "add the DataSource document, or give the metric source's type",
            )
        else:
            sources.report.add(
                rules.DEFAULT_TAKEN,
                source.at("metricSourceRef"),
                f"{what}: metricSourceRef '{ref}' names no DataSource among the documents; "
                f"its type '{kind}' is used as given",
            )
    if kind is None:
        raise NotImported(
            rules.UNSUPPORTED_SOURCE, source.at(), f"{what}: the metric source has no type", "say type: Datadog"
        )
    if kind.lower() != v.DATADOG:
        raise NotImported(
            rules.UNSUPPORTED_SOURCE,
            source.at("type") if given is not None else source.at("metricSourceRef"),
            f"{what}: metric source type '{kind}' is not supported",
            "alertc compiles SLOs to Datadog: only Datadog metric queries can be imported",
        )
    spec = source.child("spec")
    if spec is None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, source.at(), f"{what}: the metric source has no spec with a Datadog query"
        )
    return _text(spec, "query", what)


def read_indicator(sli: View, sources: Sources, what: str) -> Indicator:
    """A v1 SLI (``{metadata, spec}``, top-level or inline) as an Indicator, or NotImported."""
    spec = sli.child("spec")
    if spec is None:
        raise NotImported(rules.UNMAPPED_INDICATOR, sli.at(), f"{what}: the indicator has no spec")
    description = spec.get("description")
    text = description if isinstance(description, str) else ""
    ratio, threshold = spec.child("ratioMetric"), spec.child("thresholdMetric")
    if ratio is not None and threshold is not None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, spec.at(), f"{what}: an SLI has either ratioMetric or thresholdMetric, not both"
        )
    if threshold is not None:
        return Indicator("threshold", query=datadog_query(threshold, sources, what), description=text)
    if ratio is None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, spec.at(), f"{what}: the SLI has neither ratioMetric nor thresholdMetric"
        )
    if ratio.has("raw") or ratio.has("rawType"):
        raise NotImported(
            rules.UNMAPPED_INDICATOR,
            ratio.at("raw") if ratio.has("raw") else ratio.at("rawType"),
            f"{what}: precomputed ratios (ratioMetric.raw) are not supported",
            "a Datadog metric SLO needs counts of good (or bad) and total events",
        )
    counter = ratio.get("counter")
    if counter is True:
        sources.report.add(
            rules.FIELD_NOT_IMPORTED,
            ratio.at("counter"),
            f"{what}: ratioMetric.counter: true is not imported; Datadog knows each metric's type and sums the "
            "queries as written",
            "write counts with .as_count() in the queries",
        )
    good, bad, total = ratio.child("good"), ratio.child("bad"), ratio.child("total")
    if total is None:
        raise NotImported(rules.UNMAPPED_INDICATOR, ratio.at(), f"{what}: ratioMetric.total is missing")
    if (good is None) == (bad is None):
        raise NotImported(
            rules.UNMAPPED_INDICATOR, ratio.at(), f"{what}: ratioMetric needs exactly one of good or bad (with total)"
        )
    numerator = good if good is not None else bad
    assert numerator is not None
    counted = datadog_query(numerator, sources, what)
    total_query = datadog_query(total, sources, what)
    if good is not None:
        return Indicator("ratio", good=counted, total=total_query, description=text)
    return Indicator("ratio", good=f"({total_query}) - ({counted})", total=total_query, description=text)


def _v1alpha_query(holder: View, what: str) -> str:
    source = holder.get("source")
    if not isinstance(source, str) or source.lower() != v.DATADOG:
        raise NotImported(
            rules.UNSUPPORTED_SOURCE,
            holder.at("source"),
            f"{what}: metric source '{source}' is not supported",
            "alertc compiles SLOs to Datadog: only Datadog metric queries can be imported",
        )
    query_type = holder.get("queryType")
    if query_type not in (None, "query"):
        raise NotImported(
            rules.UNSUPPORTED_SOURCE, holder.at("queryType"), f"{what}: queryType '{query_type}' is not a Datadog query"
        )
    return _text(holder, "query", what)


def read_v1alpha_indicator(spec: View, objective: View | None, what: str, report: Report) -> Indicator:
    """A v1alpha SLO's indicator (``spec.indicator.thresholdMetric``) or objective ``ratioMetrics``."""
    indicator = spec.child("indicator")
    ratio = objective.child("ratioMetrics") if objective is not None else None
    if indicator is not None and ratio is not None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR, spec.at("indicator"), f"{what}: both an indicator and ratioMetrics are given"
        )
    if indicator is not None:
        threshold = indicator.child("thresholdMetric")
        if threshold is None:
            raise NotImported(rules.UNMAPPED_INDICATOR, indicator.at(), f"{what}: indicator.thresholdMetric is missing")
        return Indicator("threshold", query=_v1alpha_query(threshold, what))
    if ratio is None:
        raise NotImported(
            rules.UNMAPPED_INDICATOR,
            spec.at(),
            f"{what}: neither spec.indicator nor objectives[0].ratioMetrics is given",
        )
    good, total = ratio.child("good"), ratio.child("total")
    if good is None or total is None:
        raise NotImported(rules.UNMAPPED_INDICATOR, ratio.at(), f"{what}: ratioMetrics needs good and total")
    if ratio.get("incremental") is True:
        report.add(
            rules.FIELD_NOT_IMPORTED,
            ratio.at("incremental"),
            f"{what}: ratioMetrics.incremental: true is not imported; Datadog knows each metric's type and sums the "
            "queries as written",
            "write counts with .as_count() in the queries",
        )
    return Indicator("ratio", good=_v1alpha_query(good, what), total=_v1alpha_query(total, what))


def referenced_sli(catalog: Catalog, ref: object, where: View, key: str, what: str) -> OpenSloObject:
    sli = catalog.find("SLI", ref)
    if sli is None:
        raise NotImported(
            rules.DANGLING_REFERENCE,
            where.at(key),
            f"{what}: {v.dangling(key, ref, 'SLI')} among the documents",
            "add the SLI document",
        )
    sli.used = True
    return sli
