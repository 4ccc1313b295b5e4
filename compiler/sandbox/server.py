"""The HTTPS server: one port for Datadog (`/api/...`), the PagerDuty Events API
(`/v2/enqueue`), the PagerDuty REST API (everything else) and the admin API
(`/_sandbox/...`, behind the sandbox's own credentials: it hands them out).

Requests are bounded before any handler sees them: a malformed Content-Length
is refused at once, a body over `MAX_BODY_BYTES` gets 413 without being read,
and JSON nested deeper than `routing.MAX_JSON_DEPTH` gets 400.

The TLS handshake happens on the request thread, not in the accept loop, so a
client that connects and stalls cannot block other clients. Faults are applied
here, before and after the API handlers, so the API modules stay pure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.admin import AdminApi
from compiler.sandbox.errors import ApiError
from compiler.sandbox.evaluation import engine as evaluation
from compiler.sandbox.faults import Fault, FaultConfig, FaultInjector
from compiler.sandbox.openapi import SPEC_DIR, TIME_ZONES_FILE, SpecValidator
from compiler.sandbox.pagerduty import common as pd_common
from compiler.sandbox.pagerduty import directory
from compiler.sandbox.ratelimit import RateLimitConfig, RateLimiter
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.stats import RequestStats
from compiler.sandbox.store import Store
from compiler.sandbox.tls import ensure_certificates, server_context
from compiler.sandbox.world import World

ADMIN = "/_sandbox"
AUTO = "auto"
# Larger than any body alertc or a real client sends (a 10,000-monitor dump is PUT through /_sandbox/state).
MAX_BODY_BYTES = 64 * 1024 * 1024


class Sandbox:
    def __init__(
        self,
        state_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultConfig | None = None,
        rate_limits: RateLimitConfig | None = None,
        seed: int = 0,
        spec_dir: Path | str | None = AUTO,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the sandbox only binds to 127.0.0.1")
        self.state_dir = Path(state_dir).absolute()  # `serve --state rel` prints an absolute ca_file
        self.store = Store(self.state_dir)
        # Always validated against the packaged specs; `spec_dir` only points at another trimmed copy.
        validator = SpecValidator(SPEC_DIR if spec_dir in (AUTO, None) else Path(str(spec_dir)))
        self.world = World(
            self.store, RateLimiter(rate_limits), FaultInjector(faults, seed), seed, validator=validator, clock=clock
        )
        self.world.accepted_time_zones = pd_common.read_time_zone_file(TIME_ZONES_FILE)
        directory.seed(self.world)
        self.credentials = self.world.credentials()
        ca_file, cert_file, key_file = ensure_certificates(self.state_dir)
        self.ca_file = ca_file
        self._httpd = _Server((host, port), self, server_context(cert_file, key_file))
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"https://127.0.0.1:{self.port}"
        self.world.base_url = self.base_url
        self._thread: threading.Thread | None = None
        # Called with every API request and response; the contract tests validate them against the specs.
        self.observer: Callable[[Request, Response], None] | None = None
        self.stats = RequestStats()
        self.admin = AdminApi(self)

    # -- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> None:
        # A short poll interval: stop() waits for the serving loop to notice, and every CLI run stops one.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="alertc-sandbox", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.store.close()

    def info(self) -> dict[str, Any]:
        return {
            "datadog_url": self.base_url,
            "pagerduty_url": self.base_url,
            "events_url": self.base_url,
            "ca_file": str(self.ca_file),
            **self.credentials,
        }

    # -- admin -------------------------------------------------------------------------------------------
    def reset(self) -> None:
        creds = {k: self.store.meta_get(f"cred:{k}") for k in ("datadog_api_key", "datadog_app_key", "pagerduty_token")}
        with self.store.transaction():
            self.store.clear()
            for k, v in creds.items():
                if v is not None:
                    self.store.meta_set(f"cred:{k}", v)
        directory.seed(self.world)

    def set_faults(self, faults: FaultConfig, seed: int | None = None) -> None:
        self.world.faults.configure(faults, seed)

    # -- dispatch ----------------------------------------------------------------------------------------
    def handle(self, req: Request) -> tuple[Response | None, bool]:
        """The response to send (None = drop the connection) and whether to drop after handling."""
        if req.path.startswith(ADMIN + "/"):
            return self.admin.handle(req), False
        is_dd = req.path.startswith("/api/")
        is_events = req.path.startswith("/v2/enqueue") or req.path.startswith("/v2/change/")
        self.stats.count(req.method, req.path)
        decision = self.world.faults.decide(req.method, req.path)
        if decision.delay_s:
            time.sleep(decision.delay_s)
        if decision.fault is Fault.DROP_CONNECTION:
            return None, True
        if decision.fault is Fault.RATE_LIMITED:
            return self._throttled(is_dd, is_events), False
        if decision.fault is Fault.SERVER_ERROR:
            status = self.world.faults.config.error_status
            body: Any = (
                {"errors": ["Internal Server Error"]}
                if is_dd
                else {"error": {"message": "Internal Server Error", "code": 2000}}
            )
            return Response(status, body), False
        try:
            if req.method in ("GET", "HEAD"):
                evaluation.catch_up(self.world)  # monitors evaluated up to the clock before anything is read
            if is_dd:
                resp = datadog.handle(self.world, req, self.credentials)
            elif is_events:
                resp = pagerduty.handle_events(self.world, req)
            else:
                resp = pagerduty.handle(self.world, req, self.credentials)
        except ApiError as exc:
            resp = Response(exc.status, exc.body, exc.headers)
        if self.observer is not None:
            self.observer(req, resp)
        self.world.faults.after_handling(req.method, req.path)
        return resp, decision.fault is Fault.LOSE_RESPONSE

    @staticmethod
    def _throttled(is_dd: bool, is_events: bool) -> Response:
        if is_dd:
            return Response(
                429,
                {"errors": ["Rate limit of 0 requests in 10 seconds reached. Please try again later."]},
                {
                    "x-ratelimit-limit": "0",
                    "x-ratelimit-period": "10",
                    "x-ratelimit-remaining": "0",
                    "x-ratelimit-reset": "1",
                    "x-ratelimit-name": "injected_fault",
                },
            )
        if is_events:
            return Response(
                429,
                {
                    "status": "throttle event",
                    "message": "Requests for this service are arriving too quickly. Please retry later.",
                },
            )
        return Response(
            429,
            {"error": {"message": "Rate Limit Exceeded", "code": 2020}},
            {"ratelimit-limit": "960", "ratelimit-remaining": "0", "ratelimit-reset": "1"},
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], sandbox: Sandbox, ctx: ssl.SSLContext) -> None:
        self.sandbox = sandbox
        self.ctx = ctx
        super().__init__(addr, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        try:
            request.settimeout(30)
            # Headers and body go out in separate writes; without this Nagle + delayed ACK add ~40 ms each.
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(tls, client_address)
        except OSError:  # the client went away mid-answer (a Ctrl-C'd alertc): nothing to report
            return
        finally:
            with contextlib.suppress(OSError):
                tls.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _refuse(self, status: int, message: str) -> None:
        """Answer before reading the body, and close: the unread bytes cannot be framed."""
        self.close_connection = True
        self._send(refusal(self.path, status, message), head=False)

    def _read_body(self) -> bytes | None:
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        if not raw.strip().isdigit():  # also `-1`, `+5`, `1e3`, `5, 5`
            self._refuse(400, f"Invalid Content-Length header: {raw[:40]!r}")
            return None
        length = int(raw)
        if length > MAX_BODY_BYTES:
            self._refuse(413, f"Request body of {length} bytes exceeds the limit of {MAX_BODY_BYTES} bytes")
            return None
        return self.rfile.read(length) if length else b""

    def _dispatch(self, method: str | None = None, head: bool = False) -> None:
        body = self._read_body()
        if body is None:
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request.parse(method or self.command, self.path, headers, body)
        try:
            resp, drop = self.server.sandbox.handle(req)
        except RecursionError:  # defence in depth: bodies are depth-checked before handlers see them
            resp, drop = refusal(self.path, 400, "Request body is nested too deeply"), False
        except Exception as exc:  # a sandbox bug must surface as a 500, never a hang
            resp, drop = Response(500, {"errors": [f"sandbox internal error: {type(exc).__name__}: {exc}"]}), False
        if drop or resp is None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(resp, head)

    def _send(self, resp: Response, head: bool) -> None:
        payload = resp.encode()
        self.send_response(resp.status)
        if resp.status != 204:
            self.send_header("Content-Type", resp.content_type)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)) if resp.status != 204 else "0")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if resp.status != 204 and not head:
            self.wfile.write(payload)

    def do_HEAD(self) -> None:
        """As the vendors' HTTP front ends do: the GET's status and headers, no body."""
        self._dispatch("GET", head=True)

    def do_OPTIONS(self) -> None:
        """No CORS preflight in either API for server-side clients: 405 in the vendor's envelope."""
        if self._read_body() is None:
            return
        self._send(refusal(self.path, 405, "Method Not Allowed"), head=False)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch


def refusal(path: str, status: int, message: str) -> Response:
    """An error in the envelope of the API the path belongs to (before any handler ran)."""
    if path.startswith(("/api/", ADMIN)):
        return Response(status, {"errors": [message]})
    if path.startswith("/v2/enqueue"):
        return Response(status, {"status": "invalid request", "message": message, "errors": [message]})
    return Response(status, {"error": {"message": message, "code": 2001 if status == 400 else 2000}})
