"""The progress reporter: what a person sees on standard error, by verbosity and by terminal or not."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest

from compiler.events import (
    ChangeApplied,
    Event,
    KindRead,
    MonitorValidated,
    RateLimitWait,
    RequestSent,
    RetryScheduled,
    phase,
)
from compiler.progress import CLEAR_LINE, Progress, Verbosity, secret_masker


def run_events(progress: Progress) -> None:
    """A small plan-and-apply run, as the engine reports it."""
    with phase(progress, "reading live state"):
        progress(RequestSent("datadog", "GET", "/api/v1/monitor", 200, 0.012))
    progress(KindRead("datadog:monitor", 3))
    progress(KindRead("pagerduty:service", 0))
    with phase(progress, "validating monitors", 2):
        progress(MonitorValidated("datadog:monitor/a", 1, 2))
        progress(RateLimitWait("datadog", "monitors", 0.75))
        progress(MonitorValidated("datadog:monitor/b", 2, 2))
    with phase(progress, "applying changes", 2):
        progress(ChangeApplied("create", "datadog:monitor/a", "123"))
        progress(RetryScheduled("update monitor", 1, "HTTP 503", 1.5))
        progress(ChangeApplied("update", "datadog:monitor/b", "456"))


def rendered(verbosity: Verbosity, *, tty: bool) -> str:
    stream = io.StringIO()
    progress = Progress(stream, verbosity=verbosity, tty=tty)
    progress.notice("Target 'sandbox': the embedded sandbox.")
    run_events(progress)
    progress.close()
    return stream.getvalue()


def test_without_a_terminal_one_line_per_phase() -> None:
    assert rendered("normal", tty=False) == (
        "Target 'sandbox': the embedded sandbox.\nreading live state\nvalidating monitors (2)\napplying changes (2)\n"
    )


def test_on_a_terminal_a_status_line_and_a_line_per_kind_and_per_change() -> None:
    out = rendered("normal", tty=True)
    # kinds read with their counts, applied changes with the created id: permanent lines
    lines = [line.rsplit(CLEAR_LINE, 1)[-1] for line in out.split("\n")]
    assert "read 3 datadog:monitor" in lines
    assert "read 0 pagerduty:service" in lines
    assert "[1/2] created datadog:monitor/a (id 123)" in lines
    assert "[2/2] updated datadog:monitor/b (id 456)" in lines
    # the phase and monitor validation are a status line rewritten in place, cleared at the end
    assert f"{CLEAR_LINE}validating monitors 1/2: datadog:monitor/a" in out
    assert f"{CLEAR_LINE}validating monitors 2/2: datadog:monitor/b" in out
    assert f"{CLEAR_LINE}reading live state…" in out
    assert out.endswith(CLEAR_LINE)
    # no request, retry or wait without -v
    assert "GET" not in out and "rate limit" not in out and "retry" not in out


def test_quiet_prints_nothing_but_warnings() -> None:
    stream = io.StringIO()
    progress = Progress(stream, verbosity="quiet", tty=True)
    progress.notice("wrote plans/latest.plan.json")
    run_events(progress)
    progress.close()
    assert stream.getvalue() == ""
    progress.warn("warning: a live object is not managed")
    assert stream.getvalue() == "warning: a live object is not managed\n"


@pytest.mark.parametrize("tty", [False, True])
def test_verbose_shows_requests_retries_and_rate_limit_waits(tty: bool) -> None:
    out = rendered("verbose", tty=tty)
    assert "datadog: GET /api/v1/monitor -> 200 (12 ms)\n" in out
    assert "rate limit: datadog monitors: waiting 0.8s\n" in out
    assert "retry: update monitor: HTTP 503; attempt 2 in 1.5s\n" in out
    assert "read 3 datadog:monitor\n" in out
    assert "[1/2] created datadog:monitor/a (id 123)\n" in out
    if not tty:
        assert "\r" not in out and "\x1b" not in out  # a log gets plain lines only


def test_a_failed_change_is_reported_with_its_reason() -> None:
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    with phase(progress, "applying changes", 1):
        progress(ChangeApplied("create", "datadog:monitor/a", None, "Datadog create monitor (HTTP 400): bad query"))
    assert "[1/1] FAILED create datadog:monitor/a: Datadog create monitor (HTTP 400): bad query\n" in stream.getvalue()


def test_every_line_is_masked_for_the_credentials_in_the_environment() -> None:
    key = "0123456789abcdef0123456789abcdef"
    stream = io.StringIO()
    progress = Progress(stream, verbosity="verbose", tty=False, redact=secret_masker({"DD_API_KEY": key}))
    progress(RequestSent("datadog", "GET", f"/api/v1/monitor/{key}", 200, 0.0))
    progress.notice(f"key {key}")
    assert key not in stream.getvalue()
    assert "/api/v1/monitor/****" in stream.getvalue()


def test_events_from_worker_threads_come_out_as_whole_lines() -> None:
    stream = io.StringIO()
    progress = Progress(stream, verbosity="verbose", tty=True)
    events: list[Event] = [ChangeApplied("create", f"datadog:monitor/m{i}", str(i)) for i in range(200)]
    with phase(progress, "applying changes", len(events)), ThreadPoolExecutor(8) as pool:
        list(pool.map(progress, events))
    lines = [line.rsplit(CLEAR_LINE, 1)[-1] for line in stream.getvalue().split("\n")]
    applied = [line for line in lines if "created" in line]
    assert len(applied) == 200
    assert {line.split("] ", 1)[0] for line in applied} == {f"[{i}/200" for i in range(1, 201)}
