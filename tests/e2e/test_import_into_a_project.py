"""``alertc import`` into a project: the ``$schema`` header points at the project's schema from where the files
are written, and a directory of imported native definitions alone validates and plans (no ``process`` needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan_file import load_plan
from tests.e2e.conftest import World

PROJECT = """\
definitions: definitions
default_target: production
targets:
  production:
    type: live
    datadog: {site: datadoghq.com, api_key_env: DD_API_KEY, app_key_env: DD_APP_KEY}
    pagerduty: {url: https://api.pagerduty.com, token_env: PAGERDUTY_TOKEN, from_env: PAGERDUTY_FROM}
"""


def _hand_made_monitor(world: World) -> int:
    with world.datadog() as api:
        made = MonitorsApi(api).create_monitor(
            body={
                "name": "API latency",
                "type": "query alert",
                "query": "avg(last_5m):avg:api.latency{env:prod} > 2",
                "message": "API is slow @slack-web-alerts",
            }
        )
    return int(made.id)


@pytest.mark.parametrize("out", ["definitions/imported", "imported", "definitions/a/b"])
def test_the_schema_header_is_relative_to_where_import_writes(
    world: World, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    project = world.tmp / "project"
    project.mkdir()
    (project / "alertc.yaml").write_text(PROJECT, encoding="utf-8")
    (project / "definitions").mkdir()
    monkeypatch.chdir(project)
    assert world.alertc("schema").code == 0  # schema/definitions.schema.json at the project's root
    _hand_made_monitor(world)
    assert world.alertc("import", "--name-regex", "^API latency$", "-o", out).code == 0
    written = project / out / "datadog_monitors.yaml"
    header = written.read_text(encoding="utf-8").splitlines()[0]
    target = header.removeprefix("# yaml-language-server: $schema=")
    assert (written.parent / target).resolve() == (project / "schema" / "definitions.schema.json").resolve()


def test_imported_native_definitions_alone_validate_and_plan_an_adoption(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    live_id = _hand_made_monitor(world)
    natives = Path("natives")
    assert world.alertc("import", "--name-regex", "^API latency$", "-o", str(natives)).code == 0
    validated = world.alertc("validate", "-d", str(natives))
    assert validated.code == 0, validated.err
    assert "R309" not in validated.err
    assert world.plan(definitions=natives).code == 0
    changes = load_plan(world.tmp / "p.json").changes
    assert [(c.action, c.address, c.live_id) for c in changes] == [
        ("adopt", "datadog:monitor/api-latency", str(live_id))
    ]
