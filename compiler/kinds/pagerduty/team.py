"""PagerDuty teams: one per ``teams:`` entry, owned by the marker line in the description.

Name 1-100 characters, unique; ``default_role`` defaults to ``manager``. DELETE
succeeds only while no escalation policy, service or schedule belongs to the
team (reference §2.6; attaching them is the escalation policies' business).
A team made outside alertc that definitions join (``pagerduty_team``) is found
through ``lookups``: by id, or by name without regard to case, as PagerDuty
keeps team names unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compiler.kinds.pagerduty.common import PagerDutyKind
from compiler.lookups import LOOKUP_BY_ID, LOOKUP_BY_NAME, team_name_key
from compiler.providers.normalize.common import JSONDict, finalize
from compiler.resources import LiveObject

TEAM_SERVER_OWNED = ("id", "type", "summary", "self", "html_url", "parent")
DEFAULT_ROLE = "manager"


def normalize_team(body: Mapping[str, Any]) -> JSONDict:
    """Name and description (trimmed, without the ownership marker); the default role folded away."""
    team = dict(body)
    description = team.get("description")
    team["description"] = description.strip() or None if isinstance(description, str) else None
    team["name"] = str(team.get("name") or "").strip() or None
    if team.get("default_role") in (None, DEFAULT_ROLE):
        team.pop("default_role", None)
    out: JSONDict = finalize(team)
    return out


class Team(PagerDutyKind):
    kind = "team"
    collection = "teams"
    server_owned = TEAM_SERVER_OWNED
    native_kind = "pagerduty_teams"
    native_fields = ("name", "description", "default_role")

    rules = staticmethod(normalize_team)

    def lookups(self, objects: Iterable[LiveObject]) -> dict[str, str]:
        """Every live team's id, by ``lookup:team_id/<id>`` and ``lookup:team/<name key>``."""
        found: dict[str, str] = {}
        for obj in objects:
            found[LOOKUP_BY_ID + obj.live_id] = obj.live_id
            found[LOOKUP_BY_NAME + team_name_key(obj.name)] = obj.live_id
        return found


KIND = Team()
