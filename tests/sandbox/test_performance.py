"""1,000 monitor creates and a paginated list through the real client.

Speed is measured by `make bench`, not asserted here: this checks that a
thousand-object state pages back complete and in creation order.
"""

from __future__ import annotations

from pathlib import Path

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import start_embedded
from tests.sandbox.conftest import datadog_client


def test_thousand_creates_and_paginated_list(tmp_path: Path) -> None:
    with start_embedded(tmp_path) as sb, datadog_client(sb) as client:
        api = MonitorsApi(client)
        for i in range(1000):
            api.create_monitor(
                body={
                    "name": f"perf {i}",
                    "type": "metric alert",
                    "tags": ["perf:yes"],
                    "query": f"avg(last_5m):avg:perf.metric{{n:{i}}} > 1",
                    "options": {"thresholds": {"critical": 1}},
                }
            )
        listed = list(api.list_monitors_with_pagination(page_size=300, monitor_tags="perf:yes"))
        stats = sb.stats()
    assert [m.name for m in listed] == [f"perf {i}" for i in range(1000)]
    assert stats["endpoints"]["datadog"]["POST /api/v1/monitor"] == 1000
    assert stats["endpoints"]["datadog"]["GET /api/v1/monitor"] == 4  # 300 + 300 + 300 + 100
