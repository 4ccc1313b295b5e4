"""One page per outage: a dependency's own monitor leaves the paging to the per-key group that sees it first.

A grouped monitor with ``dependency_group`` (the Sign-in Service success rate ``by {type}``, one group per CSP)
and a dependency's own monitor (the Login.gov success rate, filtered ``type:logingov``, which raises the
Login.gov banner) watch the same failure. Datadog's PagerDuty integration deduplicates by monitor and group, so
both open an incident on the service and the on-call is paged twice for one CSP outage. The dependency's own
monitor is therefore compiled as the banner's and the channel's only: the grouped monitor's group for its key
pages (once, with the declaration prompt), and the dependency monitor's message says which group that is.

The rule applies only when the two can be told to be the same failure from the definitions: the same service
(so the same PagerDuty service), a grouped monitor that pages, and a dependency monitor whose query filters on
the grouped monitor's group tag with its own banner key as the value (``type:logingov``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from compiler.compile.routing import rate_monitor
from compiler.definitions import models as m


@dataclass(frozen=True)
class PagedBy:
    """The grouped monitor, and its group, that pages for a dependency monitor's failure."""

    monitor: str
    group: str

    def sentence(self) -> str:
        return (
            f"The on-call is paged by the {self.group} group of monitor '{self.monitor}' (one page per outage): "
            "this alert raises the banner and tells the channel."
        )


def _filters_on(query: str, tag: str) -> bool:
    """Whether a query's scope ``{...}`` holds the tag ``tag`` (``type:logingov``) as one of its terms."""
    term = re.escape(tag)
    return any(re.search(rf"(^|,)\s*{term}\s*(,|$)", scope) for scope in re.findall(r"\{([^}]*)\}", query))


def paged_by(
    process: m.Process, monitors: Iterable[m.Monitor], services: Mapping[str, m.Service]
) -> dict[str, PagedBy]:
    """Dependency monitor name → the grouped monitor's group that pages for it (see the module docstring)."""
    monitors = list(monitors)
    grouped = [
        mon
        for mon in monitors
        if mon.dependency_group is not None
        and not mon.notify.replace_defaults
        and services[mon.service].pagerduty is not None
        and rate_monitor(process, mon, services[mon.service]).pages
    ]
    found: dict[str, PagedBy] = {}
    for monitor in sorted(monitors, key=lambda mon: mon.name):
        if monitor.banner_key is None or monitor.dependency_group is not None:
            continue
        for group_monitor in sorted(grouped, key=lambda mon: mon.name):
            tag = f"{group_monitor.dependency_group}:{monitor.banner_key}"
            if group_monitor.service == monitor.service and _filters_on(monitor.query, tag):
                found[monitor.name] = PagedBy(group_monitor.name, tag)
                break
    return found
