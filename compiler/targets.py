"""Where alertc points: real Datadog and PagerDuty accounts, a running sandbox, or the embedded one.

Credentials come only from the environment and are held as ``Secret``s, whose
text form is a mask, so a key cannot leak through a log line, an exception
message or a saved plan by accident. The embedded sandbox is the default when
no credentials are set, so ``make plan`` works on a fresh clone.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pagerduty
from datadog_api_client import ApiClient, Configuration

from compiler.errors import TargetError
from compiler.providers.client_settings import (
    configure_pagerduty_client,
    datadog_configuration_kwargs,
    install_datadog_hooks,
)
from compiler.providers.ratelimit import RateLimiter

DEFAULT_STATE_DIR = Path(".sandbox")
DATADOG_SITES = (
    "datadoghq.com",
    "us3.datadoghq.com",
    "us5.datadoghq.com",
    "datadoghq.eu",
    "ap1.datadoghq.com",
    "ap2.datadoghq.com",
    "ddog-gov.com",
)


class Secret:
    """A credential whose str/repr never show it; ``reveal()`` is the one way out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__


@dataclass
class Target:
    """One resolved target pair: how to reach Datadog and PagerDuty, and what to call it in a plan."""

    mode: str  # "live", "sandbox" (a running one) or "embedded"
    datadog_url: str
    datadog_api_key: Secret
    datadog_app_key: Secret
    pagerduty_url: str
    pagerduty_token: Secret
    pagerduty_from: str
    ca_file: Path | None = None
    datadog_site: str | None = None
    _secrets: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._secrets = [
            s
            for s in (self.datadog_api_key.reveal(), self.datadog_app_key.reveal(), self.pagerduty_token.reveal())
            if s
        ]

    def describe(self) -> dict[str, str]:
        """What a plan records about the target: never a key, and stable across runs of the same target."""
        if self.mode == "embedded":
            return {"mode": "embedded", "datadog": "embedded sandbox", "pagerduty": "embedded sandbox"}
        return {
            "mode": self.mode,
            "datadog": self.datadog_site or self.datadog_url,
            "pagerduty": self.pagerduty_url,
        }

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "****")
        return text

    def _ssl_context(self) -> ssl.SSLContext | None:
        if self.ca_file is None:
            return None
        return ssl.create_default_context(cafile=str(self.ca_file))

    def datadog_client(self, limiter: RateLimiter, *, read_only: bool = False) -> ApiClient:
        config = Configuration(  # type: ignore[no-untyped-call]
            host=self.datadog_url,
            api_key={"apiKeyAuth": self.datadog_api_key.reveal(), "appKeyAuth": self.datadog_app_key.reveal()},
            **datadog_configuration_kwargs(),
        )
        if self.ca_file is not None:
            config.ssl_ca_cert = str(self.ca_file)
        client = ApiClient(config)
        install_datadog_hooks(client, limiter, read_only=read_only)
        return client

    def pagerduty_client(self, limiter: RateLimiter, *, read_only: bool = False) -> pagerduty.RestApiV2Client:
        kwargs: dict[str, Any] = {"default_from": self.pagerduty_from, "base_url": self.pagerduty_url}
        context = self._ssl_context()
        if context is not None:
            kwargs["verify"] = context
        client = pagerduty.RestApiV2Client(self.pagerduty_token.reveal(), **kwargs)
        configure_pagerduty_client(client, limiter, read_only=read_only)
        return client


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def datadog_api_url(site: str) -> str:
    if site not in DATADOG_SITES:
        raise TargetError(f"DD_SITE '{site}' is not a Datadog site\n  hint: one of {', '.join(DATADOG_SITES)}")
    return f"https://api.{site}"


def target_from_environment(
    environ: Mapping[str, str],
    *,
    datadog_url: str | None = None,
    pagerduty_url: str | None = None,
    ca_file: Path | None = None,
) -> Target | None:
    """The live (or running-sandbox) target the environment describes; None means "use the embedded sandbox"."""
    dd_key, dd_app = _env(environ, "DD_API_KEY"), _env(environ, "DD_APP_KEY")
    pd_token = _env(environ, "PAGERDUTY_TOKEN")
    datadog_url = datadog_url or _env(environ, "ALERTC_DATADOG_URL")
    pagerduty_url = pagerduty_url or _env(environ, "ALERTC_PAGERDUTY_URL")
    ca_text = _env(environ, "ALERTC_CA_FILE")
    ca_file = ca_file or (Path(ca_text) if ca_text else None)
    given = {"DD_API_KEY": dd_key, "DD_APP_KEY": dd_app, "PAGERDUTY_TOKEN": pd_token}
    if not any(given.values()):
        if datadog_url or pagerduty_url:
            raise TargetError(
                "--datadog-url/--pagerduty-url need credentials\n"
                "  hint: set DD_API_KEY, DD_APP_KEY and PAGERDUTY_TOKEN to the values the sandbox printed"
            )
        return None
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise TargetError(
            f"{', '.join(missing)} not set while {', '.join(n for n, v in given.items() if v)} is\n"
            "  hint: alertc manages Datadog and PagerDuty together; set all three, or none to use the embedded sandbox"
        )
    pd_from = _env(environ, "PAGERDUTY_FROM")
    if pd_from is None:
        raise TargetError("PAGERDUTY_FROM is not set\n  hint: the email of a PagerDuty user, sent as the From header")
    site = _env(environ, "DD_SITE") or "datadoghq.com"
    assert dd_key and dd_app and pd_token
    return Target(
        mode="sandbox" if datadog_url else "live",
        datadog_url=datadog_url or datadog_api_url(site),
        datadog_api_key=Secret(dd_key),
        datadog_app_key=Secret(dd_app),
        pagerduty_url=pagerduty_url or "https://api.pagerduty.com",
        pagerduty_token=Secret(pd_token),
        pagerduty_from=pd_from,
        ca_file=ca_file,
        datadog_site=None if datadog_url else site,
    )


@contextmanager
def open_target(
    environ: Mapping[str, str] | None = None,
    *,
    state_dir: Path = DEFAULT_STATE_DIR,
    datadog_url: str | None = None,
    pagerduty_url: str | None = None,
    ca_file: Path | None = None,
    announce: Any = None,
) -> Iterator[Target]:
    """Yield the target to use, starting (and stopping) the embedded sandbox when no credentials are set."""
    env = os.environ if environ is None else environ
    target = target_from_environment(env, datadog_url=datadog_url, pagerduty_url=pagerduty_url, ca_file=ca_file)
    if target is not None:
        yield target
        return
    from compiler.sandbox import start_embedded  # noqa: PLC0415 - loaded only without credentials (startup time)

    handle = start_embedded(state_dir)
    try:
        if announce is not None:
            announce(
                f"No Datadog/PagerDuty credentials set: using the embedded sandbox (state in {state_dir}/). "
                "Set DD_API_KEY, DD_APP_KEY, PAGERDUTY_TOKEN and PAGERDUTY_FROM to target real accounts."
            )
        creds = handle.credentials
        yield Target(
            mode="embedded",
            datadog_url=handle.datadog_url,
            datadog_api_key=Secret(creds["datadog_api_key"]),
            datadog_app_key=Secret(creds["datadog_app_key"]),
            pagerduty_url=handle.pagerduty_url,
            pagerduty_token=Secret(creds["pagerduty_token"]),
            pagerduty_from=creds["pagerduty_from"],
            ca_file=handle.ca_file,
        )
    finally:
        handle.stop()
