"""Where alertc points: a named target of the project file, real accounts, a running sandbox, or the embedded one.

Credentials come only from the environment and are held as ``Secret``s, whose
text form is a mask, so a key cannot leak through a log line, an exception
message or a saved plan by accident.

Selection is explicit: ``--target NAME`` (or ``ALERTC_TARGET``), else the
project file's ``default_target``. The embedded sandbox is used only when it is
the selected target, or when there is no project file, no credentials and the
run is interactive (a newcomer's first ``make plan``). In CI or without a TTY a
missing credential is an error naming the variables, never a silent plan
against an empty throwaway account. Opening the selected target (and starting
the embedded sandbox) is ``compiler.target_open``'s: what reads and writes a
target (``live``, ``apply``) holds a ``Target`` and never reaches the sandbox's code.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from compiler.errors import TargetError
from compiler.events import Observer, ignore
from compiler.project import SANDBOX, DatadogSite, LiveTarget, Project, SandboxTarget

if TYPE_CHECKING:
    import pagerduty
    from datadog_api_client import ApiClient

    from compiler.providers.ratelimit import RateLimiter

DEFAULT_STATE_DIR = Path(".sandbox")
DATADOG_SITES: tuple[str, ...] = get_args(DatadogSite)  # the one list, also alertc.yaml's schema


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


def check_ca_file(path: Path) -> None:
    """A CA bundle both clients can load, or a one-line TargetError naming the file (--ca-file or
    ALERTC_CA_FILE): missing, unreadable or not PEM certificates would otherwise fail deep inside a client."""
    try:
        ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise TargetError(f"CA file {path}: no such file (--ca-file or ALERTC_CA_FILE)") from None
    except IsADirectoryError:
        raise TargetError(f"CA file {path}: is a directory, not a PEM file (--ca-file or ALERTC_CA_FILE)") from None
    except PermissionError:
        raise TargetError(f"CA file {path}: permission denied (--ca-file or ALERTC_CA_FILE)") from None
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc.__class__.__name__
        raise TargetError(f"CA file {path}: not a PEM CA bundle ({reason}) (--ca-file or ALERTC_CA_FILE)") from None


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
    name: str = "default"
    state_dir: Path | None = None  # the embedded sandbox's state (one apply lock per directory)
    _secrets: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._secrets = [
            s
            for s in (self.datadog_api_key.reveal(), self.datadog_app_key.reveal(), self.pagerduty_token.reveal())
            if s
        ]
        if self.ca_file is not None:
            check_ca_file(self.ca_file)

    def describe(self) -> dict[str, str]:
        """What a plan records about the target: never a key, and stable across runs of the same target."""
        if self.mode == "embedded":
            return {
                "name": self.name,
                "mode": "embedded",
                "datadog": "embedded sandbox",
                "pagerduty": "embedded sandbox",
            }
        return {
            "name": self.name,
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

    def datadog_client(
        self, limiter: RateLimiter, *, read_only: bool = False, observer: Observer = ignore
    ) -> ApiClient:
        # The clients load when a session opens, not when a command starts (validate never opens one).
        from datadog_api_client import ApiClient, Configuration  # noqa: PLC0415

        from compiler.kinds.registry import DATADOG_FAMILIES  # noqa: PLC0415 - the kinds bring the clients too
        from compiler.providers.client_settings import datadog_configuration_kwargs, install_datadog_hooks  # noqa: PLC0415

        config = Configuration(  # type: ignore[no-untyped-call]
            host=self.datadog_url,
            api_key={"apiKeyAuth": self.datadog_api_key.reveal(), "appKeyAuth": self.datadog_app_key.reveal()},
            **datadog_configuration_kwargs(),
        )
        if self.ca_file is not None:
            config.ssl_ca_cert = str(self.ca_file)
        client = ApiClient(config)
        install_datadog_hooks(client, limiter, families=DATADOG_FAMILIES, read_only=read_only, observer=observer)
        return client

    def pagerduty_client(
        self, limiter: RateLimiter, *, read_only: bool = False, observer: Observer = ignore
    ) -> pagerduty.RestApiV2Client:
        import pagerduty  # noqa: PLC0415 - loaded when a session opens (startup time)

        from compiler.providers.client_settings import configure_pagerduty_client  # noqa: PLC0415

        kwargs: dict[str, Any] = {"default_from": self.pagerduty_from, "base_url": self.pagerduty_url}
        context = self._ssl_context()
        if context is not None:
            kwargs["verify"] = context
        client = pagerduty.RestApiV2Client(self.pagerduty_token.reveal(), **kwargs)
        configure_pagerduty_client(client, limiter, read_only=read_only, observer=observer)
        return client


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def datadog_api_url(site: str) -> str:
    if site not in DATADOG_SITES:
        raise TargetError(f"DD_SITE '{site}' is not a Datadog site\n  hint: one of {', '.join(DATADOG_SITES)}")
    return f"https://api.{site}"


@dataclass(frozen=True)
class TargetOptions:
    """What the command line says about the target: one value every command shares.

    ``name`` is ``--target``/``ALERTC_TARGET``; the URLs point a target at a
    running sandbox; ``sandbox_state`` overrides the embedded sandbox's state directory.
    """

    name: str | None = None
    datadog_url: str | None = None
    pagerduty_url: str | None = None
    ca_file: Path | None = None
    sandbox_state: Path | None = None


@dataclass(frozen=True)
class Selection:
    """The chosen target before anything is opened: its name and its configuration."""

    name: str
    config: LiveTarget | SandboxTarget
    fallback: bool = False  # the embedded sandbox chosen because nothing else was configured


CREDENTIAL_VARIABLES = ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN")


def select_target(
    project: Project | None, options: TargetOptions, environ: Mapping[str, str], *, interactive: bool
) -> Selection:
    """Apply the selection rules (module docstring) without touching the network."""
    name = options.name or _env(environ, "ALERTC_TARGET")
    targets = project.config.targets if project is not None else {}
    if name is None and project is not None:
        name = project.config.default_target or (next(iter(targets)) if len(targets) == 1 else None)
        if name is None:
            raise TargetError(
                f"{_shown(project)} names several targets ({', '.join(sorted(targets))}) and no default_target; "
                "pass --target NAME or set ALERTC_TARGET"
            )
    if name is not None:
        if name in targets:
            return Selection(name, targets[name])
        if name == SANDBOX:
            return Selection(name, SandboxTarget(type="sandbox"))
        known = sorted({*targets, SANDBOX})
        where = f" in {_shown(project)}" if project is not None else " (no alertc.yaml found)"
        raise TargetError(f"unknown target '{name}'{where}; targets: {', '.join(known)}")
    if any(_env(environ, v) for v in CREDENTIAL_VARIABLES) or options.datadog_url or options.pagerduty_url:
        return Selection("default", LiveTarget())
    if interactive:
        return Selection(SANDBOX, SandboxTarget(type="sandbox"), fallback=True)
    raise TargetError(
        f"no target: {', '.join(CREDENTIAL_VARIABLES)} are not set and this run is not interactive (CI or no TTY), "
        "so nothing was planned or applied; set them, or pass --target sandbox for the local sandbox"
    )


def selected_datadog_site(selection: Selection, options: TargetOptions, environ: Mapping[str, str]) -> str | None:
    """The Datadog site the selected target will report (``Target.datadog_site``), known before it is opened."""
    config = selection.config
    if not isinstance(config, LiveTarget):
        return None
    if options.datadog_url or _env(environ, "ALERTC_DATADOG_URL") or config.datadog.url:
        return None
    return (_env(environ, "DD_SITE") if selection.name == "default" else None) or config.datadog.site


def _shown(project: Project | None) -> str:
    if project is None:
        return "alertc.yaml"
    try:
        return str(project.path.relative_to(Path.cwd()))
    except ValueError:
        return str(project.path)


def live_target(
    name: str,
    config: LiveTarget,
    environ: Mapping[str, str],
    options: TargetOptions,
    *,
    writes: bool,
) -> Target:
    """Credentials for a live target from the variables it names; a missing one is a one-line error."""
    dd, pd = config.datadog, config.pagerduty
    variables = [dd.api_key_env, dd.app_key_env, pd.token_env] + ([pd.from_env] if writes else [])
    missing = [variable for variable in variables if not _env(environ, variable)]
    if missing:
        raise TargetError(
            f"target '{name}' needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not set; "
            "nothing was planned or applied (pass --target sandbox for the local sandbox)"
        )
    datadog_url = options.datadog_url or _env(environ, "ALERTC_DATADOG_URL") or dd.url
    pagerduty_url = options.pagerduty_url or _env(environ, "ALERTC_PAGERDUTY_URL")
    ca_text = _env(environ, "ALERTC_CA_FILE")
    ca_file = options.ca_file or (Path(ca_text) if ca_text else None)
    site = _env(environ, "DD_SITE") if name == "default" else None
    site = site or dd.site
    return Target(
        mode="sandbox" if datadog_url else "live",
        datadog_url=datadog_url or datadog_api_url(site),
        datadog_api_key=Secret(environ[dd.api_key_env].strip()),
        datadog_app_key=Secret(environ[dd.app_key_env].strip()),
        pagerduty_url=pagerduty_url or pd.url,
        pagerduty_token=Secret(environ[pd.token_env].strip()),
        pagerduty_from=_env(environ, pd.from_env) or "",
        ca_file=ca_file,
        datadog_site=None if datadog_url else site,
        name=name,
    )


def target_from_environment(
    environ: Mapping[str, str],
    *,
    datadog_url: str | None = None,
    pagerduty_url: str | None = None,
    ca_file: Path | None = None,
    writes: bool = True,
) -> Target | None:
    """The target the environment alone describes (no project file); None when it sets no credentials."""
    options = TargetOptions(datadog_url=datadog_url, pagerduty_url=pagerduty_url, ca_file=ca_file)
    given = {name: _env(environ, name) for name in CREDENTIAL_VARIABLES}
    if not any(given.values()):
        if datadog_url or pagerduty_url or _env(environ, "ALERTC_DATADOG_URL") or _env(environ, "ALERTC_PAGERDUTY_URL"):
            raise TargetError(
                "--datadog-url/--pagerduty-url need credentials\n"
                "  hint: set DD_API_KEY, DD_APP_KEY and PAGERDUTY_TOKEN to the values the sandbox printed"
            )
        return None
    site = _env(environ, "DD_SITE")
    if site is not None:
        datadog_api_url(site)  # a clear error for a misspelt site
    return live_target("default", LiveTarget(), environ, options, writes=writes)
