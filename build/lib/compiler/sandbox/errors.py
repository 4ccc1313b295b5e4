"""One exception type carries any API error to the HTTP layer.

Handlers raise instead of returning error tuples so that deep validation code
can stop a request with the exact status and body the real service would send.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def dd_error(status: int, *messages: str) -> ApiError:
    """Datadog v1 and most v2 endpoints answer `{"errors": [...]}`."""
    return ApiError(status, {"errors": list(messages)})


def pd_error(status: int, message: str, code: int, errors: list[str] | None = None) -> ApiError:
    """PagerDuty's documented error envelope (developer docs, Errors)."""
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return ApiError(status, {"error": body})


def pd_invalid(*errors: str) -> ApiError:
    return pd_error(400, "Invalid Input Provided", 2001, list(errors))


def pd_not_found() -> ApiError:
    return pd_error(404, "Not Found", 2100)
