"""Lookup keys: how a compiled body names a live id it cannot know (an existing PagerDuty team, by id or by name).

The compiler writes ``lookup:team/<name>`` where an id belongs; the team kind's lookups hook answers
those keys from what it read. Both sides need the same spelling, and neither may import the other
(compile is pure and light enough for ``alertc validate``; the kinds bring the API clients), so it
lives here.
"""

from __future__ import annotations

LOOKUP_BY_ID = "lookup:team_id/"
LOOKUP_BY_NAME = "lookup:team/"


def team_name_key(name: str) -> str:
    """How a team name is looked up: trimmed and case-folded (PagerDuty team names are unique that way)."""
    return name.strip().casefold()
