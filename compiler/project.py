"""The project file ``alertc.yaml``: the targets a definitions repository may plan and apply against.

Targets are named so that every plan, apply and drift report can say where it
was made, and so that CI can never silently fall back to the throwaway
embedded sandbox when a secret is missing: a ``live`` target without its
credentials is an error naming the variables. The file is read with the same
positioned YAML loader as the definitions, so a mistake is reported as
``alertc.yaml:line:col``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from compiler.checks.files import NOT_A_MAPPING_OF_SECTIONS
from compiler.checks.findings import Finding, Location
from compiler.definitions.errors_map import findings_from_validation
from compiler.definitions.schema import json_schema, schema_text
from compiler.definitions.source import display_path, parse_file
from compiler.errors import DefinitionsError

PROJECT_FILE = "alertc.yaml"
SCHEMA_ID = "https://alertc.dev/schema/project.schema.json"
DEFAULT_SCHEMA_PATH = "schema/project.schema.json"
SANDBOX = "sandbox"  # the built-in target name: the embedded sandbox, available without a project file

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
DatadogSite = Literal[
    "datadoghq.com",
    "us3.datadoghq.com",
    "us5.datadoghq.com",
    "datadoghq.eu",
    "ap1.datadoghq.com",
    "ap2.datadoghq.com",
    "ddog-gov.com",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatadogAccount(_Strict):
    """Which Datadog site, and the environment variables holding the keys (never the keys)."""

    site: DatadogSite = "datadoghq.com"
    url: str | None = Field(default=None, description="API base URL; overrides the site (a running sandbox, a proxy).")
    api_key_env: EnvName = "DD_API_KEY"
    app_key_env: EnvName = "DD_APP_KEY"


class PagerDutyAccount(_Strict):
    """The PagerDuty account, and the environment variables holding the token and the From email."""

    account: str | None = Field(default=None, description="The account's subdomain, for the record (e.g. acme).")
    url: str = "https://api.pagerduty.com"
    token_env: EnvName = "PAGERDUTY_TOKEN"
    from_env: EnvName = Field(default="PAGERDUTY_FROM", description="Email of the user writes are made as.")


class LiveTarget(_Strict):
    """Real Datadog and PagerDuty accounts."""

    type: Literal["live"] = "live"
    description: str | None = None
    datadog: DatadogAccount = DatadogAccount()
    pagerduty: PagerDutyAccount = PagerDutyAccount()


class SandboxTarget(_Strict):
    """The embedded sandbox alertc starts in-process; its state lives in ``state_dir``."""

    type: Literal["sandbox"]
    description: str | None = None
    state_dir: str = ".sandbox"


TargetConfig = Annotated[LiveTarget | SandboxTarget, Field(discriminator="type")]


class ProjectFile(_Strict):
    """``alertc.yaml`` at the root of a definitions repository."""

    owner: Slug | None = Field(
        default=None,
        description="Ownership scope of this repository's objects (a tag-safe slug: lowercase letters, digits, '-').",
    )
    datadog_edit_role: (
        Annotated[str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")] | None
    ) = Field(
        default=None,
        description="Opt-in: the id of the Datadog role this scope's service account holds; every monitor and "
        "SLO alert gets restricted_roles [this role], so Datadog refuses edits by any other team's key.",
    )
    definitions: str = Field(default="definitions", description="Directory holding the definitions.")
    default_target: Slug | None = Field(default=None, description="The target used when --target is not given.")
    targets: dict[Slug, TargetConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _default_is_a_target(self) -> ProjectFile:
        if self.default_target is not None and self.default_target not in self.targets:
            raise ValueError(
                f"default_target '{self.default_target}' is not one of the targets ({', '.join(sorted(self.targets))})"
            )
        return self


class Project:
    """A loaded project file and where it was found."""

    def __init__(self, path: Path, config: ProjectFile) -> None:
        self.path = path
        self.config = config

    @property
    def root(self) -> Path:
        return self.path.parent


def find_project(start: Path) -> Path | None:
    """``alertc.yaml`` in ``start`` or its parents, stopping at the repository root (a ``.git``)."""
    current = start.resolve()
    for directory in (current, *current.parents):
        candidate = directory / PROJECT_FILE
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def load_project(path: Path) -> Project:
    """Read and validate a project file; every problem as ``file:line:col`` in one error."""
    shown = display_path(path)
    parsed = parse_file(path, shown)
    findings: list[Finding] = list(parsed.findings)
    config: ProjectFile | None = None
    if not findings:
        document = next((d for d in parsed.documents if d.data is not None), None)
        if document is None or not isinstance(document.data, dict):
            where = document.locate(()) if document is not None else Location(shown, 1, 1)
            findings.append(
                NOT_A_MAPPING_OF_SECTIONS.finding(
                    where, "a project file must be a mapping", "see 'alertc init' for an example"
                )
            )
        else:
            try:
                config = ProjectFile.model_validate(document.data)
            except ValidationError as exc:
                findings.extend(findings_from_validation(exc, document, ProjectFile))
    if findings or config is None:
        raise DefinitionsError("\n".join(f.render() for f in sorted(findings, key=Finding.sort_key)))
    return Project(path, config)


def render_schema() -> str:
    return schema_text(json_schema(ProjectFile, SCHEMA_ID))
