"""A sandbox in its own process and alertc runs as separate processes against it, as on a shared account.

Used by the concurrency tests and by ``make chaos``: two applies at once must
be two processes (two interpreters, two lock holders), and ``kill -9`` needs a
process to kill. ``key_counts`` reads every managed object straight from the
sandbox's API and counts objects per ownership key: any count above one is a
duplicate.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pagerduty
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi
from datadog_api_client.v2.api.downtimes_api import DowntimesApi
from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.definitions import load_definitions
from compiler.live import open_session
from compiler.preflight import handles, services, teams
from compiler.providers.ownership import parse_marker, parse_tags
from compiler.targets import target_from_environment

ALERTC = str(Path(sys.executable).parent / "alertc")
DEFINITIONS = Path(__file__).resolve().parents[1] / "definitions"
PEOPLE = [
    *((f"E{i}", f"identity-engineer-{i}@example.com") for i in range(1, 5)),
    ("Lead", "identity-lead@example.com"),
    ("PM", "identity-product@example.com"),
]
PD_COLLECTIONS = ("services", "schedules", "escalation_policies", "teams", "maintenance_windows")
UNSTABLE = tuple(
    f"list_incident_{noun}s" for noun in ("notification_template", "notification_rule", "postmortem_template")
)
COUNTED_KINDS = frozenset(
    {
        "datadog:monitor",
        "datadog:slo_alert",
        "datadog:slo",
        "datadog:downtime",
        "datadog:incident_notification_template",
        "datadog:incident_notification_rule",
        "datadog:incident_postmortem_template",
        "pagerduty:service",
        "pagerduty:schedule",
        "pagerduty:escalation_policy",
        "pagerduty:team",
        "pagerduty:maintenance_window",
    }
)


@dataclass
class SandboxProcess:
    process: subprocess.Popen[str]
    info: dict[str, Any]
    lock_dir: Path

    def env(self, *, lock_dir: Path | None = None, now: str = "2026-11-22T12:00:00+00:00") -> dict[str, str]:
        """The environment of an alertc run against this sandbox (``lock_dir``: another machine's locks)."""
        passed = {name: os.environ[name] for name in ("PYTHONPATH",) if name in os.environ}
        return {
            **passed,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DD_API_KEY": self.info["datadog_api_key"],
            "DD_APP_KEY": self.info["datadog_app_key"],
            "PAGERDUTY_TOKEN": self.info["pagerduty_token"],
            "PAGERDUTY_FROM": self.info["pagerduty_from"],
            "ALERTC_DATADOG_URL": self.info["datadog_url"],
            "ALERTC_PAGERDUTY_URL": self.info["pagerduty_url"],
            "ALERTC_CA_FILE": self.info["ca_file"],
            "ALERTC_NOW": now,
            "ALERTC_LOCK_DIR": str(lock_dir or self.lock_dir),
        }

    def alertc(self, *args: str, lock_dir: Path | None = None, cwd: Path | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [ALERTC, *args],
            env=self.env(lock_dir=lock_dir),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def datadog(self) -> ApiClient:
        config = Configuration(
            host=self.info["datadog_url"],
            api_key={"apiKeyAuth": self.info["datadog_api_key"], "appKeyAuth": self.info["datadog_app_key"]},
            ssl_ca_cert=self.info["ca_file"],
        )
        return ApiClient(config)

    def pagerduty(self) -> pagerduty.RestApiV2Client:
        return pagerduty.RestApiV2Client(
            self.info["pagerduty_token"],
            default_from=self.info["pagerduty_from"],
            base_url=self.info["pagerduty_url"],
            verify=ssl.create_default_context(cafile=self.info["ca_file"]),
        )

    def prepare_account(self, definitions: Path = DEFINITIONS) -> None:
        """What a real account already has: the team's people, and the PagerDuty team, the status services (and
        their Datadog handles) the definitions reference by id, unowned."""
        pd = self.pagerduty()
        known = {u["email"] for u in pd.list_all("users")}
        for name, email in PEOPLE:
            if email not in known:
                pd.rpost("users", json={"user": {"type": "user", "name": name, "email": email}})
        add_referenced(definitions, self.env())

    def key_counts(self) -> Counter[str]:
        """Managed objects per ownership key, read from the APIs (see ``key_counts``)."""
        with self.datadog() as client:
            return key_counts(client, self.pagerduty())


def add_referenced(definitions: Path, environ: Mapping[str, str]) -> None:
    """What a real account already has and the definitions reference by id, added unowned to the sandbox the
    environment names: the PagerDuty team they join, the status services and the Datadog handles reaching them
    (what the embedded sandbox's plan seeds for itself). The chaos runs and the end-to-end tests share it."""
    loaded = load_definitions(definitions).definitions
    target = target_from_environment(environ)
    assert loaded is not None and target is not None
    with open_session(target) as session:
        for seed in (teams.seed_embedded, services.seed_embedded, handles.seed_embedded):
            seed(loaded, session)


def key_counts(client: ApiClient, pd: pagerduty.RestApiV2Client) -> Counter[str]:
    """Managed objects per ownership key, read straight from the APIs with the official clients: monitors,
    SLOs, downtimes, incident notification templates and postmortem templates (marker), notification rules
    (under the key of the template they send: two rules on one template announce every incident twice),
    and the PagerDuty objects. A count above one is a duplicate."""
    counts: Counter[str] = Counter()
    for monitor in MonitorsApi(client).list_monitors():
        mark = parse_tags(monitor.to_dict().get("tags"))
        if mark.key:
            counts[f"datadog:{mark.key}"] += 1
    for slo in ServiceLevelObjectivesApi(client).list_slos().data or []:
        mark = parse_tags(slo.to_dict().get("tags"))
        if mark.key:
            counts[f"datadog:{mark.key}"] += 1
    for downtime in DowntimesApi(client).list_downtimes().data or []:
        attributes = downtime.to_dict().get("attributes") or {}
        if attributes.get("status") in ("canceled", "ended"):
            continue
        mark = parse_marker(attributes.get("message"))
        if mark.key:
            counts[f"datadog:{mark.key}"] += 1
    counts.update(_incident_configuration(client))
    for collection in PD_COLLECTIONS:
        for item in pd.list_all(collection):
            mark = parse_marker(item.get("description"))
            if mark.key:
                counts[f"pagerduty:{mark.key}"] += 1
    return counts


def _incident_configuration(client: ApiClient) -> Counter[str]:
    for operation in UNSTABLE:
        client.configuration.unstable_operations[operation] = True
    api = IncidentsApi(client)
    counts: Counter[str] = Counter()
    templates: dict[str, str] = {}
    for item in api.list_incident_notification_templates().to_dict().get("data") or []:
        mark = parse_marker((item.get("attributes") or {}).get("content"))
        if mark.key:
            templates[str(item["id"])] = mark.key.split("/", 1)[1]
            counts[f"datadog:{mark.key}"] += 1
    for item in api.list_incident_postmortem_templates().to_dict().get("data") or []:
        mark = parse_marker((item.get("attributes") or {}).get("name"))
        if mark.key:
            counts[f"datadog:{mark.key}"] += 1
    for item in api.list_incident_notification_rules().to_dict().get("data") or []:
        template = ((item.get("relationships") or {}).get("notification_template") or {}).get("data") or {}
        key = templates.get(str(template.get("id")))
        if key is not None:
            counts[f"datadog:incident_notification_rule/{key}"] += 1
    return counts


@contextmanager
def sandbox_process(state: Path, *, faults: dict[str, Any] | None = None, seed: int = 0) -> Iterator[SandboxProcess]:
    """``alertc sandbox serve`` on a free port; stopped (SIGTERM, then SIGKILL) on exit."""
    args = [ALERTC, "sandbox", "serve", "--port", "0", "--state", str(state), "--seed", str(seed)]
    if faults:
        args += ["--faults", json.dumps(faults)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox did not start")
        info = json.loads(line)
        info.update(info.pop("credentials", {}))
        handle = SandboxProcess(process, info, state.parent / "locks")
        yield handle
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
