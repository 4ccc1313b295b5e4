"""Benchmark: 1,000 monitor creates and one paginated list through the real Datadog client.

Usage: python -m bench.sandbox_benchmark [--monitors 1000]

Measures the embedded sandbox (request validation against the shipped OpenAPI
specs included) as the end-to-end tests and the plan benchmark use it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from datadog_api_client import ApiClient, Configuration
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import start_embedded


def run(count: int, state: Path) -> float:
    with start_embedded(state) as handle:
        creds = handle.credentials
        config = Configuration(
            host=handle.datadog_url,
            api_key={"apiKeyAuth": creds["datadog_api_key"], "appKeyAuth": creds["datadog_app_key"]},
            ssl_ca_cert=str(handle.ca_file),
        )
        with ApiClient(config) as client:
            api = MonitorsApi(client)
            started = time.perf_counter()
            for i in range(count):
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
    if len(listed) != count:
        raise SystemExit(f"listed {len(listed)} monitors, created {count}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monitors", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        elapsed = run(args.monitors, Path(tmp))
    print(f"sandbox: {args.monitors} monitor creates + paginated list through the real client: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
