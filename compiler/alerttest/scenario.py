"""One test played: its series and acknowledgements through the evaluator, and the banners users see.

The series samples are placed every ``interval`` from the test's ``start`` (``_`` leaves a gap); the run lasts the
test's ``duration``, or until the last sample or the last expectation, whichever is later. Banners are the reference
banner decision (``compiler.banners.decide``) over the PagerDuty status of each key's status service at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from compiler.alerttest.load import Case
from compiler.alerttest.values import expand
from compiler.banners.config import BannerConfig
from compiler.banners.decide import Decision, Window, decide
from compiler.definitions import Definitions
from compiler.evaluate.pagerduty import Acknowledgement
from compiler.evaluate.run import Timeline, run
from compiler.evaluate.series import Series, SeriesSet
from compiler.evaluate.world import World

DEFAULT_START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # a Monday, 07:00 in New York, 06:00 in Chicago
DEFAULT_INTERVAL = 60


@dataclass
class Played:
    case: Case
    start: datetime
    duration: int
    timeline: Timeline
    world: World
    banner_config: BannerConfig | None
    windows: list[Window]

    def banner(self, method: str, when: int) -> Decision:
        assert self.banner_config is not None
        statuses = {
            key: self.timeline.service_status(service_id, when)
            for key, service_id in self.banner_config.services.items()
        }
        return decide(self.banner_config, statuses, self.windows, method, self.start + timedelta(seconds=when))

    def shown(self, method: str, when: int) -> str:
        """What ``method``'s users see: none, maintenance, multiple_services, or the banner key."""
        decision = self.banner(method, when)
        return decision.key if decision.banner == "service" and decision.key else decision.banner


def series_of(case: Case) -> list[Series]:
    test = case.test
    default = test.interval or case.defaults.interval or DEFAULT_INTERVAL
    out = []
    for spec in test.series:
        step = spec.interval or default
        samples = expand(spec.values)
        times = [i * step for i, v in enumerate(samples) if v is not None]
        values = [v for v in samples if v is not None]
        tags = {k.lower(): v.lower() for k, v in spec.tags.items()}
        out.append(Series(spec.metric, tags, times, values, step))
    return out


def start_of(case: Case) -> datetime:
    """The clock at the test's 0m."""
    return case.test.start or case.defaults.start or DEFAULT_START


def duration_of(case: Case, series: list[Series]) -> int:
    """The test's ``duration``, or until its last sample, acknowledgement or expectation, whichever is later."""
    test = case.test
    longest = max((s.times[-1] for s in series if s.times), default=0)
    last_check = max((e.window[1] for e in test.expect), default=0)
    last_ack = max((a.at for a in test.acknowledgements), default=0)
    return test.duration if test.duration is not None else max(longest, last_check, last_ack)


def play(case: Case, definitions: Definitions, world: World, banner_config: BannerConfig | None) -> Played:
    test = case.test
    start = start_of(case)
    series = series_of(case)
    acks = [
        Acknowledgement(a.at, _service_id(world, a.service), _person_id(world, a.by)) for a in test.acknowledgements
    ]
    duration = duration_of(case, series)
    data = SeriesSet(series, start_epoch=int(start.timestamp()))
    timeline = run(world, data, start=start, duration=duration, acknowledgements=acks)
    windows = [
        Window(w.name, tuple(w.dependencies), w.start, w.end, w.message) for w in definitions.maintenance_windows
    ]
    return Played(case, start, duration, timeline, world, banner_config, windows)


def _service_id(world: World, key: str | None) -> str | None:
    if key is None:
        return None
    service = world.service_by_key(key)
    return service.id if service is not None else None


def _person_id(world: World, email: str | None) -> str | None:
    if email is None:
        return None
    return next((uid for uid, who in world.people.items() if who == email), email)
