"""Preflight: what the definitions reference outside alertc, checked around a plan; the embedded sandbox's stand-ins.

A plan compares what alertc manages, but it leans on things alertc never
creates: people, existing PagerDuty teams, existing status services, the
Datadog handles reaching them, existing SLOs. Each has one module here with

* ``check(inputs)``: refuse the plan, naming what is missing and how to fix
  it, before apply could fail halfway on it;
* ``seed_embedded(definitions, session)``: give the embedded sandbox, which
  starts empty, what a real account already has, unowned (never run against
  anything else).

The application layer runs them around the plan (``compiler.app``): seeds
before the live read, checks on what was read, before the plan's verdicts. The
engine (``compiler.engine``, ``compiler.live``) never imports this package.
"""

from __future__ import annotations

from typing import Protocol

from compiler.definitions import Definitions
from compiler.live import Session
from compiler.preflight import handles, people, services, slos, teams
from compiler.preflight.inputs import PlanInputs


class OutsideThing(Protocol):
    """What each module here is."""

    def check(self, inputs: PlanInputs) -> None: ...

    def seed_embedded(self, definitions: Definitions, session: Session) -> list[str]: ...


# In this order: a handle's seed needs its service seeded; checks report the first missing kind of thing.
OUTSIDE_THINGS: tuple[OutsideThing, ...] = (people, teams, services, handles, slos)
EMBEDDED = "embedded"


def seed_embedded(definitions: Definitions, session: Session) -> None:
    """On the embedded sandbox only (anything else: nothing), seed what the definitions reference."""
    if session.target.mode != EMBEDDED:
        return
    for thing in OUTSIDE_THINGS:
        thing.seed_embedded(definitions, session)


def check(inputs: PlanInputs) -> None:
    """Every check, in order; the first that finds something missing raises its PlanError."""
    for thing in OUTSIDE_THINGS:
        thing.check(inputs)


__all__ = ["OUTSIDE_THINGS", "OutsideThing", "PlanInputs", "check", "seed_embedded"]
