"""A raw HTTPS client for the sandbox: for what the official clients never send
(missing credentials, broken Content-Length, HEAD, OPTIONS, hostile bodies)."""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any

from compiler.sandbox import SandboxHandle

ACCEPT_PD = "application/vnd.pagerduty+json;version=2"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    raw: bytes

    def json(self) -> Any:
        return json.loads(self.raw)


def send(
    sb: SandboxHandle, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Answer:
    port = int(sb.datadog_url.rsplit(":", 1)[1])
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=sb.ssl_context(), timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def send_headers_only(sb: SandboxHandle, method: str, path: str, headers: dict[str, str]) -> Answer:
    """Send a request head and no body; the answer must come without waiting for one."""
    port = int(sb.datadog_url.rsplit(":", 1)[1])
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    with sb.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        tls.sendall(head.encode())
        resp = http.client.HTTPResponse(tls)
        resp.begin()
        return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())


def dd_headers(sb: SandboxHandle) -> dict[str, str]:
    return {
        "DD-API-KEY": sb.credentials["datadog_api_key"],
        "DD-APPLICATION-KEY": sb.credentials["datadog_app_key"],
        "Content-Type": "application/json",
    }


def pd_headers(sb: SandboxHandle) -> dict[str, str]:
    return {
        "Authorization": f"Token token={sb.credentials['pagerduty_token']}",
        "Accept": ACCEPT_PD,
        "Content-Type": "application/json",
        "From": sb.credentials["pagerduty_from"],
    }
