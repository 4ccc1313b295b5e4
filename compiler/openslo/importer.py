"""``alertc import --openslo``: OpenSLO documents → alertc ``services`` and ``slos`` definitions, and findings.

Every object is accounted for: mapped (SLOs with what they reference, services),
reported as not imported with the reason (an error), or reported as used by
nothing (a warning); and of every object that was mapped, each field nothing
read is reported with its position. The definitions written are sorted by name,
so the same documents always give the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.checks import openslo as rules
from compiler.definitions import Finding
from compiler.openslo import vocabulary as v
from compiler.openslo.context import ImportContext
from compiler.openslo.documents import Catalog, OpenSloObject, read_catalog
from compiler.openslo.indicators import Sources, read_indicator
from compiler.openslo.report import NotImported, Report
from compiler.openslo.services import ServiceResolver
from compiler.openslo.slos import SloContext, read_slo
from compiler.openslo.view import View

UNUSED = {
    "SLI": "no SLO uses it (alertc keeps an SLO's indicator inside the SLO)",
    "AlertPolicy": "no SLO uses it",
    "AlertCondition": "no alert policy of an SLO uses it",
    "AlertNotificationTarget": "no alert policy of an SLO uses it",
    "DataSource": "no indicator of an SLO uses it",
}


@dataclass
class OpenSloImport:
    """The definitions an import makes, and what it has to say about the documents."""

    services: list[dict[str, Any]] = field(default_factory=list)
    slos: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    objects: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


def import_documents(paths: list[Path], context: ImportContext) -> OpenSloImport:
    """Read ``paths`` (files or directories) and map them onto the definitions ``context`` describes."""
    report = Report()
    catalog = read_catalog(paths, report)
    resolver = ServiceResolver(catalog, context, report)
    resolver.documents()
    imported: list[OpenSloObject] = list(resolver.imported)
    slos_context = SloContext(catalog, report, context, resolver, imported)
    slos: dict[str, dict[str, Any]] = {}
    for obj in catalog.of_kind("SLO"):
        obj.used = True
        mark = len(imported)
        try:
            definition = read_slo(obj, slos_context)
            _check_name(obj, definition["name"], slos, context)
        except NotImported as problem:
            report.not_imported(problem)
            del imported[mark:]
            continue
        slos[definition["name"]] = definition
        imported.append(obj)
    _mark_referenced(catalog)
    _report_unused(catalog, imported, report)
    _report_unread(imported, report)
    used_services = {str(d["service"]) for d in slos.values()}
    return OpenSloImport(
        services=resolver.new_definitions(used_services),
        slos=[slos[name] for name in sorted(slos)],
        findings=report.sorted(),
        documents=catalog.documents,
        objects=len(catalog.objects),
    )


def _check_name(obj: OpenSloObject, name: str, taken: dict[str, Any], context: ImportContext) -> None:
    where = obj.metadata.at("name")
    if name in context.slos:
        raise NotImported(
            rules.NAME_CONFLICT,
            where,
            f"SLO '{obj.name}': an SLO named '{name}' is already defined ({context.slos[name]})",
            "remove one of them: an import adds SLOs, it does not change the ones defined",
        )
    if name in taken:
        raise NotImported(
            rules.NAME_CONFLICT, where, f"SLO '{obj.name}': another SLO of the documents is also named '{name}'"
        )


REFERENCES = {
    "indicatorRef": "SLI",
    "alertPolicyRef": "AlertPolicy",
    "conditionRef": "AlertCondition",
    "targetRef": "AlertNotificationTarget",
    "metricSourceRef": "DataSource",
}


def _mark_referenced(catalog: Catalog) -> None:
    """Mark as used everything an SLO reaches through references, imported or not (an SLO left out for its
    window still uses its policies: they are not "used by no SLO")."""
    pending = list(catalog.of_kind("SLO"))
    while pending:
        stack: list[Any] = [pending.pop().view.data]
        while stack:
            value = stack.pop()
            if isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, dict):
                for key, item in value.items():
                    found = catalog.find(REFERENCES[key], item) if key in REFERENCES else None
                    if found is not None and not found.used:
                        found.used = True
                        pending.append(found)
                    stack.append(item)


def _report_unused(catalog: Catalog, imported: list[OpenSloObject], report: Report) -> None:
    """Objects no imported SLO used: an unsupported SLI is an error (with why), anything else a warning."""
    mapped = {id(o) for o in imported}
    for obj in catalog.objects:
        if obj.used or id(obj) in mapped or obj.kind not in UNUSED:
            continue
        if obj.is_a("SLI"):
            try:
                read_indicator(obj.view, Sources(catalog, Report(), []), f"SLI '{obj.name}'")
            except NotImported as problem:
                report.not_imported(problem)
                continue
        if obj.is_a("AlertPolicy") and _dangling(obj, catalog, report):
            continue
        report.add(rules.OBJECT_NOT_USED, obj.view.at(), f"{obj.describe()} is not imported: {UNUSED[obj.kind]}")


def _report_unread(imported: list[OpenSloObject], report: Report) -> None:
    """Every field of a mapped object that nothing read: it has no alertc equivalent, and is said so."""
    for obj in dict.fromkeys(imported):
        obj.view.consume("apiVersion", "kind")
        metadata = obj.view.child("metadata")
        if metadata is not None:
            metadata.consume("name")
        if obj.is_a("DataSource") and obj.spec.has("connectionDetails"):
            obj.spec.consume("connectionDetails")
            report.add(
                rules.FIELD_NOT_IMPORTED,
                obj.spec.key_at("connectionDetails"),
                f"{obj.describe()}: connectionDetails are not imported",
                "alertc reaches Datadog through its targets (alertc.yaml, DD_API_KEY and DD_APP_KEY)",
            )
        for name, location in obj.view.unread():
            report.add(
                rules.FIELD_NOT_IMPORTED,
                location,
                f"{obj.describe()}: {name} is not imported (alertc has no equivalent)",
            )


def _dangling(policy: OpenSloObject, catalog: Catalog, report: Report) -> bool:
    """Report the conditionRef and targetRef of an unused policy that name nothing; whether there were any."""
    found = False
    for key, ref_key in (("conditions", "conditionRef"), ("notificationTargets", "targetRef")):
        named = REFERENCES[ref_key]
        for item in policy.spec.items(key):
            ref = item.get(ref_key) if isinstance(item, View) else None
            if isinstance(item, View) and item.has(ref_key) and catalog.find(named, ref) is None:
                found = True
                report.add(
                    rules.DANGLING_REFERENCE,
                    item.at(ref_key),
                    f"{policy.describe()}: {v.dangling(ref_key, ref, named)}",
                )
    return found
