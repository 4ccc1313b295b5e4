"""A standalone sandbox in its own process, at a given latency, for the benchmarks.

The benchmark measures alertc against the sandbox as it would measure it against
the real APIs: over HTTPS, through alertc's own clients, from another process.
Running the sandbox in its own process keeps its CPU out of alertc's figures and
lets us read it separately (``cpu_seconds``, from ``/proc``).

The child is this module run as a script: it starts the sandbox with
``compiler.sandbox.start_embedded`` (the same server ``alertc sandbox serve``
runs), prints one JSON line with where and how to connect, and serves until its
standard input closes. Rate limits are the sandbox's defaults unless ``--lift``
(used only to seed state quickly, never while measuring).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from compiler.sandbox import FaultConfig, Limit, RateLimitConfig, start_embedded

PD_ACCEPT = "application/vnd.pagerduty+json;version=2"
LIFTED = 10**9


class SandboxProcess:
    """Parent side: start, talk to (admin and API calls), measure and stop one sandbox process."""

    def __init__(self, state: Path, *, latency_ms: float = 0.0, lift_limits: bool = False) -> None:
        cmd = [sys.executable, "-m", "bench.sandbox_process", str(state), "--latency-ms", str(latency_ms)]
        if lift_limits:
            cmd.append("--lift")
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise SystemExit("the sandbox process did not start")
        self.info: dict[str, Any] = json.loads(line)
        self.pid = self._proc.pid
        self._port = int(str(self.info["datadog_url"]).rsplit(":", 1)[1])
        self._ctx = ssl.create_default_context(cafile=str(self.info["ca_file"]))
        self._local = threading.local()

    # -- what alertc needs to reach it --------------------------------------------------------------
    def alertc_environment(self) -> dict[str, str]:
        """Environment variables that point alertc at this sandbox (as at a real account)."""
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "PAGERDUTY_", "ALERTC_"))}
        return {
            **base,
            "DD_API_KEY": str(self.info["datadog_api_key"]),
            "DD_APP_KEY": str(self.info["datadog_app_key"]),
            "PAGERDUTY_TOKEN": str(self.info["pagerduty_token"]),
            "PAGERDUTY_FROM": str(self.info["pagerduty_from"]),
            "ALERTC_DATADOG_URL": str(self.info["datadog_url"]),
            "ALERTC_PAGERDUTY_URL": str(self.info["pagerduty_url"]),
            "ALERTC_CA_FILE": str(self.info["ca_file"]),
        }

    # -- HTTP ---------------------------------------------------------------------------------------
    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request with the sandbox's credentials (Datadog keys for /api and /_sandbox, else the token)."""
        if path.startswith(("/api/", "/_sandbox")):
            headers = {
                "DD-API-KEY": str(self.info["datadog_api_key"]),
                "DD-APPLICATION-KEY": str(self.info["datadog_app_key"]),
            }
        else:
            headers = {
                "Authorization": f"Token token={self.info['pagerduty_token']}",
                "Accept": PD_ACCEPT,
                "From": str(self.info["pagerduty_from"]),
            }
        headers["Content-Type"] = "application/json"
        payload = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            conn = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._local.conn = http.client.HTTPSConnection("127.0.0.1", self._port, context=self._ctx)
            try:
                conn.request(method, path, body=payload, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):  # an idle keep-alive closed by the server
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode(errors="replace")
        return resp.status, data

    def stats(self) -> dict[str, Any] | None:
        """The sandbox's per-endpoint request counts, or None when this sandbox has no counter."""
        status, data = self.call("GET", "/_sandbox/stats")
        return data if status == 200 and isinstance(data, dict) else None

    def reset_stats(self) -> None:
        self.call("DELETE", "/_sandbox/stats")

    def counts(self) -> dict[str, int]:
        """``{"datadog 200 GET /api/v1/monitor": N, ...}``: every API response since the last reset, by status."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write("counts\n")
        self._proc.stdin.flush()
        data: dict[str, int] = json.loads(self._proc.stdout.readline())
        return data

    def reset_counts(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write("reset\n")
        self._proc.stdin.flush()
        self.reset_stats()

    def set_latency(self, latency_ms: float) -> None:
        status, data = self.call("PUT", "/_sandbox/faults", {"latency_ms": latency_ms})
        if status != 200:
            raise SystemExit(f"cannot set the sandbox latency: HTTP {status} {data}")

    def cpu_seconds(self) -> float:
        """User + system CPU the sandbox process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


_ID_SEGMENT = re.compile(r"^(?=.*\d)[^/]*$|^P[A-Z0-9]{6}$|^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$")


def endpoint_template(method: str, path: str) -> str:
    """``GET /api/v1/monitor/{id}``: path segments that are ids (with a digit, a PagerDuty or dashboard id) folded."""
    parts = ["{id}" if _ID_SEGMENT.match(part) and part not in ("v1", "v2") else part for part in path.split("/")]
    return f"{method} {'/'.join(parts)}"


class StatusCounter:
    """Responses of the API handlers by endpoint and status, seen from inside the sandbox process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def observe(self, request: Any, response: Any) -> None:
        api = "datadog" if request.path.startswith("/api/") else "pagerduty"
        key = f"{api} {response.status} {endpoint_template(request.method, request.path)}"
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))


def _serve(state: Path, latency_ms: float, lift: bool) -> None:
    limits = None
    if lift:
        families = {**RateLimitConfig().datadog, "": Limit(LIFTED, 60)}
        limits = RateLimitConfig(
            datadog={name: Limit(LIFTED, 60) for name in families},
            pagerduty_per_minute=LIFTED,
            events_per_minute=LIFTED,
        )
    faults = FaultConfig(latency_ms=latency_ms) if latency_ms else None
    handle = start_embedded(state, faults=faults, rate_limits=limits)
    info = {
        "datadog_url": handle.datadog_url,
        "pagerduty_url": handle.pagerduty_url,
        "ca_file": str(handle.ca_file),
        **handle.credentials,
    }
    counter = StatusCounter()
    handle.observe(counter.observe)
    print(json.dumps(info), flush=True)
    for line in sys.stdin:  # one command per line; end of input stops the sandbox
        if line.strip() == "counts":
            print(json.dumps(counter.snapshot()), flush=True)
        elif line.strip() == "reset":
            counter.reset()
    handle.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a sandbox until standard input closes.")
    parser.add_argument("state", type=Path)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--lift", action="store_true", help="lift the rate limits (seeding only)")
    args = parser.parse_args()
    _serve(args.state, args.latency_ms, args.lift)


if __name__ == "__main__":
    main()
