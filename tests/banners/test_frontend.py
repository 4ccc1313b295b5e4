"""Today's vets-website rules (``--frontend current``) next to the per-method rules (``intended``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from compiler.banners.config import BannerConfig
from compiler.banners.decide import STATUSES, ServiceStatus, Window, decide_all
from compiler.banners.frontend import FRONTEND_AUTH_DEPENDENCIES, decide_current

KEYS = ("dslogon", "idme", "logingov", "mhv", "mvi", "sis", "ssoe")
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _with(**statuses: str) -> dict[str, ServiceStatus | str]:
    return {**dict.fromkeys(KEYS, "active"), **statuses}


def test_ssoe_down_shows_the_ssoe_banner_to_sis_users_today_and_not_when_intended(
    example_config: BannerConfig,
) -> None:
    statuses = _with(ssoe="critical")
    current = decide_all(example_config, statuses, [], NOW, rule=decide_current)
    intended = decide_all(example_config, statuses, [], NOW)
    assert {m: (d.banner, d.key) for m, d in current.items()} == {
        "sis": ("service", "ssoe"),
        "ssoe": ("service", "ssoe"),
    }
    assert {m: d.banner for m, d in intended.items()} == {"sis": "none", "ssoe": "service"}


def test_today_a_sis_outage_shows_nothing_because_sis_is_not_in_the_list(example_config: BannerConfig) -> None:
    current = decide_current(example_config, _with(sis="critical"), [], "sis", NOW)
    assert current.banner == "none"


def test_today_a_key_in_maintenance_status_counts_as_down(example_config: BannerConfig) -> None:
    window = Window("w", ("idme",), NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    statuses = _with(idme="maintenance")
    assert decide_current(example_config, statuses, [window], "sis", NOW).banner == "service"
    assert decide_all(example_config, statuses, [window], NOW)["sis"].banner == "maintenance"


def test_today_no_statuses_shows_the_mvi_banner(example_config: BannerConfig) -> None:
    decision = decide_current(example_config, {}, [], "sis", NOW)
    assert (decision.banner, decision.key) == ("service", "mvi")
    assert decision.text == example_config.dependencies["mvi"].banner
    assert "no statuses" in decision.reason


def test_today_a_listed_key_without_a_banner_of_its_own_falls_back_to_mvi(example_config: BannerConfig) -> None:
    dependencies = {k: v for k, v in example_config.dependencies.items() if k != "dslogon"}
    config = example_config.model_copy(update={"dependencies": dependencies})
    decision = decide_current(config, _with(dslogon="warning"), [], "ssoe", NOW)
    assert (decision.banner, decision.key) == ("service", "mvi")
    assert decision.text == example_config.dependencies["mvi"].banner


def test_today_maintenance_shows_two_hours_ahead_on_listed_keys_only(example_config: BannerConfig) -> None:
    start = NOW + timedelta(hours=2)
    window = Window("idme-w", ("idme",), start, start + timedelta(hours=1))
    assert decide_current(example_config, _with(), [window], "sis", NOW).banner == "maintenance"
    assert decide_current(example_config, _with(), [window], "sis", NOW - timedelta(seconds=1)).banner == "none"
    sis_window = Window("sis-w", ("sis",), NOW, NOW + timedelta(hours=1))
    assert decide_current(example_config, _with(), [sis_window], "sis", NOW).banner == "none"
    assert decide_all(example_config, _with(), [sis_window], NOW)["sis"].banner == "maintenance"


def test_today_a_global_window_shows_to_everyone(example_config: BannerConfig) -> None:
    window = Window("g", ("global",), NOW, NOW + timedelta(hours=1))
    decisions = decide_all(example_config, _with(), [window], NOW, rule=decide_current)
    assert {d.banner for d in decisions.values()} == {"maintenance"}


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(STATUSES), min_size=1))
def test_today_every_method_sees_the_same_banner(
    example_config: BannerConfig, statuses: dict[str, ServiceStatus | str]
) -> None:
    decisions = decide_all(example_config, statuses, [], NOW, rule=decide_current)
    assert len({(d.banner, d.key) for d in decisions.values()}) == 1
    down = [k for k, s in statuses.items() if k in FRONTEND_AUTH_DEPENDENCIES and s != "active"]
    expected = "none" if not down else "service" if len(down) == 1 else "multiple_services"
    assert decisions["sis"].banner == expected
