"""The two things a rehearsal asks the sandbox itself (its admin API, ``/_sandbox``): move its clock, read its
notification log. These are the sandbox's own endpoints, not Datadog's or PagerDuty's, so no vendor client has them.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from compiler.errors import PlanError
from compiler.targets import Target


class SandboxAdmin:
    def __init__(self, target: Target) -> None:
        self.base = target.datadog_url.rstrip("/") + "/_sandbox"
        self.headers = {
            "DD-API-KEY": target.datadog_api_key.reveal(),
            "DD-APPLICATION-KEY": target.datadog_app_key.reveal(),
            "Content-Type": "application/json",
        }
        self.context = ssl.create_default_context(cafile=str(target.ca_file)) if target.ca_file else None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers=self.headers,
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as answer:
                return json.loads(answer.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PlanError(
                f"the target does not answer as an alertc sandbox ({self.base}{path}: {exc})\n"
                "  hint: alertc rehearse plays an outage, so it runs only against a sandbox (the default: a fresh "
                "embedded one)"
            ) from None

    def check(self) -> None:
        self._call("GET", "/info")

    def set_clock(self, when: datetime) -> None:
        self._call("PUT", "/clock", {"set": when.isoformat()})

    def notifications(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/notifications")["notifications"])
