"""How a run tells a person what it is doing: progress and notices on standard error.

One ``Progress`` per run, built by the command line from ``-q``/``-v`` and
whether standard error is a terminal, carried by the run context, and handed as
the ``Observer`` of ``compiler.events`` to the code doing the work:

* on a terminal: a status line rewritten in place (the phase, monitors validated
  so far), a line per kind read with its count, a line per applied change with the
  created id;
* otherwise (CI logs, files): one line per phase, so a log shows where a long run is;
* ``-q``: no progress and no notices (warnings and errors still print);
* ``-v``: everything above as plain lines, plus every request (method and path,
  never headers, query or body), retry and rate-limit wait.

Every line goes through ``redact`` as a last defence, so a credential can never
reach the terminal through a progress line.
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TextIO

from compiler.events import (
    ChangeApplied,
    Event,
    KindRead,
    MonitorValidated,
    PhaseFinished,
    PhaseStarted,
    RateLimitWait,
    RequestSent,
    RetryScheduled,
)

Verbosity = Literal["quiet", "normal", "verbose"]
CLEAR_LINE = "\r\x1b[K"
PAST = {"create": "created", "update": "updated", "delete": "deleted"}
SECRET_VARIABLES = ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN")


def secret_masker(environ: Mapping[str, str], names: tuple[str, ...] = SECRET_VARIABLES) -> Callable[[str], str]:
    """A function replacing the values of the credential variables in ``environ`` with ``****``."""
    values = [v for v in (environ.get(name, "").strip() for name in names) if len(v) >= 4]

    def mask(text: str) -> str:
        for value in values:
            text = text.replace(value, "****")
        return text

    return mask


@dataclass
class _Phase:
    name: str
    total: int | None
    done: int = 0


class Progress:
    """Renders run events and notices on ``stream`` according to the verbosity and whether it is a terminal.

    Thread-safe: reads and apply report from worker threads, and each line is
    written whole under one lock.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        verbosity: Verbosity = "normal",
        tty: bool | None = None,
        redact: Callable[[str], str] = lambda text: text,
    ) -> None:
        self.stream = stream
        self.verbosity = verbosity
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(isatty and isatty()) if tty is None else tty
        self.redact = redact
        self._lock = threading.Lock()
        self._phases: list[_Phase] = []
        self._status = ""  # the transient line currently drawn (terminal only)

    # -- what the run context and commands call ------------------------------------------------

    def notice(self, message: str) -> None:
        """Something worth knowing (the target used, a file written): shown unless ``-q``."""
        if self.verbosity != "quiet":
            self._line(message)

    def warn(self, message: str) -> None:
        """A warning: shown even with ``-q``."""
        self._line(message)

    def close(self) -> None:
        """Clear the status line (before the result is printed on the same terminal)."""
        with self._lock:
            self._draw("")

    def __call__(self, event: Event) -> None:
        """The ``Observer`` of ``compiler.events``."""
        if self.verbosity == "quiet":
            return
        if isinstance(event, PhaseStarted):
            self._phase_started(event)
        elif isinstance(event, PhaseFinished):
            self._phase_finished(event)
        elif isinstance(event, KindRead):
            self._detail(f"read {event.count} {event.address}")
        elif isinstance(event, MonitorValidated):
            if self.verbose:
                self._line(f"validated {event.address} ({event.done}/{event.total})")
            elif self.tty:
                self._set_status(f"validating monitors {event.done}/{event.total}: {event.address}")
        elif isinstance(event, ChangeApplied):
            self._change_applied(event)
        elif self.verbose:
            self._line(_wire_line(event))

    # -- rendering -----------------------------------------------------------------------------

    @property
    def verbose(self) -> bool:
        return self.verbosity == "verbose"

    def _phase_started(self, event: PhaseStarted) -> None:
        with self._lock:
            self._phases.append(_Phase(event.name, event.total))
        title = event.name if event.total is None else f"{event.name} ({event.total})"
        if self.tty:
            self._set_status(f"{title}…")
        else:
            self._line(title)

    def _phase_finished(self, event: PhaseFinished) -> None:
        with self._lock:
            for index in range(len(self._phases) - 1, -1, -1):
                if self._phases[index].name == event.name:
                    del self._phases[index:]
                    break
            current = self._phases[-1] if self._phases else None
        if self.tty:
            self._set_status(_phase_status(current))

    def _change_applied(self, event: ChangeApplied) -> None:
        with self._lock:
            counted = next((p for p in reversed(self._phases) if p.total is not None), None)
            if counted is not None:
                counted.done += 1
            count = f"[{counted.done}/{counted.total}] " if counted is not None else ""
        if event.error is not None:
            self._detail(f"{count}FAILED {event.action} {event.address}: {event.error}")
            return
        done = PAST.get(event.action, event.action)
        self._detail(f"{count}{done} {event.address}" + (f" (id {event.live_id})" if event.live_id else ""))

    def _detail(self, text: str) -> None:
        """Per-item lines: on a terminal, or with ``-v``; a log without ``-v`` keeps one line per phase."""
        if self.tty or self.verbose:
            self._line(text)

    def _set_status(self, text: str) -> None:
        if not self.tty:
            return
        with self._lock:
            self._draw(text)

    def _draw(self, text: str) -> None:
        if not self.tty or (not text and not self._status):
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        shown = self.redact(text)[:width]
        self.stream.write(CLEAR_LINE + shown)
        self.stream.flush()
        self._status = shown

    def _line(self, text: str) -> None:
        with self._lock:
            status = self._status
            if status:
                self.stream.write(CLEAR_LINE)
                self._status = ""
            self.stream.write(self.redact(text) + "\n")
            if status:
                self._draw(status)
            self.stream.flush()


def _phase_status(current: _Phase | None) -> str:
    if current is None:
        return ""
    return current.name + (f" ({current.done}/{current.total})…" if current.total is not None else "…")


def _wire_line(event: RequestSent | RetryScheduled | RateLimitWait) -> str:
    if isinstance(event, RequestSent):
        status = event.status if event.status is not None else "no answer"
        return f"{event.api}: {event.method} {event.path} -> {status} ({event.seconds * 1000:.0f} ms)"
    if isinstance(event, RetryScheduled):
        return f"retry: {event.what}: {event.reason}; attempt {event.attempt + 1} in {event.wait:.1f}s"
    return f"rate limit: {event.api} {event.bucket}: waiting {event.seconds:.1f}s"


def silent() -> Progress:
    """A reporter that prints nothing (library use and tests)."""
    return Progress(io.StringIO(), verbosity="quiet", tty=False)
