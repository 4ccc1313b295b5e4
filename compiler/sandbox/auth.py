"""Credential checks with each vendor's refusal body.

Datadog answers a missing or wrong key pair with 403 `{"errors": ["Forbidden"]}`;
PagerDuty answers a missing or wrong token with 401 and its error envelope.
"""

from __future__ import annotations

import hmac

from compiler.sandbox.errors import ApiError, dd_error, pd_error
from compiler.sandbox.routing import Request


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def check_datadog(req: Request, creds: dict[str, str]) -> None:
    if not (
        same_secret(req.header("DD-API-KEY"), creds["datadog_api_key"])
        and same_secret(req.header("DD-APPLICATION-KEY"), creds["datadog_app_key"])
    ):
        raise dd_error(403, "Forbidden")


def check_pagerduty(req: Request, creds: dict[str, str]) -> str:
    auth = req.header("Authorization") or ""
    prefix = "Token token="
    token = auth[len(prefix) :] if auth.startswith(prefix) else None
    if not same_secret(token, creds["pagerduty_token"]):
        raise pd_error(401, "Authentication failed", 2006)
    return str(token)


def unauthorized_pd() -> ApiError:
    return pd_error(401, "Authentication failed", 2006)
