"""Good/bad pairs of the alert-test rules (T1xx, T2xx), for ``tests/lint/test_rule_pairs.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.definitions.base_set import write_set

GOOD_TEST = """\
tests:
  - name: nothing-fails
    expect:
      - at: 0m
        monitors: {api-errors: ok}
        pages: []
"""


def with_tests(text: str | None) -> Callable[[Path], None]:
    """The base definitions set, with ``text`` as its one alert-test file (None: no test file)."""

    def build(directory: Path) -> None:
        write_set(directory, None)
        if text is not None:
            (directory / "tests").mkdir()
            (directory / "tests" / "case.alertc-test.yaml").write_text(text, encoding="utf-8")

    return build


Build = Callable[[Path], None]
# (rule, bad set, the lines carrying the rule, good set, the command that reports it)
AlertTestPair = tuple[str, Build, list[str], Build, tuple[str, ...]]


def alert_test_pairs() -> list[AlertTestPair]:
    good = with_tests(GOOD_TEST)
    return [
        (
            "T101",
            with_tests(None),
            ["case: [T101] no alert tests under case (files named *.alertc-test.yaml)"],
            good,
            ("test",),
        ),
        (
            "T102",
            with_tests(GOOD_TEST),
            ["case: [T102] no alert test matches nope-*"],
            with_tests(GOOD_TEST.replace("nothing-fails", "nope-ok")),
            ("test", "--run", "nope-*"),
        ),
        (
            "T201",
            with_tests(GOOD_TEST + GOOD_TEST.removeprefix("tests:\n")),
            [
                "case/tests/case.alertc-test.yaml:7:11: [T201] test 'nothing-fails' is defined twice (first at "
                "case/tests/case.alertc-test.yaml:2:11)"
            ],
            good,
            ("test",),
        ),
        (
            "T202",
            with_tests(GOOD_TEST.replace("api-errors", "api-error")),
            ["case/tests/case.alertc-test.yaml:5:20: [T202] no monitor or SLO alert 'api-error'"],
            good,
            ("test",),
        ),
        (
            "T203",
            with_tests(GOOD_TEST.replace("        pages: []\n", "        incidents: {apii: none}\n")),
            ["case/tests/case.alertc-test.yaml:6:21: [T203] no PagerDuty service 'apii'"],
            with_tests(GOOD_TEST.replace("        pages: []\n", "        incidents: {api: none}\n")),
            ("test",),
        ),
        (
            "T204",
            with_tests(GOOD_TEST.replace("        pages: []\n", "        banners: {web: none}\n")),
            ["case/tests/case.alertc-test.yaml:6:19: [T204] no sign-in method 'web'"],
            good,
            ("test",),
        ),
        (
            "T205",
            with_tests(GOOD_TEST.replace("pages: []", "pages: [{person: c@example.com}]")),
            ["case/tests/case.alertc-test.yaml:6:26: [T205] no person 'c@example.com'"],
            good,
            ("test",),
        ),
    ]
