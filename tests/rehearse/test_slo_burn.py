"""An SLO burn-rate alert played on the sandbox: the sandbox's own evaluation pages when the alert test says.

``alertc test`` evaluates the example's burn-rate alerts offline (definitions/tests/slos.alertc-test.yaml);
here the same scenario runs through the real APIs on a fresh embedded sandbox, whose evaluator reads the SLO
and its burn-rate alert as the API stores them. The timeline must show what the alert test expects: nothing
for two slow minutes, the 6h tier alerting and paging at 42m, and the declaration prompt 15 minutes later.
"""

from __future__ import annotations

import re

from compiler.rehearse.report import render_text
from tests.rehearse.playing import ROOT, play

SCENARIO = ROOT / "definitions" / "tests" / "slos.alertc-test.yaml"
BURN = "three-slow-minutes-burn-the-latency-budget-and-page"


def test_the_sandbox_pages_a_latency_burn_when_the_alert_test_expects_it() -> None:
    lines = render_text(play(SCENARIO, BURN)).splitlines()
    events = [re.sub(r"\s+", " ", line.strip()) for line in lines[2:] if re.match(r"\s+\d+m ", line)]
    happened = [event for event in events if not event.startswith("0m the scenario")]
    assert [event.split(" ", 1)[0] for event in happened] == ["42m", "42m", "42m", "57m"], "\n".join(events)
    alert, incident, page, prompt = happened
    assert alert.startswith("42m sis-latency.burn-6h: OK → ALERT")
    assert "→ Slack #va-identity-alerts → @pagerduty-sign-in-service" in alert
    assert incident.startswith("42m PagerDuty sign-in-service #1: triggered (high urgency)")
    assert page.startswith("42m page identity-engineer-2@example.com (high urgency)")
    assert prompt.startswith("57m sis-latency.burn-6h: ALERT (re-notification)")
    assert "declare an incident now" in prompt
