"""Target selection from the environment, and keeping keys out of every text form."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.errors import TargetError
from compiler.providers.ratelimit import RateLimiter
from compiler.targets import Secret, open_target, target_from_environment

LIVE_ENV = {
    "DD_API_KEY": "dd-api-key-0123456789abcdef",
    "DD_APP_KEY": "dd-app-key-fedcba9876543210",
    "PAGERDUTY_TOKEN": "pd-token-y_NbAkKc66ryYTWUXYEu",
    "PAGERDUTY_FROM": "oncall-bot@example.com",
}


def test_no_credentials_means_the_embedded_sandbox() -> None:
    assert target_from_environment({}) is None


def test_live_target_with_government_site() -> None:
    target = target_from_environment({**LIVE_ENV, "DD_SITE": "ddog-gov.com"})
    assert target is not None
    assert target.datadog_url == "https://api.ddog-gov.com"
    assert target.pagerduty_url == "https://api.pagerduty.com"
    assert target.describe() == {"mode": "live", "datadog": "ddog-gov.com", "pagerduty": "https://api.pagerduty.com"}


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
        ({"DD_API_KEY": "x"}, "DD_APP_KEY, PAGERDUTY_TOKEN not set while DD_API_KEY is"),
        ({k: v for k, v in LIVE_ENV.items() if k != "PAGERDUTY_FROM"}, "PAGERDUTY_FROM is not set"),
        ({**LIVE_ENV, "DD_SITE": "datadoghq.org"}, "DD_SITE 'datadoghq.org' is not a Datadog site"),
    ],
)
def test_incomplete_or_wrong_settings_are_clear_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(TargetError, match=message):
        target_from_environment(env)


def test_embedded_sandbox_is_started_and_reachable_through_the_real_clients(tmp_path: Path) -> None:
    announced: list[str] = []
    with open_target({}, state_dir=tmp_path / "state", announce=announced.append) as target:
        assert target.mode == "embedded"
        assert target.datadog_url.startswith("https://127.0.0.1:")
        with target.datadog_client(RateLimiter("datadog")) as api:
            assert MonitorsApi(api).list_monitors() == []
        pd = target.pagerduty_client(RateLimiter("pagerduty"))
        assert pd.list_all("services") == []
    assert len(announced) == 1 and "embedded sandbox" in announced[0]
