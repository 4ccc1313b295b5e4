"""The HTTPS server: one port for Datadog (`/api/...`), the PagerDuty Events API
(`/v2/enqueue`), the PagerDuty REST API (everything else) and the admin API
(`/_sandbox/...`).

The TLS handshake happens on the request thread, not in the accept loop, so a
client that connects and stalls cannot block other clients. Faults are applied
here, before and after the API handlers, so the API modules stay pure.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.errors import ApiError
from compiler.sandbox.faults import Fault, FaultConfig, FaultInjector
from compiler.sandbox.openapi import SpecValidator, default_spec_dir
from compiler.sandbox.pagerduty import common as pd_common
from compiler.sandbox.pagerduty import directory
from compiler.sandbox.ratelimit import RateLimitConfig, RateLimiter
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.store import Store
from compiler.sandbox.tls import ensure_certificates, server_context
from compiler.sandbox.world import World

ADMIN = "/_sandbox"
AUTO = "auto"


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
    ) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the sandbox only binds to 127.0.0.1")
        self.state_dir = Path(state_dir)
        self.store = Store(self.state_dir)
        resolved = default_spec_dir() if spec_dir == AUTO else (Path(spec_dir) if spec_dir else None)
        validator = SpecValidator(resolved) if resolved is not None else None
        self.world = World(self.store, RateLimiter(rate_limits), FaultInjector(faults, seed), seed, validator=validator)
        if resolved is not None:
            self.world.accepted_time_zones = pd_common.read_time_zone_file(resolved / "pagerduty-time-zones.tsv")
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

    def _admin(self, req: Request) -> Response:
        path = req.path[len(ADMIN) :]
        if (req.method, path) == ("POST", "/reset"):
            self.reset()
            return Response(200, {"reset": True})
        if (req.method, path) == ("GET", "/state"):
            return Response(200, self.store.dump())
        if (req.method, path) == ("PUT", "/state"):
            self.store.load(json.loads(req.raw_body))
            directory.seed(self.world)
            self.credentials = self.world.credentials()
            return Response(200, {"loaded": True})
        if (req.method, path) == ("GET", "/faults"):
            return Response(200, self.world.faults.config.to_dict())
        if (req.method, path) == ("PUT", "/faults"):
            data = json.loads(req.raw_body or b"{}")
            seed = data.pop("seed", None)
            self.set_faults(FaultConfig.from_dict(data), seed)
            return Response(200, self.world.faults.config.to_dict())
        if (req.method, path) == ("GET", "/info"):
            return Response(200, self.info())
        return Response(404, {"errors": ["Not Found"]})

    # -- dispatch ----------------------------------------------------------------------------------------
    def handle(self, req: Request) -> tuple[Response | None, bool]:
        """The response to send (None = drop the connection) and whether to drop after handling."""
        if req.path.startswith(ADMIN + "/"):
            try:
                return self._admin(req), False
            except (ValueError, TypeError) as exc:
                return Response(400, {"errors": [str(exc)]}), False
        is_dd = req.path.startswith("/api/")
        is_events = req.path.startswith("/v2/enqueue") or req.path.startswith("/v2/change/")
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
        finally:
            with contextlib.suppress(OSError):
                tls.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        req = Request.parse(self.command, self.path, headers, body)
        try:
            resp, drop = self.server.sandbox.handle(req)
        except Exception as exc:  # a sandbox bug must surface as a 500, never a hang
            resp, drop = Response(500, {"errors": [f"sandbox internal error: {type(exc).__name__}: {exc}"]}), False
        if drop or resp is None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = resp.encode()
        self.send_response(resp.status)
        if resp.status != 204:
            self.send_header("Content-Type", resp.content_type)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)) if resp.status != 204 else "0")
        self.end_headers()
        if resp.status != 204:
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch
