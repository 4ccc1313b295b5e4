"""Target selection (project file, --target, environment, interactivity) and keeping keys out of every text form."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.errors import DefinitionsError, TargetError
from compiler.project import LiveTarget, Project, find_project, load_project
from compiler.providers.ratelimit import RateLimiter
from compiler.target_open import open_target
from compiler.targets import (
    Secret,
    TargetOptions,
    live_target,
    select_target,
    target_from_environment,
)

LIVE_ENV = {
    "DD_API_KEY": "dd-api-key-0123456789abcdef",
    "DD_APP_KEY": "dd-app-key-fedcba9876543210",
    "PAGERDUTY_TOKEN": "pd-token-y_NbAkKc66ryYTWUXYEu",
    "PAGERDUTY_FROM": "oncall-bot@example.com",
}

PROJECT = """\
owner: web-team
default_target: production
targets:
  production:
    type: live
    datadog: {site: datadoghq.eu, api_key_env: PROD_DD_API_KEY, app_key_env: PROD_DD_APP_KEY}
    pagerduty: {account: acme, token_env: PROD_PD_TOKEN}
  staging:
    type: live
  sandbox:
    type: sandbox
    state_dir: .state
"""


def _project(tmp_path: Path, text: str = PROJECT) -> Project:
    path = tmp_path / "alertc.yaml"
    path.write_text(text, encoding="utf-8")
    return load_project(path)


def test_no_credentials_means_no_environment_target() -> None:
    assert target_from_environment({}) is None


def test_live_target_with_government_site() -> None:
    target = target_from_environment({**LIVE_ENV, "DD_SITE": "ddog-gov.com"})
    assert target is not None
    assert target.datadog_url == "https://api.ddog-gov.com"
    assert target.pagerduty_url == "https://api.pagerduty.com"
    assert target.describe() == {
        "name": "default",
        "mode": "live",
        "datadog": "ddog-gov.com",
        "pagerduty": "https://api.pagerduty.com",
    }


def test_keys_never_appear_in_text_forms() -> None:
    target = target_from_environment(LIVE_ENV)
    assert target is not None
    for text in (repr(target), str(target), str(target.describe())):
        for secret in ("dd-api-key-0123456789abcdef", "dd-app-key-fedcba9876543210", "pd-token-y_NbAkKc66ryYTWUXYEu"):
            assert secret not in text
    assert str(Secret("s3cret")) == "Secret('****')"
    assert target.redact("failed with key dd-api-key-0123456789abcdef") == "failed with key ****"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DD_API_KEY": "x"}, "target 'default' needs DD_APP_KEY, PAGERDUTY_TOKEN, PAGERDUTY_FROM, which are not set"),
        ({k: v for k, v in LIVE_ENV.items() if k != "PAGERDUTY_FROM"}, "needs PAGERDUTY_FROM, which is not set"),
        ({**LIVE_ENV, "DD_SITE": "datadoghq.org"}, "DD_SITE 'datadoghq.org' is not a Datadog site"),
    ],
)
def test_incomplete_or_wrong_settings_are_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(TargetError, match=message):
        target_from_environment(env)


def test_pagerduty_from_is_only_required_for_writes() -> None:
    env = {k: v for k, v in LIVE_ENV.items() if k != "PAGERDUTY_FROM"}
    target = target_from_environment(env, writes=False)
    assert target is not None and target.pagerduty_from == ""


def test_non_interactive_run_without_project_or_credentials_is_a_one_line_error() -> None:
    with pytest.raises(TargetError) as caught:
        select_target(None, TargetOptions(), {}, interactive=False)
    message = str(caught.value)
    assert "\n" not in message
    assert "DD_API_KEY, DD_APP_KEY, PAGERDUTY_TOKEN are not set" in message
    assert "--target sandbox" in message


def test_interactive_run_without_project_or_credentials_falls_back_to_the_sandbox() -> None:
    selection = select_target(None, TargetOptions(), {}, interactive=True)
    assert (selection.name, selection.config.type, selection.fallback) == ("sandbox", "sandbox", True)


def test_sandbox_is_a_built_in_target_name() -> None:
    selection = select_target(None, TargetOptions(name="sandbox"), {}, interactive=False)
    assert (selection.name, selection.config.type, selection.fallback) == ("sandbox", "sandbox", False)


def test_project_default_target_and_env_selection(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert select_target(project, TargetOptions(), {}, interactive=True).name == "production"
    assert select_target(project, TargetOptions(), {"ALERTC_TARGET": "staging"}, interactive=True).name == "staging"
    assert select_target(project, TargetOptions(name="sandbox"), {}, interactive=False).config.type == "sandbox"


def test_a_project_with_a_default_never_falls_back_to_the_sandbox(tmp_path: Path) -> None:
    """Even interactive: with a project file, the sandbox must be chosen by name."""
    selection = select_target(_project(tmp_path), TargetOptions(), {}, interactive=True)
    assert isinstance(selection.config, LiveTarget)
    with pytest.raises(
        TargetError, match=r"^target 'production' needs PROD_DD_API_KEY, PROD_DD_APP_KEY, PROD_PD_TOKEN"
    ):
        live_target(selection.name, selection.config, {}, TargetOptions(), writes=False)


def test_unknown_target_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        TargetError, match=r"unknown target 'prod' in .*alertc\.yaml; targets: production, sandbox, staging"
    ):
        select_target(_project(tmp_path), TargetOptions(name="prod"), {}, interactive=True)


def test_several_targets_and_no_default_need_a_choice(tmp_path: Path) -> None:
    project = _project(tmp_path, PROJECT.replace("default_target: production\n", ""))
    with pytest.raises(TargetError, match=r"names several targets \(production, sandbox, staging\) and no default"):
        select_target(project, TargetOptions(), {}, interactive=True)


def test_named_live_target_uses_its_site_and_variables(tmp_path: Path) -> None:
    project = _project(tmp_path)
    env = {"PROD_DD_API_KEY": "k" * 32, "PROD_DD_APP_KEY": "a" * 40, "PROD_PD_TOKEN": "t" * 20}
    config = project.config.targets["production"]
    assert config.type == "live"
    target = live_target("production", config, env, TargetOptions(), writes=False)
    assert target.describe() == {
        "name": "production",
        "mode": "live",
        "datadog": "datadoghq.eu",
        "pagerduty": "https://api.pagerduty.com",
    }
    with pytest.raises(TargetError, match="target 'production' needs PAGERDUTY_FROM, which is not set"):
        live_target("production", config, env, TargetOptions(), writes=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("targets: {}\n", "alertc.yaml:1:10: [D205] targets: must not be empty"),
        (
            "owner: Web_Team\ntargets: {sandbox: {type: sandbox}}\n",
            "alertc.yaml:1:8: [D205] owner: invalid value 'Web_Team'",
        ),
        (
            "targets:\n  production:\n    type: live\n    datadog: {site: datadoghq.org}\n",
            "alertc.yaml:4:21: [D205] datadog.site: invalid value 'datadoghq.org'",
        ),
        (
            "targets:\n  sandbox: {type: sandbox, state: x}\n",
            "alertc.yaml:2:28: [D201] unknown field 'state' in sandbox",
        ),
        (
            "default_target: prod\ntargets: {sandbox: {type: sandbox}}\n",
            "default_target 'prod' is not one of the targets",
        ),
        ("targets: [\n", "alertc.yaml:2:1: [D103] YAML syntax error"),
        ("- production\n", "alertc.yaml:1:1: [D107] a project file must be a mapping"),
    ],
)
def test_project_file_errors_carry_file_line_column(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "alertc.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionsError) as caught:
        load_project(path)
    assert expected in str(caught.value)


def test_owner_is_exposed(tmp_path: Path) -> None:
    assert _project(tmp_path).config.owner == "web-team"


def test_project_file_is_found_upwards_but_not_beyond_the_repository(tmp_path: Path) -> None:
    (tmp_path / "alertc.yaml").write_text("targets: {sandbox: {type: sandbox}}\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_project(nested) == (tmp_path / "alertc.yaml").resolve()
    (tmp_path / "a" / ".git").mkdir()
    assert find_project(nested) is None


def test_embedded_sandbox_is_started_and_reachable_through_the_real_clients(tmp_path: Path) -> None:
    announced: list[str] = []
    options = TargetOptions(name="sandbox", sandbox_state=tmp_path / "state")
    with open_target({}, options=options, interactive=False, announce=announced.append) as target:
        assert target.mode == "embedded"
        assert target.describe()["name"] == "sandbox"
        assert target.datadog_url.startswith("https://127.0.0.1:")
        with target.datadog_client(RateLimiter("datadog")) as api:
            assert MonitorsApi(api).list_monitors() == []
        pd = target.pagerduty_client(RateLimiter("pagerduty"))
        assert pd.list_all("services") == []
    assert announced == [f"Target 'sandbox': the embedded sandbox (state in {tmp_path / 'state'}/)."]


def test_project_sandbox_state_is_relative_to_the_project(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with open_target({}, options=TargetOptions(name="sandbox"), project=project, interactive=False) as target:
        assert target.mode == "embedded"
    assert (tmp_path / ".state").is_dir()
