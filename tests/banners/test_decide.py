"""The banner decision: a table of the cases the issue names, and properties over all inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.banners.config import BannerConfig
from compiler.banners.decide import STATUSES, ServiceStatus, Window, decide, decide_all, render_decisions

KEYS = ("dslogon", "idme", "logingov", "mhv", "mvi", "sis", "ssoe")
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
START = datetime(2026, 12, 12, 2, tzinfo=UTC) + timedelta(hours=5)  # 02:00 ET
END = START + timedelta(hours=3)
LOGINGOV_WINDOW = Window("logingov-2026-12-12", ("logingov",), START, END, "Login.gov is down for maintenance.")


def _all_active() -> dict[str, ServiceStatus | str]:
    return dict.fromkeys(KEYS, "active")


def _with(**statuses: str) -> dict[str, ServiceStatus | str]:
    return {**_all_active(), **statuses}


def test_nothing_down_shows_nothing(example_config: BannerConfig) -> None:
    for decision in decide_all(example_config, _all_active(), [], NOW).values():
        assert decision.banner == "none"
        assert decision.text is None
        assert decision.unknown_keys == ()


def test_ssoe_down_shows_the_ssoe_banner_to_ssoe_users_only(example_config: BannerConfig) -> None:
    statuses = _with(ssoe=ServiceStatus("critical", "#42 SSOe success rate below 50%"))
    ssoe = decide(example_config, statuses, [], "ssoe", NOW)
    assert (ssoe.banner, ssoe.key) == ("service", "ssoe")
    assert ssoe.text == example_config.dependencies["ssoe"].banner
    assert "#42 SSOe success rate below 50%" in ssoe.reason
    sis = decide(example_config, statuses, [], "sis", NOW)
    assert sis.banner == "none"


def test_sis_down_shows_the_sis_banner_to_sis_users_only(example_config: BannerConfig) -> None:
    statuses = _with(sis="critical")
    assert decide(example_config, statuses, [], "sis", NOW).key == "sis"
    assert decide(example_config, statuses, [], "ssoe", NOW).banner == "none"


def test_both_identity_services_down_is_one_outage_per_method(example_config: BannerConfig) -> None:
    decisions = decide_all(example_config, _with(sis="critical", ssoe="critical"), [], NOW)
    assert {name: (d.banner, d.key) for name, d in decisions.items()} == {
        "sis": ("service", "sis"),
        "ssoe": ("service", "ssoe"),
    }


def test_an_acknowledged_incident_still_shows_the_banner(example_config: BannerConfig) -> None:
    for decision in decide_all(example_config, _with(idme="warning"), [], NOW).values():
        assert (decision.banner, decision.key) == ("service", "idme")
        assert "'idme' is warning" in decision.reason


def test_two_csps_down_show_the_multiple_services_banner_to_both(example_config: BannerConfig) -> None:
    statuses = _with(idme="critical", logingov=ServiceStatus("warning", "#7"))
    for decision in decide_all(example_config, statuses, [], NOW).values():
        assert decision.banner == "multiple_services"
        assert decision.text == example_config.multiple_services
        assert [c.key for c in decision.causes] == ["idme", "logingov"]
        assert "incident #7" in decision.reason


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (START - timedelta(hours=2, minutes=1), "none"),
        (START - timedelta(hours=2), "maintenance"),
        (START - timedelta(minutes=1), "maintenance"),
        (START + timedelta(hours=1), "maintenance"),
        (END - timedelta(seconds=1), "maintenance"),
        (END, "none"),
    ],
)
def test_maintenance_on_logingov_shows_from_lead_time_to_end(
    example_config: BannerConfig, now: datetime, expected: str
) -> None:
    # During the window PagerDuty reports the service in maintenance; that is explained by the window.
    statuses = _with(logingov="maintenance") if START <= now < END else _all_active()
    for decision in decide_all(example_config, statuses, [LOGINGOV_WINDOW], now).values():
        assert decision.banner == expected, decision.reason
        if expected == "maintenance":
            assert decision.window == LOGINGOV_WINDOW
            assert "logingov-2026-12-12" in decision.reason


def test_an_outage_wins_over_a_maintenance_notice(example_config: BannerConfig) -> None:
    decision = decide(example_config, _with(mvi="critical"), [LOGINGOV_WINDOW], "sis", START - timedelta(hours=1))
    assert (decision.banner, decision.key) == ("service", "mvi")


def test_maintenance_status_without_a_window_counts_as_down(example_config: BannerConfig) -> None:
    decision = decide(example_config, _with(mhv="maintenance"), [], "ssoe", NOW)
    assert (decision.banner, decision.key) == ("service", "mhv")


def test_a_window_on_another_methods_key_is_not_shown(example_config: BannerConfig) -> None:
    window = Window("ssoe-upgrade", ("ssoe",), START, END)
    at = START - timedelta(hours=1)
    assert decide(example_config, _all_active(), [window], "ssoe", at).banner == "maintenance"
    assert decide(example_config, _all_active(), [window], "sis", at).banner == "none"


def test_a_global_window_reaches_every_method(example_config: BannerConfig) -> None:
    assert example_config.global_key == "global"  # the example defines it (PLPSIB0)
    window = Window("site-wide", ("global",), START, END)
    for decision in decide_all(example_config, _all_active(), [window], START + timedelta(minutes=5)).values():
        assert decision.banner == "maintenance"
    # without the key defined, a window on it concerns nobody
    dependencies = {k: v for k, v in example_config.dependencies.items() if k != "global"}
    without = example_config.model_copy(update={"global_key": None, "dependencies": dependencies})
    assert decide(without, _all_active(), [window], "sis", START).banner == "none"


def test_unreported_keys_are_listed(example_config: BannerConfig) -> None:
    statuses = {k: v for k, v in _all_active().items() if k != "mvi"}
    decision = decide(example_config, statuses, [], "sis", NOW)
    assert decision.banner == "none"
    assert decision.unknown_keys == ("mvi",)
    assert "not reported (treated as active): mvi" in render_decisions({"sis": decision})


def test_bad_inputs_are_refused(example_config: BannerConfig) -> None:
    with pytest.raises(ValueError, match="unknown PagerDuty service status 'down'"):
        decide(example_config, _with(idme="down"), [], "sis", NOW)
    with pytest.raises(ValueError, match="UTC offset"):
        decide(example_config, _all_active(), [], "sis", datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="unknown auth method 'oauth'"):
        decide(example_config, _all_active(), [], "oauth", NOW)


def test_render_names_each_method_and_its_reason(example_config: BannerConfig) -> None:
    text = render_decisions(decide_all(example_config, _with(ssoe="critical"), [], NOW))
    assert text.splitlines()[0] == "sis: no banner"
    assert text.splitlines()[2] == 'ssoe: service banner: "Our sign in process isn\'t working right now"'
    assert "'ssoe' is critical, and auth method 'ssoe' depends on it" in text


# --- properties -------------------------------------------------------------------------------

status_maps = st.fixed_dictionaries({k: st.sampled_from(STATUSES) for k in KEYS})
offsets = st.integers(min_value=-6 * 60, max_value=6 * 60).map(lambda m: timedelta(minutes=m))
windows = st.lists(
    st.builds(
        lambda keys, start, length, index: Window(
            f"w{index}", tuple(keys), START + start, START + start + timedelta(minutes=length)
        ),
        st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True),
        offsets,
        st.integers(min_value=1, max_value=300),
        st.integers(min_value=0, max_value=99),
    ),
    max_size=3,
)
moments = offsets.map(lambda delta: START + delta)


@settings(max_examples=150, deadline=None)
@given(
    statuses=status_maps,
    windows=windows,
    now=moments,
    other=st.sampled_from(STATUSES),
    start=offsets,
    length=st.integers(min_value=1, max_value=300),
)
def test_a_key_the_method_does_not_depend_on_never_changes_what_it_sees(
    example_config: BannerConfig,
    statuses: dict[str, str],
    windows: list[Window],
    now: datetime,
    other: str,
    start: timedelta,
    length: int,
) -> None:
    for method, foreign in (("sis", "ssoe"), ("ssoe", "sis")):
        base = decide(example_config, dict(statuses), windows, method, now)
        changed = {**statuses, foreign: other}
        foreign_window = Window("foreign", (foreign,), START + start, START + start + timedelta(minutes=length))
        assert decide(example_config, dict(changed), [*windows, foreign_window], method, now) == base


@settings(max_examples=150, deadline=None)
@given(statuses=status_maps, windows=windows, now=moments)
def test_sis_never_sees_the_ssoe_banner_and_ssoe_never_sees_the_sis_banner(
    example_config: BannerConfig, statuses: dict[str, str], windows: list[Window], now: datetime
) -> None:
    sis = decide(example_config, dict(statuses), windows, "sis", now)
    ssoe = decide(example_config, dict(statuses), windows, "ssoe", now)
    assert "ssoe" not in {c.key for c in sis.causes} and sis.key != "ssoe"
    assert "sis" not in {c.key for c in ssoe.causes} and ssoe.key != "sis"
    if all(statuses[k] == "active" for k in KEYS if k != "ssoe"):  # only SSOe may be down
        assert sis.banner in ("none", "maintenance")


@settings(max_examples=150, deadline=None)
@given(statuses=status_maps, now=moments)
def test_without_windows_the_banner_counts_the_methods_keys_down(
    example_config: BannerConfig, statuses: dict[str, str], now: datetime
) -> None:
    for name, method in example_config.auth_methods.items():
        down = [k for k in method.depends_on if statuses[k] != "active"]
        decision = decide(example_config, dict(statuses), [], name, now)
        expected = "none" if not down else "service" if len(down) == 1 else "multiple_services"
        assert decision.banner == expected
        assert [c.key for c in decision.causes] == down
