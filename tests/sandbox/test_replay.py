"""The fidelity score the project keeps (tests/sandbox/replay.py): the repository's recordings and the
public corpus of the official client's recordings replayed, a percentage per family and in total, and
floors (replay_floor.txt) that may only go up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from compiler.sandbox import RateLimitConfig, SandboxHandle, start_embedded
from tests.figures import FIGURE
from tests.sandbox.replay import (
    EXCLUDED,
    Score,
    key,
    legacy_client_recordings,
    public_corpus,
    recordings,
    replay_all,
    summary,
)

FLOOR = Path(__file__).with_name("replay_floor.txt")


def floors() -> dict[str, float]:
    pairs = (line.split() for line in FLOOR.read_text().splitlines() if line.strip())
    return {name: float(value) for name, value in pairs}


@pytest.fixture(scope="module")
def replay_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    with start_embedded(tmp_path_factory.mktemp("replay"), rate_limits=limits) as handle:
        yield handle


def _report(title: str, groups: dict[str, list[Score]]) -> str:
    lines = [f"Sandbox fidelity, {title}:"]
    everything = [s for scores in groups.values() for s in scores]
    for name, scores in sorted(groups.items()):
        percent, points, total = summary(scores)
        statuses = sum(s.statuses for s in scores), sum(s.status_total for s in scores)
        lines.append(f"{percent:6.1f}%  {points:5}/{total:<5} statuses {statuses[0]}/{statuses[1]}  {name}")
    percent, points, total = summary(everything)
    lines.append(f"{percent:6.1f}%  {points:5}/{total:<5} TOTAL over {len(everything)} recordings")
    return "\n".join(lines)


def test_the_repository_recordings_replay_at_their_floor(
    replay_sandbox: SandboxHandle, record_property: Callable[[str, object], None]
) -> None:
    scores = replay_all(replay_sandbox, recordings())
    percent, _, _ = summary(scores)
    record_property(FIGURE, _report("the repository's recordings", {s.name: [s] for s in scores}))
    misses = [f"  {s.name} {m}" for s in scores for m in s.misses]
    assert percent >= floors()["repository"], "fidelity fell below the floor:\n" + "\n".join(misses)
    assert len(scores) >= 22


def test_the_public_corpus_replays_at_its_floor(
    replay_sandbox: SandboxHandle, record_property: Callable[[str, object], None]
) -> None:
    cassettes = public_corpus()
    family = {key(c): f"{c.version}/{c.feature}" for c in cassettes}
    scores = replay_all(replay_sandbox, cassettes)
    groups: dict[str, list[Score]] = defaultdict(list)
    for s in scores:
        groups[family[s.name]].append(s)
    record_property(FIGURE, _report("the public corpus (datadog-api-client-python recordings)", groups))
    print("\n".join(f"  {s.name} {m}" for s in scores for m in s.misses))
    percent, _, _ = summary(scores)
    assert percent >= floors()["corpus"]
    assert len(cassettes) >= 250


def test_the_legacy_clients_recordings_replay_at_their_floor(
    replay_sandbox: SandboxHandle, record_property: Callable[[str, object], None]
) -> None:
    """datadogpy's recorded traffic: the requests the legacy library and `dog` really send (null fields, numeral
    strings, a scope string) and Datadog's answers in 2020-2025."""
    scores = replay_all(replay_sandbox, legacy_client_recordings())
    record_property(
        FIGURE, _report("datadogpy's recordings (legacy datadog library, dog CLI)", {s.name: [s] for s in scores})
    )
    print("\n".join(f"  {s.name} {m}" for s in scores for m in s.misses))
    percent, _, _ = summary(scores)
    assert percent >= floors()["datadogpy"]
    assert len(scores) >= 10


def test_every_exclusion_is_documented() -> None:
    spec = (Path(__file__).resolve().parents[2] / "compiler" / "sandbox" / "SPEC_EXCEPTIONS.md").read_text()
    for name, _ in EXCLUDED:
        stem = name.split("/", 1)[1]
        assert stem in spec, f"{name} excluded from the replay score but not explained in SPEC_EXCEPTIONS.md"
