"""The sandbox evaluates: metric intake, monitors evaluated on the sandbox clock, and what follows (paging).

``intake`` stores submitted points (``POST /api/v2/series``, ``POST /api/v1/series``) and answers queries over them;
``view`` reads the store as the evaluator's world (``compiler.evaluate``, the evaluator of ``alertc test``: there is
no second one); ``engine`` replays every monitor from the first submitted point to the sandbox clock and makes what
happened visible through the APIs: monitor states, PagerDuty incidents that escalate by the escalation policy, and
the notification log at ``GET /_sandbox/notifications``.
"""
