"""Rules of alert-test files (T1xx, T2xx), reported by ``alertc test`` (``compiler.alerttest.load`` and ``runner``).

A test file's format problems (an unknown field, a value outside promtool's notation, a bad time) are the
schema rules (D2xx) it shares with the definitions; these are the rules only test files have.
"""

from __future__ import annotations

from compiler.checks.rule import Rule

NO_ALERT_TESTS = Rule(
    "T101",
    "error",
    "No alert-test file under the definitions directory",
    "`alertc test` plays the files named *.alertc-test.yaml anywhere under the definitions directory; finding none is "
    "more likely a misnamed file than nothing to test, so it fails rather than passing on nothing.\n"
    "Fix: name the test files *.alertc-test.yaml (e.g. definitions/tests/ssoe.alertc-test.yaml).",
)

NO_TEST_SELECTED = Rule(
    "T102",
    "error",
    "--run selects no alert test",
    "The names given with --run (globs such as 'ssoe-*') match no test; running nothing would pass silently.\n"
    "Fix: use a name the hint lists.",
)

DUPLICATE_TEST = Rule(
    "T201",
    "error",
    "Two alert tests have the same name",
    "Tests are selected (--run) and reported (JUnit, JSON) by name, so a name is unique across the test files.\n"
    "Fix: rename one of them.",
)

UNKNOWN_MONITOR = Rule(
    "T202",
    "error",
    "An alert test names a monitor or SLO alert that does not exist",
    "Monitors are named by their definitions name, SLO alerts by their compiled key (<slo>.burn-1h, ...); an unknown "
    "name would check nothing.\nFix: use the name the hint suggests.",
)

UNKNOWN_SERVICE = Rule(
    "T203",
    "error",
    "An alert test names a PagerDuty service that does not exist",
    "Services are named by the definitions name of the service, and a banner's status service as status-<key>.\n"
    "Fix: use the name the hint suggests.",
)

UNKNOWN_BANNER = Rule(
    "T204",
    "error",
    "An alert test names a sign-in method or banner that does not exist",
    "`banners:` maps a sign-in method (auth_methods) to what its users see: none, maintenance, multiple_services, or "
    "a dependency key.\nFix: use the name the hint suggests.",
)

UNKNOWN_PERSON = Rule(
    "T205",
    "error",
    "An alert test names a person who is on no team, schedule or escalation policy",
    "People are named by email, as in the teams and on-call definitions; an unknown one can never be paged.\n"
    "Fix: use the email the hint suggests.",
)
