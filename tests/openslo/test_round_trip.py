"""Export → import → compile is compile: the Datadog SLOs and burn-rate alerts survive a trip through OpenSLO.

For each example set and for generated SLO definitions: export the SLOs as
OpenSLO documents, take the definitions without their ``slos``, import the
documents into them, and compile both. Every resource (not only the SLOs:
monitors and PagerDuty objects too) and every compile finding must be equal,
and the import must have nothing to say: a clean trip has no finding at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compiler.compile.slos import invalid_tiers, max_burn_rate
from compiler.importer.write import dump_yaml
from compiler.openslo.files import write_openslo
from compiler.openslo.run import export_openslo
from tests.openslo.support import EXAMPLE_SETS, compiled, import_into, load, scaffold, without_slos


def _round_trip(original: Path, work: Path) -> None:
    documents = export_openslo(load(original))
    write_openslo(work / "openslo", documents)
    stripped = without_slos(original, work / "repo" / "definitions")
    assert load(stripped).slos == []

    result = import_into(stripped, [work / "openslo"])

    assert [f.render() for f in result.outcome.findings] == []
    assert result.validation == []
    assert len(result.outcome.slos) == len(load(original).slos)
    assert compiled(stripped) == compiled(original)


@pytest.mark.parametrize("name", sorted(EXAMPLE_SETS))
def test_each_example_set_survives_export_then_import(name: str, tmp_path: Path) -> None:
    _round_trip(EXAMPLE_SETS[name], tmp_path)


def test_the_round_trip_notices_a_lost_slo(tmp_path: Path) -> None:
    """The comparison is not vacuous: dropping one SLO from the documents makes compile differ."""
    original = EXAMPLE_SETS["identity"]
    documents = export_openslo(load(original))
    documents["SLO"] = documents["SLO"][1:]
    write_openslo(tmp_path / "openslo", documents)
    stripped = without_slos(original, tmp_path / "repo" / "definitions")
    import_into(stripped, [tmp_path / "openslo"])

    assert compiled(stripped) != compiled(original)


# --- generated SLO definitions ------------------------------------------------------------------

QUERIES = ["sum:api.requests{env:prod}.as_count()", "sum:api.ok{env:prod,!status:5xx}.as_count()", "p95:api.latency{*}"]
TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x17F, exclude_characters="\x7f"), max_size=24)
LONG_WINDOWS = ["1h", "2h", "6h", "12h", "1d", "2d", "3d"]
SHORT_WINDOWS = {"1h": 60, "2h": 120, "6h": 360, "12h": 720, "1d": 1440, "2d": 2880, "3d": 4320}  # minutes


@st.composite
def tiers(draw: st.DrawFn, target: float) -> list[dict[str, Any]]:
    longs = draw(st.lists(st.sampled_from(LONG_WINDOWS), min_size=1, max_size=3, unique=True))
    out = []
    for long in longs:
        short = draw(st.sampled_from([m for m in (5, 10, 30, 60, 120) if m < SHORT_WINDOWS[long]]))
        ceiling = max_burn_rate(target)
        rate = draw(st.decimals(min_value=Decimal("0.5"), max_value=Decimal(str(min(ceiling, 50))), places=2))
        out.append({"long_window": long, "short_window": f"{short}m", "burn_rate": float(rate),
                    "severity": draw(st.sampled_from(["sev1", "sev2"]))})  # fmt: skip
    return out


@st.composite
def slo_definitions(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for index in range(draw(st.integers(1, 3))):
        target = float(draw(st.decimals(min_value=Decimal("50"), max_value=Decimal("99.999"), places=3)))
        slo: dict[str, Any] = {"name": f"slo-{index}", "service": "api"}
        for key in ("title", "description"):
            text = draw(TEXT)
            if text:
                slo[key] = text
        if draw(st.booleans()):
            slo.update(type="metric", good=draw(st.sampled_from(QUERIES)), total=QUERIES[0])
        else:
            threshold = draw(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
            slo.update(type="time_slice", query=draw(st.sampled_from(QUERIES)),
                       comparator=draw(st.sampled_from(["<", "<=", ">", ">="])), threshold=threshold,
                       slice=draw(st.sampled_from(["1m", "5m"])))  # fmt: skip
        slo["target"] = target
        if draw(st.booleans()) and target < 99.99:
            slo["warning"] = float(Decimal(str(target)) + Decimal("0.005"))
        slo["timeframe"] = draw(st.sampled_from(["7d", "30d", "90d"]))
        tags = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_./-]{0,8}(:[a-z0-9_./-]{1,8})?", fullmatch=True),
                             max_size=3, unique=True))  # fmt: skip
        if tags:
            slo["tags"] = tags
        if draw(st.booleans()):
            slo["datadog_slo"] = draw(st.from_regex(r"[0-9a-f]{32}", fullmatch=True))
        alerting = draw(st.sampled_from(["default", "off", "tiers"]))
        if alerting == "off":
            slo["alerting"] = {"enabled": False}
        elif alerting == "tiers":
            slo["alerting"] = {"tiers": draw(tiers(target)),
                               "on_invalid_tier": draw(st.sampled_from(["error", "drop", "clamp"]))}  # fmt: skip
        out.append(slo)
    return out


# make test runs a fixed (derandomized) 15 examples, a few seconds; `make openslo-long` runs 300.
ROUND_TRIP_EXAMPLES = int(os.environ.get("ALERTC_ROUND_TRIP_EXAMPLES", "15"))


@settings(
    max_examples=ROUND_TRIP_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(slos=slo_definitions())
def test_generated_slos_survive_export_then_import(slos: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        base = scaffold(work / "base")
        original = without_slos(base, work / "original")
        shutil.rmtree(base.parent)
        (original / "generated.yaml").write_text(dump_yaml({"slos": slos}), encoding="utf-8")
        loaded = load(original)
        assert loaded.process is not None
        refused = [
            slo for slo in loaded.slos if slo.alerting.on_invalid_tier == "error" and invalid_tiers(loaded.process, slo)
        ]
        assume(not refused)  # such definitions do not validate (S501): nothing to export
        assert len(loaded.slos) == len(slos)
        _round_trip(original, work)
