"""Rules checked over a whole, loaded definition set, and what their checks read.

A ``SetRule`` is a rule with its check: a function of the rule and a
``LintContext`` that yields the rule's findings. The context is made for one
lint call and dropped with it: what several rules share (the paging monitors,
the simulated warnings) is computed once per call, and nothing of the set
outlives the call (kept, the paging monitors held two thirds of a large set's
monitor models through the whole plan).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from pydantic import BaseModel

from compiler.checks.findings import Finding, Location, Severity
from compiler.checks.rule import Rule
from compiler.compile.banners import banner_routes
from compiler.compile.messages import MessageContext
from compiler.compile.monitors import compile_monitor
from compiler.compile.routing import rate_monitor
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.definitions.source import display_path
from compiler.notify.simulate import Outcome, Target, simulate

Check = Callable[["SetRule", "LintContext"], Iterable[Finding]]


@dataclass(frozen=True)
class SetRule(Rule):
    """A rule checked over a loaded definition set (its references resolved), with its check."""

    check: Check = field(repr=False, compare=False)

    def findings(self, ctx: LintContext) -> list[Finding]:
        return list(self.check(self, ctx))


def set_rule(rule_id: str, severity: Severity, *, explanation: str | None = None) -> Callable[[Check], SetRule]:
    """Make the decorated check a rule; the function's name then stands for the rule object.

    The check's docstring is what ``--explain`` prints: its first paragraph the title, then what the rule
    guards against and why, then the fix (paragraphs joined into lines). ``explanation`` replaces the part
    after the title where it must quote a value from the code.
    """

    def make(check: Check) -> SetRule:
        title, *body = [" ".join(p.split()) for p in inspect.cleandoc(check.__doc__ or "").split("\n\n")]
        return SetRule(rule_id, severity, title, "\n".join(body) if explanation is None else explanation, check)

    return make


@dataclass(eq=False)
class LintContext:
    """One lint call: the set, the plan's time, and what several checks share, computed at most once."""

    definitions: Definitions
    now: datetime

    @property
    def process(self) -> m.Process:
        """The process (a loaded set always has one: its absence is a reference error)."""
        assert self.definitions.process is not None
        return self.definitions.process

    @cached_property
    def services(self) -> dict[str, m.Service]:
        return {s.name: s for s in self.definitions.services}

    @cached_property
    def root_shown(self) -> str:
        return display_path(self.definitions.root)

    @cached_property
    def paging(self) -> list[tuple[m.Monitor, m.Service]]:
        """Monitors that page, with their service."""
        out = []
        for monitor in self.definitions.monitors:
            service = self.services[monitor.service]
            if rate_monitor(self.process, monitor, service).pages:
                out.append((monitor, service))
        return out

    @cached_property
    def warning_outcomes(self) -> list[tuple[m.Monitor, float, list[Outcome]]]:
        """Each monitor whose warning could notify PagerDuty, its warning threshold, and what its warnings do.

        Only extra handles the definitions add can reach a warning: alertc writes its own paging and banner
        handles inside ``{{#is_alert}}`` blocks (the notification tests prove it for every example alert).
        Simulating just those monitors keeps validate fast on large sets.
        """
        out = []
        for monitor in self.definitions.monitors:
            warning = monitor.thresholds.warning
            if warning is None or not any(h.startswith("@pagerduty-") for h in monitor.notify.handles):
                continue
            outcomes = self.simulated(monitor).values()
            out.append((monitor, warning, [o for o in outcomes if o.transition.to_status == "warn"]))
        return out

    def simulated(self, monitor: m.Monitor) -> dict[str, Outcome]:
        """What the compiled monitor does on each transition (the same compile and simulator as the plan)."""
        d = self.definitions
        service = self.services[monitor.service]
        team = next(t for t in d.teams if t.name == service.team)
        routes = banner_routes(d.dependencies)
        rating = rate_monitor(self.process, monitor, service)
        body = compile_monitor(self.process, monitor, service, team, rating, MessageContext(banner_routes=routes)).body
        targets = {f"@pagerduty-{s.name}": Target("service", s.name) for s in d.services if s.pagerduty is not None}
        targets |= {handle: Target("banner", key) for key, handle in routes.items()}
        return simulate(body, targets)

    def at(self, item: BaseModel, *path: str | int) -> Location | None:
        """The position of ``path`` in ``item``; None for definitions built in code, which have no positions."""
        try:
            return self.definitions.origin(item).at(*path)
        except KeyError:
            return None

    def finding(
        self, rule: Rule, item: BaseModel, path: tuple[str | int, ...], message: str, hint: str | None = None
    ) -> Finding:
        return rule.finding(self.at(item, *path), message, hint)
