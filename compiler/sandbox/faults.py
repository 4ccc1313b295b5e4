"""Injected latency and failures, reproducible from a seed.

Benchmarks and resilience tests need the failure modes production has: slow
answers, 5xx, bursts of 429, connections that drop, and the nastiest one for a
plan/apply tool, a create that succeeded server-side whose response was lost.
A single seeded generator drawn in request order keeps a run repeatable.

One more failure is the client's own: a process interrupted (Ctrl-C) or killed
(``kill -9``) in the middle of a write. ``signal`` sends a signal to ``signal_pid``
once the ``signal_at``-th request matching ``signal_method``/``signal_path`` has
been handled, before its response is sent: the write is done server-side and
the client is stopped while it waits for the answer, at a request the test
chose (not after a delay that depends on the machine's speed).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal as signals
import threading
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Fault(Enum):
    NONE = "none"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    DROP_CONNECTION = "drop_connection"
    LOSE_RESPONSE = "lose_response"


@dataclass
class FaultConfig:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    burst_429_rate: float = 0.0
    burst_429_length: int = 3
    drop_rate: float = 0.0
    lost_response_rate: float = 0.0
    # Only requests whose path starts with one of these prefixes are affected (empty = all).
    paths: list[str] = field(default_factory=list)
    # Only these methods are affected (empty = all); lost responses only make sense for writes.
    methods: list[str] = field(default_factory=list)
    # A signal (SIGINT, SIGKILL, SIGTERM) to a client process after its signal_at-th matching request.
    signal: str = ""
    signal_pid: int = 0
    signal_at: int = 1
    signal_method: str = ""  # empty: any method
    signal_path: str = ""  # a path prefix; empty: any path

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultConfig:
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        config = cls(**data)
        if config.signal and config.signal not in _SIGNALS:
            raise ValueError(f"signal must be one of {', '.join(_SIGNALS)}, not {config.signal!r}")
        if config.signal and (config.signal_pid <= 0 or config.signal_at < 1):
            raise ValueError("a signal needs signal_pid (the client's process id) and signal_at >= 1")
        return config


_SIGNALS = {"SIGINT": signals.SIGINT, "SIGKILL": signals.SIGKILL, "SIGTERM": signals.SIGTERM}


@dataclass
class Decision:
    delay_s: float
    fault: Fault


class FaultInjector:
    def __init__(self, config: FaultConfig | None, seed: int) -> None:
        self._lock = threading.Lock()
        self._config = config or FaultConfig()
        self._rng = random.Random(seed)
        self._burst_left = 0
        self._signal_seen = 0

    @property
    def config(self) -> FaultConfig:
        return self._config

    def configure(self, config: FaultConfig, seed: int | None = None) -> None:
        with self._lock:
            self._config = config
            self._burst_left = 0
            self._signal_seen = 0
            if seed is not None:
                self._rng = random.Random(seed)

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            cfg = self._config
            if cfg.paths and not any(path.startswith(p) for p in cfg.paths):
                return Decision(0.0, Fault.NONE)
            if cfg.methods and method not in cfg.methods:
                return Decision(0.0, Fault.NONE)
            delay = cfg.latency_ms
            if cfg.jitter_ms:
                delay += self._rng.uniform(0, cfg.jitter_ms)
            fault = Fault.NONE
            if self._burst_left > 0:
                self._burst_left -= 1
                fault = Fault.RATE_LIMITED
            elif cfg.burst_429_rate and self._rng.random() < cfg.burst_429_rate:
                self._burst_left = max(cfg.burst_429_length - 1, 0)
                fault = Fault.RATE_LIMITED
            elif cfg.error_rate and self._rng.random() < cfg.error_rate:
                fault = Fault.SERVER_ERROR
            elif cfg.drop_rate and self._rng.random() < cfg.drop_rate:
                fault = Fault.DROP_CONNECTION
            elif cfg.lost_response_rate and self._rng.random() < cfg.lost_response_rate:
                fault = Fault.LOSE_RESPONSE
            return Decision(delay / 1000.0, fault)

    def after_handling(self, method: str, path: str) -> None:
        """Send the configured signal if this handled request is the chosen one (before its response goes out)."""
        with self._lock:
            cfg = self._config
            if not cfg.signal or (cfg.signal_method and method != cfg.signal_method):
                return
            if not path.startswith(cfg.signal_path):
                return
            self._signal_seen += 1
            if self._signal_seen != cfg.signal_at:
                return
        with contextlib.suppress(ProcessLookupError):  # the client is already gone
            os.kill(cfg.signal_pid, _SIGNALS[cfg.signal])
