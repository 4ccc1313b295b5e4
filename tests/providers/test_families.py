"""The path → rate-limit family table: the longest declared path a request is at or below decides."""

from __future__ import annotations

import pytest

from compiler.providers.families import ApiFamilies, FamilyConflict

TABLE = ApiFamilies.of(
    [
        ("/api/v1/monitor", "monitors"),
        ("/api/v1/monitor/{monitor_id}", "monitors"),
        ("/api/v1/integration/pagerduty", "pagerduty"),
        ("/api/v1/integration/pagerduty/configuration/services/{name}", "pagerduty"),
        ("/api/v2/things/{id}/special", "special"),
        ("/api/v2/things", "things"),
    ],
    fallback="other",
)


@pytest.mark.parametrize(
    ("url", "family"),
    [
        ("https://api.datadoghq.com/api/v1/monitor?page=0&page_size=1000", "monitors"),
        ("/api/v1/monitor", "monitors"),
        ("/api/v1/monitor/123/validate", "monitors"),  # below a declared path
        ("/api/v1/monitors-other", "other"),  # a longer segment is another path
        ("/api/v1", "other"),  # above every declared path
        ("/api/v1/integration/pagerduty/configuration/services/x", "pagerduty"),
        ("/api/v2/things/42/special", "special"),  # the longest match wins over its parent
        ("/api/v2/things/42/other", "things"),
        ("/api/v2/things?filter=x", "things"),
    ],
)
def test_a_request_is_paced_under_the_family_of_the_longest_path_covering_it(url: str, family: str) -> None:
    assert TABLE.family_for(url) == family


def test_one_path_under_two_families_is_refused() -> None:
    with pytest.raises(FamilyConflict, match=r"/api/v1/slo/ is declared under both slos and monitors"):
        ApiFamilies.of([("/api/v1/slo", "slos"), ("/api/v1/slo/", "monitors")], fallback="other")
