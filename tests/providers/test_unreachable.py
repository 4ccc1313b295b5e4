"""A failed connection names its host and cause, and stops at once when retrying cannot fix it (issue 27 item 6).

Before, a TLS failure, an unknown host name and a refused connection all said
"try again later or lower the concurrency" after five attempts.
"""

from __future__ import annotations

import socket
import ssl

import httpx2
import pytest
import urllib3
import urllib3.exceptions

from compiler.errors import TargetError
from compiler.providers.retry import RetriesExhausted, RetryPolicy, classify
from compiler.providers.unreachable import unreachable
from tests.providers.fakes import FakeClock


def _refused() -> BaseException:
    """A real refused connection, as urllib3 (Datadog's client) raises it."""
    pool = urllib3.HTTPSConnectionPool("127.0.0.1", 1, retries=False)
    try:
        pool.request("GET", "/api/v1/monitor")
    except urllib3.exceptions.HTTPError as exc:
        return urllib3.exceptions.MaxRetryError(pool, "/api/v1/monitor", exc)
    raise AssertionError("port 1 answered")


def _unresolvable() -> BaseException:
    """A host name that does not resolve, as urllib3 reports it (built, so no DNS is asked)."""
    pool = urllib3.HTTPSConnectionPool("api.datadoghq.con")
    conn = pool.ConnectionCls("api.datadoghq.con", 443)
    reason = urllib3.exceptions.NameResolutionError("api.datadoghq.con", conn, socket.gaierror(-2, "Name unknown"))
    return urllib3.exceptions.MaxRetryError(pool, "/api/v1/monitor", reason)


def test_a_refused_connection_names_host_and_cause_and_is_retried() -> None:
    failure = classify(_refused())
    assert failure.category == "connection" and failure.sent is False
    assert failure.describe() == "the connection was refused (127.0.0.1:1)"
    clock = FakeClock()
    calls: list[int] = []

    def fn() -> None:
        calls.append(1)
        raise _refused()

    with pytest.raises(RetriesExhausted) as info:
        RetryPolicy(clock=clock, random=lambda: 0.5, max_attempts=3).call(fn, family="monitors", what="list monitors")
    assert len(calls) == 3
    assert "(last error: the connection was refused (127.0.0.1:1)); check that the service is running" in str(
        info.value
    )


def test_an_unresolvable_host_stops_at_once_naming_it() -> None:
    reach = unreachable(_unresolvable())
    assert reach is not None and reach.host == "api.datadoghq.con" and not reach.retryable
    calls: list[int] = []

    def fn() -> None:
        calls.append(1)
        raise _unresolvable()

    with pytest.raises(TargetError) as info:
        RetryPolicy(clock=FakeClock(), random=lambda: 0.5).call(fn, family="monitors", what="list monitors")
    assert len(calls) == 1
    assert str(info.value).startswith(
        "list monitors: cannot connect: its host name could not be resolved (api.datadoghq.con); "
        "retrying cannot fix this\n  hint: check the site or URL (DD_SITE"
    )


def _tls_failure(reason: str) -> BaseException:
    """A TLS failure as httpx2 (PagerDuty's client) raises it: a connect error caused by the ssl module's error."""
    error = ssl.SSLError(1, f"[SSL: {reason}] ({reason.lower()})")
    error.reason = reason
    wrapped = httpx2.ConnectError(str(error))
    wrapped.__cause__ = error
    return wrapped


def test_a_garbled_tls_handshake_is_retried_and_a_wrong_one_is_not() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise _tls_failure("TLSV1_ALERT_DECODE_ERROR")
        return "listed"

    policy = RetryPolicy(clock=FakeClock(), random=lambda: 0.5)
    assert policy.call(flaky, family="teams", what="list teams") == "listed"
    assert len(attempts) == 3
    wrong: list[int] = []

    def wrong_port() -> None:
        wrong.append(1)
        raise _tls_failure("WRONG_VERSION_NUMBER")

    with pytest.raises(TargetError, match="the TLS handshake failed: WRONG_VERSION_NUMBER"):
        policy.call(wrong_port, family="teams", what="list teams")
    assert len(wrong) == 1


def test_an_api_answer_is_not_a_connection_failure() -> None:
    assert unreachable(ValueError("bug")) is None
