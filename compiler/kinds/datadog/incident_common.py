"""What the Datadog incident configuration kinds share: one noun gives the calls, the paths and the kind.

Notification templates, notification rules and postmortem templates live under
``/api/v2/incidents/config/`` (issue 17). All three are JSON:API resources
without pagination (one list call answers everything) and without tags, and the
client marks their operations *unstable*: they must be switched on (by their names without the
``v2.`` prefix: the client raises on the prefixed form of a name it knows) in the
client's configuration before the first call (reference §1.6), which ``DatadogKind`` does
for a kind marked ``unstable``.

A subclass names its ``noun`` (``notification_rule``); the kind (``incident_notification_rule``),
the client's four operations (``list_incident_notification_rules``, ``create_…``, ``update_…``,
``delete_…``) and the API paths (``/api/v2/incidents/config/notification-rules``) follow from it.
alertc keeps these objects *flat* on both sides (``JsonApi(flat=True)``): the desired body is the
``attributes`` object plus, for relationships, the related object's id under the relationship's
name (``notification_template``).
"""

from __future__ import annotations

import uuid
import warnings
from typing import Any, ClassVar

from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.kinds.base import UUID_IDS
from compiler.kinds.datadog.common import DatadogKind, Operations

API_FAMILY = "datadog:incident_config"
CONFIG_PATH = "/api/v2/incidents/config"
SERVER_OWNED = ("id", "created", "modified", "createdAt", "modifiedAt", "createdBy", "lastModifiedBy")

# alertc enables these operations on purpose; the client would warn on every first use of each
warnings.filterwarnings("ignore", message=r"Using unstable operation '\w+_incident_(notification|postmortem)_")


class IncidentConfigKind(DatadogKind):
    """One ``/api/v2/incidents/config/<noun>s`` collection; subclasses name the ``noun`` and the envelope."""

    noun: ClassVar[str]
    api_family = API_FAMILY
    api = IncidentsApi
    unstable = True
    server_owned: tuple[str, ...] = SERVER_OWNED
    max_concurrency = 2
    ids = UUID_IDS  # the client types these ids as UUIDs (postmortem templates: plain strings)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        noun = cls.__dict__.get("noun")
        if noun is not None:
            cls.kind = f"incident_{noun}"
            cls.operations = Operations.crud(f"incident_{noun}")
            collection = f"{CONFIG_PATH}/{noun.replace('_', '-')}s"
            cls.api_paths = (collection, f"{collection}/{{id}}")

    def api_id(self, live_id: str) -> Any:
        """The id as the client's typed parameter wants it."""
        return uuid.UUID(live_id) if self.ids is UUID_IDS else live_id
