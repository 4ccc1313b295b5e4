"""Reading PagerDuty's answers the way the backend does, into the decision's inputs."""

from __future__ import annotations

from datetime import UTC, datetime

from compiler.banners.config import BannerConfig
from compiler.banners.decide import ServiceStatus, decide_all
from compiler.banners.live import statuses_from_pagerduty, user_message, windows_from_pagerduty
from compiler.compile.banners import window_description


def _config(example_config: BannerConfig) -> BannerConfig:
    return example_config.model_copy(update={"services": {**example_config.services, "ssoe": "PSSOE01"}})


def test_user_message_is_the_text_after_the_tag() -> None:
    assert user_message(window_description("Back at 5 a.m.")) == "Back at 5 a.m."
    assert user_message("no tag here") == ""
    assert user_message(None) == ""


def test_statuses_by_id_or_by_exact_name_with_the_oldest_open_incident(example_config: BannerConfig) -> None:
    config = _config(example_config)
    services = [
        {"id": "PSSOE01", "name": "External: SSOe", "status": "critical"},
        {"id": "PXXXXXX", "name": "External: ID.me", "status": "warning"},  # template config: matched by name
        {"id": "PTEAM01", "name": "Sign-in Service", "status": "critical"},  # not a status service
        {"id": "POTHER1", "name": "External: Something Else", "status": "critical"},  # not a key
        {"id": "PBAD001", "name": "External: DS Logon", "status": "exploded"},  # unknown status: ignored
    ]
    incidents = [
        {"id": "Q2", "incident_number": 12, "title": "later", "created_at": "2026-12-01T10:05:00Z",
         "service": {"id": "PSSOE01"}},
        {"id": "Q1", "incident_number": 11, "title": "SSOe down", "created_at": "2026-12-01T10:00:00Z",
         "service": {"id": "PSSOE01"}},
    ]  # fmt: skip
    assert statuses_from_pagerduty(services, config, incidents) == {
        "ssoe": ServiceStatus("critical", "#11 SSOe down"),
        "idme": ServiceStatus("warning", None),
    }


def test_windows_map_services_to_keys_and_drop_the_rest(example_config: BannerConfig) -> None:
    config = example_config.model_copy(update={"services": {**example_config.services, "logingov": "P2SHMM9"}})
    listed = [
        {
            "id": "PW1",
            "start_time": "2026-12-12T07:00:00Z",
            "end_time": "2026-12-12T10:00:00-00:00",
            "description": window_description("Login.gov is down 2-5 a.m. ET."),
            "services": [{"id": "P2SHMM9", "type": "service_reference"}, {"id": "PUNKNOWN"}],
        },
        {"id": "PW2", "start_time": "2026-12-12T07:00:00Z", "end_time": "2026-12-12T10:00:00Z", "services": []},
    ]
    windows = windows_from_pagerduty(listed, config)
    assert len(windows) == 1
    window = windows[0]
    assert (window.id, window.keys, window.message) == ("PW1", ("logingov",), "Login.gov is down 2-5 a.m. ET.")
    assert window.start == datetime(2026, 12, 12, 7, tzinfo=UTC)
    decisions = decide_all(config, {}, windows, datetime(2026, 12, 12, 5, tzinfo=UTC))
    assert {d.banner for d in decisions.values()} == {"maintenance"}
