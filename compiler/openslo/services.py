"""OpenSLO services → alertc services: an existing one by name, or a new definition.

OpenSLO names a service and little else; an alertc service belongs to a team and
an environment and states its traffic. A service the definitions already have is
used as it is (where the OpenSLO document says otherwise, that is reported). A new
one takes its team and environment from the document's ``team`` and ``env`` labels
when they name a team and an environment of the definitions, else from
``--team``/``--environment``, else the only team and the first production
environment; its traffic from the ``alertc.dev/users-per-hour`` annotation (0 and a
warning without one). A service an SLO names without a Service document is created
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.checks import openslo as rules
from compiler.definitions import Location
from compiler.importer.write import slug
from compiler.openslo import vocabulary as v
from compiler.openslo.context import ImportContext
from compiler.openslo.documents import Catalog, OpenSloObject
from compiler.openslo.report import NotImported, Report
from compiler.openslo.view import View


@dataclass
class ServiceOutcome:
    """What an OpenSLO service name became: an alertc service name, and a new definition if it is new."""

    name: str
    team: str
    pages: bool
    definition: dict[str, Any] | None = None
    impact: str | None = None


def alertc_name(name: str, where: Location, what: str, report: Report) -> str:
    """An OpenSLO name as an alertc name (lowercase letters, digits, '-'); a change is reported."""
    converted = slug(name)
    if not converted:
        raise NotImported(rules.NAME_CONFLICT, where, f"{what}: the name '{name}' has no letters or digits")
    if converted != name:
        report.add(
            rules.READ_AS_NEAREST,
            where,
            f"{what}: renamed '{converted}' (alertc names are lowercase letters, digits and '-')",
        )
    return converted


def label_values(labels: View | None, key: str) -> list[str]:
    value = labels.get(key) if labels is not None else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _choose(
    labels: View | None, key: str, known: list[str], fallback: str | None, what: str, report: Report
) -> str | None:
    """The one label value naming a known team/environment, else ``fallback`` (reporting an unusable label)."""
    values = label_values(labels, key)
    matching = [value for value in values if value in known]
    if len(matching) == 1:
        return matching[0]
    if values and labels is not None and fallback is not None:
        report.add(
            rules.DEFAULT_TAKEN,
            labels.at(key),
            f"{what}: label {key}: {', '.join(values)} names no single {key} of the definitions; '{fallback}' is used",
            f"known: {', '.join(known) or '(none)'}",
        )
    return fallback


def _new_service(
    name: str, obj: OpenSloObject | None, where: Location, context: ImportContext, report: Report
) -> dict[str, Any]:
    what = f"service '{name}'"
    metadata = obj.metadata if obj is not None else None
    labels = metadata.child("labels") if metadata is not None else None
    team = _choose(labels, v.TEAM_LABEL, context.teams, context.team or _only(context.teams), what, report)
    if team is None:
        raise NotImported(
            rules.NO_TEAM_OR_ENVIRONMENT,
            where,
            f"{what}: no team for the new service",
            "pass --team NAME (one of: " + ", ".join(context.teams) + ")",
        )
    default_env = context.environment or (context.environments[0] if context.environments else None)
    environment = _choose(labels, v.ENV_LABEL, context.environments, default_env, what, report)
    if environment is None:
        raise NotImported(rules.NO_TEAM_OR_ENVIRONMENT, where, f"{what}: the process defines no environment")
    annotations = metadata.child("annotations") if metadata is not None else None
    traffic = annotations.get(v.USERS_PER_HOUR) if annotations is not None else None
    users = int(traffic) if isinstance(traffic, str) and traffic.isdigit() else None
    if users is None:
        report.add(
            rules.DEFAULT_TAKEN,
            annotations.at(v.USERS_PER_HOUR) if traffic is not None and annotations is not None else where,
            f"{what}: its traffic is unknown; users_per_hour: 0 is written",
            "set users_per_hour (users per hour) in the written file: severities and the SLO lint read it",
        )
    definition: dict[str, Any] = {"name": name, "title": name}
    if obj is not None:
        display = obj.metadata.get("displayName")
        definition["title"] = display if isinstance(display, str) and display else name
        description = obj.spec.get("description")
        if isinstance(description, str) and description:
            definition["description"] = description
    definition.update(team=team, environment=environment, users_per_hour=users or 0)
    return definition


def _only(names: list[str]) -> str | None:
    return names[0] if len(names) == 1 else None


def _compare(obj: OpenSloObject, existing: Any, report: Report) -> None:
    """A Service document for a service the definitions have: say where they disagree (the definition wins)."""
    labels = obj.metadata.child("labels")
    given = {
        "title": obj.metadata.get("displayName"),
        "description": obj.spec.get("description"),
        "team": label_values(labels, v.TEAM_LABEL) or None,
        "environment": label_values(labels, v.ENV_LABEL) or None,
    }
    annotations = obj.metadata.child("annotations")
    if annotations is not None:
        annotations.consume(v.USERS_PER_HOUR)
    for attribute, value in given.items():
        current = getattr(existing, attribute)
        if value is None or value in (current, [current]):
            continue
        report.add(
            rules.EXISTING_SERVICE_DIFFERS,
            obj.view.at(),
            f"service '{existing.name}': the document's {attribute} {value!r} differs from the definition's "
            f"{current!r} ({existing.where}); the definition is kept",
        )


class ServiceResolver:
    """What each OpenSLO service name becomes, decided once per name (Service documents first)."""

    def __init__(self, catalog: Catalog, context: ImportContext, report: Report) -> None:
        self.context = context
        self.report = report
        self.documented = {o.name: o for o in catalog.of_kind("Service")}
        self.outcomes: dict[str, ServiceOutcome] = {}
        self.taken: dict[str, str] = {}  # alertc name -> the OpenSLO name it came from
        self.imported: list[OpenSloObject] = []

    def documents(self) -> None:
        """Resolve every Service document, used by an SLO or not (each is a service of the definitions)."""
        for raw, obj in self.documented.items():
            try:
                self.resolve(raw, obj.metadata.at("name"))
            except NotImported as problem:
                self.report.not_imported(problem)

    def resolve(self, raw: str, where: Location) -> ServiceOutcome:
        """The alertc service for OpenSLO service ``raw`` (named at ``where``), or NotImported."""
        if raw in self.outcomes:
            return self.outcomes[raw]
        obj = self.documented.get(raw)
        if obj is not None:
            where = obj.metadata.at("name")
        name = alertc_name(raw, where, f"service '{raw}'", self.report)
        if name in self.taken:
            raise NotImported(
                rules.NAME_CONFLICT, where, f"service '{raw}' becomes '{name}', as service '{self.taken[name]}' does"
            )
        existing = self.context.services.get(name)
        if existing is not None:
            if obj is not None:
                _compare(obj, existing, self.report)
            outcome = ServiceOutcome(name, existing.team, existing.pages, impact=existing.impact)
        else:
            if obj is None:
                self.report.add(
                    rules.DEFAULT_TAKEN,
                    where,
                    f"service '{raw}' has no Service document and is not defined: it is created",
                )
            definition = _new_service(name, obj, where, self.context, self.report)
            outcome = ServiceOutcome(name, str(definition["team"]), False, definition)
        self.outcomes[raw] = outcome
        self.taken[name] = raw
        if obj is not None:
            obj.used = True
            self.imported.append(obj)
        return outcome

    def new_definitions(self, used: set[str]) -> list[dict[str, Any]]:
        """New services to write: every documented one, and the undocumented ones an imported SLO uses."""
        return [
            outcome.definition
            for raw, outcome in sorted(self.outcomes.items(), key=lambda item: item[1].name)
            if outcome.definition is not None and (raw in self.documented or outcome.name in used)
        ]
