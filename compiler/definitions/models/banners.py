"""The downtime-banner sections: dependency keys, auth methods, features, banner texts, maintenance."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from compiler.checks.references import NO_BANNERS_SECTION
from compiler.definitions.models.services import SERVICES
from compiler.definitions.section import Many, Model, References, Single
from compiler.definitions.types import (
    BannerKey,
    CalendarDuration,
    Name,
    fail,
)


class BannerText(Model):
    headline: str
    body: str
    status: Literal["info", "warning", "error"] = "warning"


class Dependency(Model):
    """A banner key: a system whose outage users see (a CSP, MPI, SSOe, SiS)."""

    key: BannerKey = Field(description="The sign-in backend's key for this system, e.g. 'logingov', 'ssoe_oauth'.")
    title: str = Field(description="Display name; the PagerDuty status service is 'External: <title>'.")
    kind: Literal["csp", "identity", "backend"] = "backend"
    service: Name | None = Field(
        default=None, description="The service that implements this system, when the team owns it (e.g. SSOe)."
    )
    banner: BannerText
    pagerduty_service: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^P[A-Z0-9]{5,13}$"},
        description="An existing PagerDuty status service, by id (e.g. PVWB4R8): alertc creates no status service "
        "for this key, uses the id in the banner configuration and maintenance windows, and plan checks it exists.",
    )
    datadog_handle: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^[A-Za-z0-9_.+-]+$"},
        description="With pagerduty_service: the service_name Datadog's PagerDuty integration already has for that "
        "service; monitors with this banner_key notify '@pagerduty-<datadog_handle>' (plan checks it exists, "
        "alertc never changes it).",
    )
    status_prefix: str | None = Field(
        default=None,
        description="Status-service name prefix of this key when it differs from banners.status_prefix "
        "(e.g. 'Mobile: ' for a mobile team's own services).",
    )

    @model_validator(mode="after")
    def _service_id(self) -> Dependency:
        service_id = self.pagerduty_service
        if service_id is not None and not re.fullmatch(r"P[A-Z0-9]{5,13}", service_id):
            raise fail(
                f"pagerduty_service {service_id!r} is not a PagerDuty service id",
                "ids are 'P' and upper-case letters or digits, as in the service's URL, e.g. PVWB4R8",
            )
        return self

    @model_validator(mode="after")
    def _handle(self) -> Dependency:
        handle = self.datadog_handle
        if handle is None:
            return self
        if self.pagerduty_service is None:
            raise fail(
                f"datadog_handle {handle!r} needs pagerduty_service",
                "a handle names how Datadog reaches an existing service; without pagerduty_service alertc creates "
                f"the status service and its handle '@pagerduty-status-{self.key}' itself",
            )
        if not re.fullmatch(r"[A-Za-z0-9_.+-]+", handle):
            raise fail(
                f"datadog_handle {handle!r} is not a Datadog PagerDuty service name",
                "write the service_name as Datadog's PagerDuty integration lists it, without '@pagerduty-' "
                "(letters, digits, '_', '.', '+', '-')",
            )
        if handle.startswith("status-"):
            raise fail(
                f"datadog_handle {handle!r} starts with 'status-'",
                "'@pagerduty-status-<key>' handles are the status services alertc creates; name the existing one",
            )
        return self


class AuthMethod(Model):
    """A way to sign in, and the banner keys its users depend on."""

    name: Name
    title: str
    selector: str = Field(description="How the sign-in page recognises the method, e.g. 'oauth=true'.")
    service: Name = Field(description="The service implementing it.")
    depends_on: list[BannerKey] = Field(min_length=1, description="Banner keys whose outage these users see.")


class Feature(Model):
    """An app feature and the dependency (banner) keys it needs: the mobile team's feature → dependency map.

    When one of the keys is down or in maintenance, the feature is affected; ``maintenance`` names the key
    of the feature's own maintenance-window service, when it has one.
    """

    name: Name
    title: str
    depends_on: list[BannerKey] = Field(min_length=1, description="Banner keys whose outage affects this feature.")
    description: str = ""


class BannerSettings(Model):
    multiple_services: BannerText
    maintenance: BannerText
    maintenance_lead_time: CalendarDuration = Field(description="Show the maintenance banner this long before.")
    status_prefix: str = Field(default="External: ", description="Prefix of PagerDuty status service names.")


class MaintenanceWindow(Model):
    name: Name
    start: AwareDatetime
    end: AwareDatetime
    dependencies: list[BannerKey] = Field(min_length=1)
    message: str = Field(min_length=1, description="The user-facing message.")
    announced: AwareDatetime | None = Field(
        default=None,
        description="When the window was announced to users (the process's maintenance.notice is checked against it).",
    )

    @model_validator(mode="after")
    def _order(self) -> MaintenanceWindow:
        if self.end <= self.start:
            raise fail(f"end ({self.end.isoformat()}) must be after start ({self.start.isoformat()})")
        return self


def _keys_known(refs: References, item: Model, field: str, keys: list[str], known: set[str]) -> None:
    for index, key in enumerate(keys):
        refs.check_known(item, (field, index), "dependency key", key, known)


def _dependency_references(refs: References) -> None:
    services = {s.name for s in refs.items(SERVICES)}
    for dep in refs.items(DEPENDENCIES):
        if dep.service is not None:
            refs.check_known(dep, ("service",), "service", dep.service, services)


def _auth_method_references(refs: References) -> None:
    services = {s.name for s in refs.items(SERVICES)}
    known = {d.key for d in refs.items(DEPENDENCIES)}
    for method in refs.items(AUTH_METHODS):
        refs.check_known(method, ("service",), "service", method.service, services)
        _keys_known(refs, method, "depends_on", method.depends_on, known)
        refs.unique_within(method, "depends_on", method.depends_on, "dependency key")


def _feature_references(refs: References) -> None:
    known = {d.key for d in refs.items(DEPENDENCIES)}
    for feature in refs.items(FEATURES):
        _keys_known(refs, feature, "depends_on", feature.depends_on, known)


def _window_references(refs: References) -> None:
    known = {d.key for d in refs.items(DEPENDENCIES)}
    for window in refs.items(MAINTENANCE_WINDOWS):
        _keys_known(refs, window, "dependencies", window.dependencies, known)
        refs.unique_within(window, "dependencies", window.dependencies, "dependency key")


def _settings_references(refs: References) -> None:
    keyed = bool(refs.items(AUTH_METHODS)) or bool(refs.items(DEPENDENCIES)) or bool(refs.items(FEATURES))
    if keyed and refs.value(BANNER_SETTINGS) is None:
        refs.add(
            NO_BANNERS_SECTION,
            None,
            "dependencies and auth methods are defined but 'banners' is not",
            "add a 'banners:' section with the multiple_services and maintenance texts and the lead time",
        )


BANNER_SETTINGS: Single[BannerSettings] = Single(BannerSettings, check=_settings_references)
DEPENDENCIES: Many[Dependency] = Many(Dependency, "dependency", check=_dependency_references)
AUTH_METHODS: Many[AuthMethod] = Many(AuthMethod, "auth method", check=_auth_method_references)
FEATURES: Many[Feature] = Many(Feature, "feature", check=_feature_references)
MAINTENANCE_WINDOWS: Many[MaintenanceWindow] = Many(MaintenanceWindow, "maintenance window", check=_window_references)
