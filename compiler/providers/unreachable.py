"""Why a target could not be reached, and where: the host and the cause of a failed connection.

A connection failure used to read "try again later or lower the concurrency",
whatever the cause. Some causes a retry cannot fix: a TLS certificate that does
not verify (a proxy's, a missing ``--ca-file``) or a host name that does not
resolve (a typo in ``DD_SITE`` or ``--datadog-url``) fail the same way every
time. Those stop at once, naming the host and the cause; the others (refused,
timed out) are still retried, and their message names host and cause too.

The causes are found in the exception chain both clients build (urllib3's
``MaxRetryError.reason``, httpx's ``__cause__``, python-pagerduty's wrapper),
so the message is the same for Datadog and PagerDuty.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import urllib3.exceptions


@dataclass(frozen=True)
class Unreachable:
    """A connection that failed: to which host, why, whether trying again can help, and what to check."""

    host: str
    cause: str
    retryable: bool
    hint: str

    def describe(self) -> str:
        return f"{self.cause} ({self.host})"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps, breadth first, each once."""
    queue, seen = [exc], set()
    while queue:
        e = queue.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        wrapped = [getattr(e, "reason", None), e.__cause__, e.__context__, *e.args]
        queue.extend(w for w in wrapped if isinstance(w, BaseException))


def _host_of(e: BaseException) -> str | None:
    if isinstance(e, urllib3.exceptions.MaxRetryError) and e.pool is not None:
        return _host_port(e.pool.host, e.pool.port)
    conn = getattr(e, "conn", None)  # urllib3's NewConnectionError / NameResolutionError
    if conn is not None and isinstance(getattr(conn, "host", None), str):
        return _host_port(conn.host, getattr(conn, "port", None))
    if isinstance(e, httpx2.RequestError):
        try:
            url = e.request.url
        except RuntimeError:  # an httpx error raised without its request
            return None
        return _host_port(url.host, url.port)
    return None


def _host_port(host: str | None, port: int | None) -> str | None:
    if not host:
        return None
    return host if port in (None, 443) else f"{host}:{port}"


GARBLED_HANDSHAKE = frozenset(
    {"TLSV1_ALERT_DECODE_ERROR", "SSLV3_ALERT_BAD_RECORD_MAC", "DECRYPTION_FAILED_OR_BAD_RECORD_MAC"}
)
"""TLS alerts that say a handshake's bytes arrived damaged, not that the two ends disagree: a wrong scheme, port,
protocol version or certificate fails the same way every time and stops at once, these are retried like a
refused connection. (Seen once against the local sandbox under load: a decode-error alert on one connection
of a run whose others all succeeded.)"""


def _cause_of(e: BaseException) -> tuple[str, bool, str] | None:
    """(cause, retryable, hint) for an exception that says why a connection failed; None: it does not."""
    if isinstance(e, ssl.SSLCertVerificationError):
        detail = e.verify_message or e.reason or "certificate verify failed"
        return (
            f"its TLS certificate could not be verified: {detail}",
            False,
            "a proxy or a private endpoint needs its CA bundle: --ca-file (or REQUESTS_CA_BUNDLE for PagerDuty)",
        )
    if isinstance(e, ssl.SSLError):
        if e.reason in GARBLED_HANDSHAKE:  # the peer could not read what arrived: the exchange, not the setup
            return f"the TLS handshake was garbled: {e.reason}", True, "check the network path to that host"
        return f"the TLS handshake failed: {e.reason or e}", False, "check the URL's scheme and port (https)"
    if isinstance(e, socket.gaierror | urllib3.exceptions.NameResolutionError):
        return (
            "its host name could not be resolved",
            False,
            "check the site or URL (DD_SITE, --datadog-url, --pagerduty-url) and the machine's DNS",
        )
    if isinstance(e, ConnectionRefusedError):
        return "the connection was refused", True, "check that the service is running at that address and port"
    if isinstance(e, urllib3.exceptions.NewConnectionError):
        return None  # a subclass of ConnectTimeoutError in urllib3 2: its cause is the exception it wraps
    if isinstance(e, urllib3.exceptions.ConnectTimeoutError | httpx2.ConnectTimeout | TimeoutError | socket.timeout):
        return "the connection timed out", True, "check the network path (proxy, firewall) to that host"
    return None


def unreachable(exc: BaseException) -> Unreachable | None:
    """The host and cause of a failed connection in ``exc``'s chain; None when it is not such a failure."""
    host: str | None = None
    found: tuple[str, bool, str] | None = None
    for e in _chain(exc):
        host = host or _host_of(e)
        found = found or _cause_of(e)
    if found is None:
        return None
    cause, retryable, hint = found
    return Unreachable(host or "the API host", cause, retryable, hint)
