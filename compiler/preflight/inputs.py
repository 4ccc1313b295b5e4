"""What a preflight check looks at: the definitions, what they compile to, what the plan read, and the session.

One value for every check, so each module's ``check`` has the same signature whether it compares
against the compiled set (people, teams), the live read (teams, SLOs) or reads by id (status
services, Datadog handles: Datadog and PagerDuty have no bulk list a plan already makes for them).
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.definitions import Definitions
from compiler.live import LiveState, Session
from compiler.resources import ResourceSet


@dataclass(frozen=True)
class PlanInputs:
    """``adopt_by_name``: the plan adopts unowned objects by name, so a name shared with one is no clash."""

    definitions: Definitions
    desired: ResourceSet
    live: LiveState
    session: Session
    adopt_by_name: bool = False
