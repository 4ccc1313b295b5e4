"""The ``alertc import`` pipeline: read live state (read-only), select, write native definitions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import AlertcError
from compiler.importer.select import ImportFilters, select
from compiler.importer.write import native_definitions, write_definitions
from compiler.kinds import get_kind
from compiler.live import Session, read_in_full, read_live
from compiler.providers.datadog import plain
from compiler.resources import ResourceSet

SEARCH_PAGE = 1000
MONITOR = get_kind("datadog", "monitor")


@dataclass
class ImportResult:
    files: list[Path]
    counts: dict[str, int]  # native kind → definitions written


def search_monitor_ids(session: Session, query: str) -> frozenset[str]:
    """Monitor ids Datadog's monitor search answers for ``query`` (every page)."""
    api = session.datadog.monitors
    ids: set[str] = set()
    page = 0
    while True:
        answer = plain(
            session.datadog.call(
                MONITOR,
                lambda page=page: api.search_monitors(query=query, page=page, per_page=SEARCH_PAGE),  # type: ignore[misc]
                what="search monitors",
            )
        )
        ids |= {str(m["id"]) for m in answer.get("monitors") or ()}
        if page + 1 >= int((answer.get("metadata") or {}).get("page_count") or 0):
            return frozenset(ids)
        page += 1


def run_import(
    session: Session,
    filters: ImportFilters,
    out_dir: Path,
    *,
    owner: str | None = None,
    datadog_query: str | None = None,
    schema: Path | None = None,
) -> ImportResult:
    """Write native definitions adopting the selected unowned objects; nothing is written to the target.

    Each file's ``$schema`` header points at ``schema`` (the project's definitions schema) from where it is.
    """
    if datadog_query is not None:
        filters = dataclasses.replace(filters, datadog_monitor_ids=search_monitor_ids(session, datadog_query))
    if not filters.any_selector and filters.name_regex is None:
        raise AlertcError(
            "nothing selected to import\n  hint: pass --all-unmanaged, or filters: --datadog-tag, --datadog-query, "
            "--name-regex, --pagerduty-service ID, --pagerduty-team ID"
        )
    live = read_live(session, ResourceSet(), owner=owner)
    chosen = read_in_full(session, select(live.objects, filters))  # written out whole: a dashboard's widgets too
    definitions = native_definitions(chosen, live.users)
    files = write_definitions(out_dir, definitions, schema=schema)
    return ImportResult(files, {kind: len(items) for kind, items in definitions.items()})
