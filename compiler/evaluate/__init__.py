"""Datadog monitor and SLO-alert semantics over time series, and what follows each transition on PagerDuty.

Pure and offline: objects in the APIs' own shapes (``world``), series in, a timeline out (``run``). Used by
``alertc test`` (``compiler.alerttest``) and meant for the sandbox's monitor evaluation, so it imports nothing from
the engine or the sandbox (only ``compiler.notify``'s template semantics).

| module | the rules it follows (each module cites Datadog's or PagerDuty's page for each) |
|---|---|
| ``query``, ``expression``, ``scope`` | the query grammar (shared with the sandbox), expressions, tag filters |
| ``series`` | input series; a term's scope, groups, space aggregation, ``.as_count()``, ``.as_rate()``, ``.rollup()`` |
| ``metric_query`` | time aggregation, classic and as_count paths, evaluation delay and frequency, full window |
| ``slo`` | burn rate (long and short windows) and error budget, metric and time-slice SLOs |
| ``states`` | thresholds, recovery thresholds, No Data, new group delay, re-notification, downtimes |
| ``notifications`` | the rendered message, recipients and PagerDuty events of each monitor event |
| ``pagerduty``, ``oncall`` | incidents, urgency, escalation, acknowledgement, maintenance windows; who is on call |
| ``run`` | one run: every monitor, then PagerDuty; what it cannot evaluate, named (``Issue``) |
"""
