"""The banner configuration as vets-api settings and as a module vets-website can import."""

from __future__ import annotations

import json
import re

import yaml

from compiler.banners.config import BannerConfig, build_banner_config
from compiler.banners.formats import render_format, render_vets_api_env, render_vets_api_yaml, render_vets_website
from compiler.definitions import Definitions


def _live(d: Definitions) -> BannerConfig:
    """Live ids for alertc's own status services; the referenced ones come from the definitions."""
    return build_banner_config(d, {"sis": "PSIS001", "ssoe": "PSSOE01"})


def test_vets_api_env_has_one_line_per_key_and_states_the_prefix(example_definitions: Definitions) -> None:
    text = render_vets_api_env(_live(example_definitions))
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [
        "maintenance__services__dslogon=P9DJJAV",
        "maintenance__services__global=PLPSIB0",
        "maintenance__services__idme=PVWB4R8",
        "maintenance__services__logingov=P2SHMM9",
        "maintenance__services__mhv=PP2ZZ2V",
        "maintenance__services__mvi=PCIPVGJ",
        "maintenance__services__sis=PSIS001",
        "maintenance__services__ssoe=PSSOE01",
    ]
    assert '# maintenance.service_query_prefix: "External: "' in text.splitlines()


def test_vets_api_yaml_is_the_settings_block_with_the_exact_prefix(example_definitions: Definitions) -> None:
    settings = yaml.safe_load(render_vets_api_yaml(_live(example_definitions)))
    assert settings["maintenance"]["service_query_prefix"] == "External: "
    assert settings["maintenance"]["services"]["idme"] == "PVWB4R8"
    assert len(settings["maintenance"]["services"]) == 8  # seven banner keys and global


def test_vets_website_module_lists_dependencies_per_sign_in_method(example_definitions: Definitions) -> None:
    text = render_vets_website(build_banner_config(example_definitions))
    exports = dict(re.findall(r"^export const (\w+) = (.*?);$", text, flags=re.M | re.S))
    data = {name: json.loads(value) for name, value in exports.items()}
    assert data["CSP_DEPENDENCIES"] == ["dslogon", "idme", "logingov", "mhv"]
    by_method = data["AUTH_DEPENDENCIES_BY_METHOD"]
    assert "ssoe" not in by_method["sis"] and "sis" in by_method["sis"]
    assert "sis" not in by_method["ssoe"] and "ssoe" in by_method["ssoe"]
    assert data["AUTH_METHOD_SELECTORS"] == {"sis": "oauth=true", "ssoe": "oauth=false"}
    assert data["MAINTENANCE_LEAD_TIME_MS"] == 2 * 3600 * 1000
    assert data["DOWNTIME_BANNER_CONFIG"]["ssoe"]["headline"] == "Our sign in process isn't working right now"
    assert set(data["DOWNTIME_BANNER_CONFIG"]) >= {"multipleServices", "maintenance", "mvi"}


def test_json_is_todays_artifact(example_definitions: Definitions) -> None:
    config = _live(example_definitions)
    assert BannerConfig.model_validate_json(render_format(config, "json")) == config
