"""Which rate-limit bucket (API family) a request is paced and retried under.

Datadog limits each API family on its own (``x-ratelimit-name``), and the limiter must
know a request's bucket before the first response says it. The families come from the
resource kinds: each kind names the paths its calls use and its family
(``ResourceKind.api_paths``, ``api_family``), and ``compiler.kinds.registry`` builds the
table from them, so a family is declared once, on its kind. PagerDuty limits the whole
REST API of one key together: one family.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

PAGERDUTY_FAMILY = "pagerduty:rest"
DATADOG_FALLBACK = "datadog:other"


class FamilyConflict(ValueError):
    """Two kinds name one API path under different families (a programming error in a kind module)."""


@dataclass(frozen=True)
class ApiFamilies:
    """Request path → family: the family of the longest declared path the request is at or below.

    A declared path is a template: ``{name}`` matches any one segment. ``/api/v1/monitor``
    covers ``/api/v1/monitor/123/validate`` but not ``/api/v1/monitors-other``.
    """

    routes: tuple[tuple[tuple[str, ...], str], ...]  # longest first
    fallback: str

    @classmethod
    def of(cls, paths: Iterable[tuple[str, str]], *, fallback: str) -> ApiFamilies:
        """The table for ``(path, family)`` pairs; a path named twice must name one family."""
        found: dict[tuple[str, ...], str] = {}
        for path, family in paths:
            segments = _segments(path)
            if found.setdefault(segments, family) != family:
                raise FamilyConflict(f"{path} is declared under both {found[segments]} and {family}")
        ordered = sorted(found.items(), key=lambda item: -len(item[0]))
        return cls(tuple(ordered), fallback)

    def family_for(self, url: str) -> str:
        """The family of a request URL or path (its query ignored); ``fallback`` when no path covers it."""
        segments = _segments(urlsplit(url).path if "://" in url else url.split("?", 1)[0])
        for template, family in self.routes:
            if len(segments) >= len(template) and all(
                t == s or (t.startswith("{") and t.endswith("}")) for t, s in zip(template, segments, strict=False)
            ):
                return family
        return self.fallback


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)
