"""The admin API under `/_sandbox/`: state, faults, clock, request counts, the notification log.

It hands out and replaces the credentials and the whole state, so it asks for
the same credentials as the APIs it imitates: the Datadog key pair
(`DD-API-KEY` + `DD-APPLICATION-KEY`) or the PagerDuty token
(`Authorization: Token token=...`). Anything else gets 401 before the path is
even looked at.
"""

from __future__ import annotations

from typing import Any, Protocol

from compiler.sandbox.auth import same_secret
from compiler.sandbox.datadog import restrictions
from compiler.sandbox.errors import ApiError
from compiler.sandbox.evaluation import engine as evaluation
from compiler.sandbox.faults import FaultConfig
from compiler.sandbox.pagerduty import directory
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.stats import RequestStats
from compiler.sandbox.store import Store
from compiler.sandbox.world import World

PREFIX = "/_sandbox"


class Served(Protocol):
    """What the admin API reads and changes of the running sandbox (``server.Sandbox``, which imports this)."""

    credentials: dict[str, str]
    store: Store
    world: World
    stats: RequestStats

    def info(self) -> dict[str, Any]: ...

    def reset(self) -> None: ...

    def set_faults(self, faults: FaultConfig, seed: int | None = None) -> None: ...


def _bad(message: str) -> ApiError:
    return ApiError(400, {"errors": [message]})


def authorized(req: Request, creds: dict[str, str]) -> bool:
    dd = same_secret(req.header("DD-API-KEY"), creds["datadog_api_key"]) and same_secret(
        req.header("DD-APPLICATION-KEY"), creds["datadog_app_key"]
    )
    auth = req.header("Authorization") or ""
    prefix = "Token token="
    pd = auth.startswith(prefix) and same_secret(auth[len(prefix) :], creds["pagerduty_token"])
    return dd or pd


def admin_headers(creds: dict[str, str]) -> dict[str, str]:
    """Headers an admin client sends (the Datadog key pair)."""
    return {"DD-API-KEY": creds["datadog_api_key"], "DD-APPLICATION-KEY": creds["datadog_app_key"]}


class AdminApi:
    def __init__(self, sandbox: Served) -> None:
        self.sandbox = sandbox

    def handle(self, req: Request) -> Response:
        if not authorized(req, self.sandbox.credentials):
            return Response(401, {"errors": ["Unauthorized: send the sandbox's Datadog keys or PagerDuty token"]})
        try:
            return self._route(req)
        except ApiError as exc:
            return Response(exc.status, exc.body, exc.headers)
        except (ValueError, TypeError, KeyError) as exc:
            return Response(400, {"errors": [str(exc)]})

    def _body(self, req: Request, default: Any = None) -> Any:
        if not req.raw_body and default is not None:
            return default
        return req.json(_bad)

    def _route(self, req: Request) -> Response:
        sb = self.sandbox
        path = req.path[len(PREFIX) :].rstrip("/")
        key = (req.method, path)
        if key == ("POST", "/reset"):
            sb.reset()
            return Response(200, {"reset": True})
        if key == ("GET", "/state"):
            return Response(200, sb.store.dump())
        if key == ("PUT", "/state"):
            body = self._body(req)
            if not isinstance(body, dict):
                raise _bad("a state dump is a JSON object")
            sb.store.load(body)
            directory.seed(sb.world)
            sb.credentials = sb.world.credentials()
            return Response(200, {"loaded": True})
        if key == ("GET", "/faults"):
            return Response(200, sb.world.faults.config.to_dict())
        if key == ("PUT", "/faults"):
            data = dict(self._body(req, {}))
            seed = data.pop("seed", None)
            sb.set_faults(FaultConfig.from_dict(data), seed)
            return Response(200, sb.world.faults.config.to_dict())
        if key == ("GET", "/clock"):
            return Response(200, sb.world.clock.describe())
        if key in (("PUT", "/clock"), ("POST", "/clock")):
            body = self._body(req)
            if not isinstance(body, dict):
                raise _bad('expected {"set": ISO time}, {"advance": seconds|"1h"} or {"reset": true}')
            return Response(200, sb.world.clock.apply(body))
        if key == ("DELETE", "/clock"):
            sb.world.clock.reset()
            return Response(200, sb.world.clock.describe())
        if key == ("GET", "/stats"):
            return Response(200, sb.stats.snapshot())
        if key in (("DELETE", "/stats"), ("POST", "/stats/reset")):
            sb.stats.reset()
            return Response(200, sb.stats.snapshot())
        if key == ("GET", "/notifications"):
            return Response(200, {"notifications": evaluation.notifications(sb.world)})
        if key == ("POST", "/principals"):  # a service account with roles and its own key pair
            body = self._body(req)
            if not isinstance(body, dict) or not isinstance(body.get("name"), str):
                raise _bad('expected {"name": "...", "roles": ["role name", ...]}')
            roles = [str(r) for r in body.get("roles") or []]
            return Response(200, restrictions.add_principal(sb.store, body["name"], roles))
        if key == ("GET", "/info"):
            return Response(200, sb.info())
        return Response(404, {"errors": ["Not Found"]})
