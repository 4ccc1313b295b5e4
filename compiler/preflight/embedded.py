"""What seeding the embedded sandbox shares: giving a seeded object exactly the id the definitions name.

PagerDuty assigns ids itself, so an object standing in for an existing one (a team or a status
service referenced by id) is created through the API and its id rewritten through the sandbox's
admin state endpoint (``GET``/``PUT /_sandbox/state``). That endpoint exists only in the sandbox,
so no seed can ever change a real account's ids.
"""

from __future__ import annotations

from typing import Any

import pagerduty

ADMIN_STATE = "/_sandbox/state"


def give_ids(client: pagerduty.RestApiV2Client, store_kind: str, renames: dict[str, str]) -> None:
    """Rename the sandbox objects of ``store_kind`` (the store's name, e.g. ``pd_team``): assigned id → wanted id."""
    if not renames:
        return
    response = client.get(ADMIN_STATE)
    response.raise_for_status()
    state: dict[str, Any] = response.json()
    for obj in state["objects"]:
        if obj["kind"] == store_kind and obj["id"] in renames:
            obj["id"] = obj["body"]["id"] = renames[obj["id"]]
    client.put(ADMIN_STATE, json=state).raise_for_status()
