"""The banner configuration artifact: its committed schema, and what it carries for the backend."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from compiler.banners.config import (
    DEFAULT_SCHEMA_PATH,
    BannerConfig,
    MissingServiceIds,
    build_banner_config,
    load_banner_config,
    render_banner_config,
    render_schema,
)
from compiler.definitions import Definitions

ROOT = Path(__file__).resolve().parents[2]
IDS = {
    "dslogon": "P9DJJAV",
    "idme": "PVWB4R8",
    "logingov": "P2SHMM9",
    "mhv": "PP2ZZ2V",
    "mvi": "PCIPVGJ",
    "sis": "P0J60YD",
    "ssoe": "PSSOE01",
    "global": "PLPSIB0",
}


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / DEFAULT_SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / DEFAULT_SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == render_schema(), "banner config schema is stale: regenerate it with render_schema()"


def test_example_configs_validate_against_the_committed_schema(example_definitions: Definitions) -> None:
    validator = _validator()
    for config in (build_banner_config(example_definitions), build_banner_config(example_definitions, IDS)):
        errors = [e.message for e in validator.iter_errors(json.loads(render_banner_config(config)))]
        assert errors == []


def test_schema_rejects_what_the_backend_could_not_use(example_definitions: Definitions) -> None:
    validator = _validator()
    good = json.loads(render_banner_config(build_banner_config(example_definitions, IDS)))
    assert not validator.is_valid({**good, "services": {**good["services"], "idme": "not an id"}})
    assert not validator.is_valid({**good, "services": {**good["services"], "Bad_Key": "PVWB4R8"}})
    assert not validator.is_valid({**good, "unknown": 1})
    assert not validator.is_valid({key: value for key, value in good.items() if key != "auth_methods"})


def test_template_leaves_placeholders_for_ids_known_after_apply(example_config: BannerConfig) -> None:
    assert example_config.services["ssoe"] == "${pagerduty:service/status-ssoe}"
    assert example_config.services["idme"] == "PVWB4R8"  # a referenced id is known before apply
    assert set(example_config.services) == set(IDS)


def test_config_carries_the_method_split_texts_and_lead_time(example_definitions: Definitions) -> None:
    config = build_banner_config(example_definitions, IDS)
    assert config.services == IDS
    assert config.maintenance_lead_time_seconds == 2 * 3600
    assert config.status_prefix == "External: "
    assert config.global_key == "global"  # the example models the global key (issue 17 item 4)
    assert "ssoe" not in config.auth_methods["sis"].depends_on
    assert "sis" not in config.auth_methods["ssoe"].depends_on
    assert config.auth_methods["sis"].selector == "oauth=true"
    assert config.dependencies["logingov"].status_service == "External: Login.gov"
    assert config.maintenance.headline == "Upcoming site maintenance"
    assert config.multiple_services.status == "warning"


def test_partial_ids_are_refused_naming_the_missing_keys(example_definitions: Definitions) -> None:
    partial = {k: v for k, v in IDS.items() if k not in ("sis", "ssoe")}
    with pytest.raises(MissingServiceIds, match="sis, ssoe: apply the plan first") as raised:
        build_banner_config(example_definitions, partial)
    assert raised.value.keys == ["sis", "ssoe"]


def test_rendered_config_is_stable_and_loads_back(example_definitions: Definitions) -> None:
    config = build_banner_config(example_definitions, IDS)
    text = render_banner_config(config)
    assert text == render_banner_config(build_banner_config(example_definitions, IDS))
    assert text.endswith("}\n")
    assert load_banner_config(text) == config


def test_no_banners_section_is_an_error(example_definitions: Definitions) -> None:
    with pytest.raises(ValueError, match="no 'banners' section"):
        build_banner_config(dataclasses.replace(example_definitions, banners=None))
