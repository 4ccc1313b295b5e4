"""The console entry: a Ctrl-C that Python would only print as "Exception ignored" ends the run quietly."""

from __future__ import annotations

import pytest

from compiler.entry import SwallowedInterrupt


class Unraisable:
    """The argument Python passes to ``sys.unraisablehook`` (only the fields the hook reads)."""

    def __init__(self, exc: BaseException) -> None:
        self.exc_type = type(exc)
        self.exc_value = exc
        self.exc_traceback = None
        self.err_msg = None
        self.object = None


def test_a_swallowed_interrupt_is_remembered_and_not_printed(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(SwallowedInterrupt, "pressed", False)
    SwallowedInterrupt.hook(Unraisable(KeyboardInterrupt()))  # type: ignore[arg-type]
    assert SwallowedInterrupt.pressed
    assert capfd.readouterr().err == ""


def test_other_unraisable_errors_go_to_pythons_own_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr("sys.__unraisablehook__", seen.append)
    monkeypatch.setattr(SwallowedInterrupt, "pressed", False)
    error = Unraisable(ValueError("boom"))
    SwallowedInterrupt.hook(error)  # type: ignore[arg-type]
    assert seen == [error]
    assert not SwallowedInterrupt.pressed
