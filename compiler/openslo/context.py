"""The definitions an OpenSLO import lands in: their teams, environments, severities and existing names.

An OpenSLO SLO names a service and a severity; in alertc both must exist in the
definitions (a service belongs to a team and an environment, a severity is a rung
of the process). The import reads the existing definitions (``-d``) to resolve
them and to refuse names that are already taken. Definitions written by an
earlier run of the same import (the files it is about to overwrite) do not count
as existing: importing twice gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.definitions import Definitions, Location
from compiler.definitions import models as m
from compiler.openslo.alerting import Rung


@dataclass(frozen=True)
class ExistingService:
    name: str
    title: str
    description: str
    team: str
    environment: str
    pages: bool  # it has PagerDuty routing
    where: Location
    impact: str | None = None  # the severity its outage means (rates its recommended burn tiers)


@dataclass
class ImportContext:
    """What the existing definitions offer an import, and the user's defaults for new services."""

    teams: list[str]
    channels: dict[str, str]  # team → its Slack alerts channel (where burn-rate alerts go)
    environments: list[str]  # every environment of the process's tiers, production tiers' first
    severities: list[Rung]
    services: dict[str, ExistingService] = field(default_factory=dict)
    slos: dict[str, Location] = field(default_factory=dict)
    team: str | None = None  # --team
    environment: str | None = None  # --environment
    process: m.Process | None = None

    @classmethod
    def from_definitions(
        cls, definitions: Definitions, replaced: set[Path], *, team: str | None = None, environment: str | None = None
    ) -> ImportContext:
        """The context of ``definitions``, leaving out what was written to the ``replaced`` files."""
        process = definitions.process
        tiers = sorted(process.tiers, key=lambda t: not t.production) if process is not None else []
        context = cls(
            teams=[t.name for t in definitions.teams],
            channels={t.name: t.slack.alerts for t in definitions.teams},
            environments=list(dict.fromkeys(env for tier in tiers for env in tier.environments)),
            severities=[Rung(s.name, s.pages) for s in process.severities] if process is not None else [],
            team=team,
            environment=environment,
            process=process,
        )
        for service in definitions.services:
            where = _kept(definitions, service, replaced)
            if where is not None:
                context.services[service.name] = ExistingService(
                    service.name,
                    service.title,
                    service.description,
                    service.team,
                    service.environment,
                    service.pagerduty is not None,
                    where,
                    service.impact,
                )
        for slo in definitions.slos:
            where = _kept(definitions, slo, replaced)
            if where is not None:
                context.slos[slo.name] = where
        return context


def _kept(definitions: Definitions, item: Any, replaced: set[Path]) -> Location | None:
    origin = definitions.origin(item)
    if origin.document.path.resolve() in replaced:
        return None
    return origin.at()
