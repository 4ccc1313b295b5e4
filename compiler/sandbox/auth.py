"""Credential checks with each vendor's refusal body.

Datadog answers a missing or wrong key pair with 403 `{"errors": ["Forbidden"]}`
(the sandbox's own pairs here; ``datadog/restrictions.py`` also knows further principals' pairs);
PagerDuty answers a missing or wrong token with 401 and its error envelope.

Besides its full keys the sandbox accepts read-only ones, as the real services
have them (a Datadog application key with read scopes only, a read-only
PagerDuty API key): they read, and Datadog's monitor validate endpoint (scope
``monitors_read``) answers them, but every write is refused with 403, Datadog's
``Forbidden`` and PagerDuty's 2010 ``Access Denied``. The CI kit's plan and drift
run on such keys; a test proves they need nothing more.
"""

from __future__ import annotations

import hmac

from compiler.sandbox.errors import ApiError, dd_error, pd_error
from compiler.sandbox.routing import Request


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


READ_METHODS = ("GET", "HEAD")


def _reads(req: Request) -> bool:
    """What a read-only key may do: read, and ask Datadog to validate a monitor (a read scope)."""
    return req.method in READ_METHODS or (req.method == "POST" and req.path.rstrip("/").endswith("/validate"))


def check_datadog(req: Request, creds: dict[str, str]) -> None:
    app_key = req.header("DD-APPLICATION-KEY")
    if same_secret(req.header("DD-API-KEY"), creds["datadog_api_key"]):
        if same_secret(app_key, creds["datadog_app_key"]):
            return
        if "datadog_read_app_key" in creds and same_secret(app_key, creds["datadog_read_app_key"]) and _reads(req):
            return
    raise dd_error(403, "Forbidden")


def check_api_key(req: Request, creds: dict[str, str]) -> None:
    """Datadog's intake endpoints (metrics) take the API key alone; a wrong one is 403 as elsewhere."""
    if not same_secret(req.header("DD-API-KEY"), creds["datadog_api_key"]):
        raise dd_error(403, "Forbidden")


def check_pagerduty(req: Request, creds: dict[str, str]) -> str:
    auth = req.header("Authorization") or ""
    prefix = "Token token="
    token = auth[len(prefix) :] if auth.startswith(prefix) else None
    if same_secret(token, creds["pagerduty_token"]):
        return str(token)
    if "pagerduty_read_token" in creds and same_secret(token, creds["pagerduty_read_token"]):
        if req.method not in READ_METHODS:
            raise pd_error(403, "Access Denied", 2010)
        return str(token)
    raise pd_error(401, "Authentication failed", 2006)


def unauthorized_pd() -> ApiError:
    return pd_error(401, "Authentication failed", 2006)
