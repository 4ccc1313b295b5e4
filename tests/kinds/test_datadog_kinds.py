"""A Datadog kind is data: what it names must exist in the real client and agree with its paths.

For every ``DatadogKind``: each operation it names is a method of its client API class, at a
path the kind declares (so the request is paced under the kind's family); each declared path is
the path of one of the client's operations (no invented paths); a paged list names how it
pages; an incident configuration kind's calls and paths follow from its noun.
"""

from __future__ import annotations

import re

import pytest
from datadog_api_client import ApiClient, Configuration

from compiler.kinds import all_kinds
from compiler.kinds.datadog.common import DatadogKind
from compiler.kinds.datadog.incident_common import IncidentConfigKind
from compiler.kinds.registry import DATADOG_FAMILIES
from compiler.providers.datadog import endpoint

DATADOG_KINDS = [k for k in all_kinds() if isinstance(k, DatadogKind)]
LEGACY_READ = "/api/v1/integration/pagerduty"  # no client operation: datadog_raw builds its Endpoint


def _shape(path: str) -> str:
    """A path template with its parameters unnamed (``{template_id}`` and ``{id}`` are one segment alike)."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _client_paths(kind: DatadogKind) -> dict[str, str]:
    """Operation name → path template (parameters unnamed), for every operation of the kind's client API class."""
    api = kind.api(ApiClient(Configuration()))
    return {
        name.removeprefix("_").removesuffix("_endpoint"): _shape(value.settings["endpoint_path"])
        for name, value in vars(api).items()
        if name.endswith("_endpoint")
    }


def test_every_datadog_kind_is_a_datadog_kind() -> None:
    assert {k.address for k in DATADOG_KINDS} == {k.address for k in all_kinds() if k.provider == "datadog"}


@pytest.mark.parametrize("kind", DATADOG_KINDS, ids=lambda k: k.address)
def test_named_operations_exist_at_the_kinds_paths(kind: DatadogKind) -> None:
    paths = _client_paths(kind)
    declared = {_shape(p) for p in kind.api_paths}
    api = kind.api(ApiClient(Configuration()))
    for operation in kind.operations.names():
        assert callable(getattr(api, operation, None)), f"{kind.api.__name__} has no {operation}"
        assert paths[operation] in declared, f"{operation} ({paths[operation]}) is not in api_paths"
        assert DATADOG_FAMILIES.family_for(paths[operation]) == kind.api_family
    if kind.operations.list is not None and kind.paging is not None:
        assert endpoint(api, kind.operations.list).settings["http_method"] == "GET"


@pytest.mark.parametrize("kind", DATADOG_KINDS, ids=lambda k: k.address)
def test_declared_paths_are_the_clients(kind: DatadogKind) -> None:
    served = set(_client_paths(kind).values())
    assert {_shape(p) for p in kind.api_paths} - served <= {LEGACY_READ}


@pytest.mark.parametrize("kind", DATADOG_KINDS, ids=lambda k: k.address)
def test_a_paged_list_says_how_it_pages(kind: DatadogKind) -> None:
    assert (kind.paging is None) == (kind.page_size is None)
    if kind.paging is not None:
        assert (kind.paging.number is None) != (kind.paging.offset is None)


def test_an_incident_configuration_kind_follows_from_its_noun() -> None:
    class Sample(IncidentConfigKind):
        noun = "notification_rule"

    assert Sample.kind == "incident_notification_rule"
    assert Sample.operations.names() == (
        "list_incident_notification_rules",
        "create_incident_notification_rule",
        "update_incident_notification_rule",
        "delete_incident_notification_rule",
    )
    assert Sample.api_paths == (
        "/api/v2/incidents/config/notification-rules",
        "/api/v2/incidents/config/notification-rules/{id}",
    )
