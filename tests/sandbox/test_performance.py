"""1,000 monitor creates and a paginated list through the real client."""

from __future__ import annotations

import time
from pathlib import Path

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import start_embedded
from tests.sandbox.conftest import SPECS, datadog_client


def test_thousand_creates_and_paginated_list(tmp_path: Path) -> None:
    with start_embedded(tmp_path, spec_dir=SPECS) as sb, datadog_client(sb) as client:
        api = MonitorsApi(client)
        started = time.perf_counter()
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
        listed = list(api.list_monitors_with_pagination(page_size=1000, monitor_tags="perf:yes"))
        elapsed = time.perf_counter() - started
    assert len(listed) == 1000
    print(f"1000 creates + paginated list: {elapsed:.2f}s")
    assert elapsed < 10  # measured ~1.5 s here; the bound is the margin
