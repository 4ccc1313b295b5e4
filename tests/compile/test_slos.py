"""SLOs and burn-rate alerts: Datadog's published tiers, its limits, and the budget text."""

from __future__ import annotations

import pytest

from compiler.compile import CompileResult
from compiler.compile.slos import (
    RECOMMENDED_TIERS,
    budget_consumed,
    burn_tiers,
    compile_slo,
    exhaustion_text,
    invalid_tiers,
    max_burn_rate,
)
from compiler.definitions import Definitions
from compiler.definitions import models as m


@pytest.mark.parametrize(
    ("timeframe", "rates"),
    [("7d", (16.8, 5.6, 2.8)), ("30d", (14.4, 6.0, 3.0)), ("90d", (21.6, 10.8, 4.5))],
)
def test_default_tiers_are_the_published_values(timeframe: str, rates: tuple[float, ...]) -> None:
    assert tuple(r for r, _, _ in RECOMMENDED_TIERS[timeframe]) == rates


@pytest.mark.parametrize(
    ("timeframe", "shares"),
    [("7d", (0.10, 0.20, 0.40)), ("30d", (0.02, 0.05, 0.10)), ("90d", (0.01, 0.03, 0.05))],
)
def test_burn_rate_is_budget_consumed_times_timeframe_over_long_window(
    example_definitions: Definitions, timeframe: str, shares: tuple[float, ...]
) -> None:
    process = example_definitions.process
    assert process is not None
    slo = next(s for s in example_definitions.slos if s.name == "sis-availability").model_copy(
        update={"timeframe": timeframe}
    )
    tiers = burn_tiers(process, slo)
    assert [round(budget_consumed(t, timeframe), 4) for t in tiers] == list(shares)
    assert [t.severity.name for t in tiers] == ["sev1", "sev2", "sev3"]


def test_burn_rate_alert_query_references_the_slo(compiled: CompileResult) -> None:
    alert = compiled.resources.get("datadog:slo_alert/sis-availability.burn-1h")
    assert alert is not None
    assert alert.body["query"] == (
        'burn_rate("${datadog:slo/sis-availability}").over("30d").long_window("1h").short_window("5m") > 14.4'
    )
    assert alert.body["options"]["thresholds"] == {"critical": 14.4}
    assert "datadog:slo/sis-availability" in alert.depends_on
    assert "gone in ~2 days" in alert.body["message"]


def test_exhaustion_text() -> None:
    assert exhaustion_text(14.4, "30d") == "at this rate the 30-day error budget is gone in ~2 days"
    assert exhaustion_text(3, "30d") == "at this rate the 30-day error budget is gone in ~10 days"


def _slo(example: Definitions, **update: object) -> m.MetricSlo:
    slo = next(s for s in example.slos if s.name == "sis-availability")
    assert isinstance(slo, m.MetricSlo)
    return slo.model_copy(update=update)


def test_ninety_percent_target_with_14_4_tier_is_reported_not_emitted(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    service = next(s for s in example_definitions.services if s.name == "sign-in-service")
    team = example_definitions.teams[0]
    assert max_burn_rate(90.0) == pytest.approx(10.0)
    slo = _slo(example_definitions, target=90.0)
    resources = compile_slo(process, slo, service, team)
    emitted = [r.body["query"] for r in resources if r.kind == "slo_alert"]
    assert all("> 14.4" not in q for q in emitted)
    assert len(emitted) == 2  # the 6x and 3x tiers are valid under a 10x ceiling
    assert [(i.describe(slo), i.rate) for i in invalid_tiers(process, slo)] == [
        (
            "SLO 'sis-availability': burn-rate tier 14.4x (1h/5m): burn rate 14.4 exceeds the maximum "
            "1/(1-0.9) = 10 for a 90% target",
            None,
        )
    ]


def test_clamp_keeps_the_tier_within_the_bound(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    service = next(s for s in example_definitions.services if s.name == "sign-in-service")
    slo = _slo(example_definitions, target=90.0, alerting=m.SloAlerting(on_invalid_tier="clamp"))
    resources = compile_slo(process, slo, service, example_definitions.teams[0])
    fast = next(r for r in resources if r.key.endswith("burn-1h"))
    assert fast.body["options"]["thresholds"]["critical"] == 10.0
    assert [i.rate for i in invalid_tiers(process, slo)] == [10.0]
    assert invalid_tiers(process, slo)[0].describe(slo).endswith("; clamped to 10")


def test_slow_burn_beyond_48h_becomes_an_error_budget_alert(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    service = next(s for s in example_definitions.services if s.name == "sign-in-service")
    tiers = [
        m.BurnRateTier(long_window="1h", short_window="5m", burn_rate=14.4, severity="sev1"),
        m.BurnRateTier(long_window="3d", short_window="6h", burn_rate=1.0, severity="sev3"),
    ]
    slo = _slo(example_definitions, alerting=m.SloAlerting(tiers=tiers))
    resources = compile_slo(process, slo, service, example_definitions.teams[0])
    assert invalid_tiers(process, slo) == []
    budget = next(r for r in resources if r.key == "sis-availability.budget-3d")
    assert budget.body["query"] == 'error_budget("${datadog:slo/sis-availability}").over("30d") > 10'
    assert budget.body["options"]["thresholds"] == {"critical": 10.0}
    assert "@pagerduty" not in budget.body["message"]
