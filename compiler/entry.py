"""The ``alertc`` console-script entry point: Ctrl-C at any moment ends with exit 130 and no traceback.

The CLI module imports most of alertc (and the embedded sandbox starts
threads); a Ctrl-C while that is still loading, or while the interpreter shuts
down, used to print a long traceback. Here the import itself is guarded, and
once the command has finished further Ctrl-Cs are ignored while Python exits.
"""

from __future__ import annotations

import signal
import sys

EXIT_INTERRUPTED = 130


class SwallowedInterrupt:
    """A Ctrl-C that landed where Python cannot raise it.

    Inside C code that calls back into Python (pydantic-core building a validator, a ``__del__``), Python
    prints such a KeyboardInterrupt as "Exception ignored" with a traceback and the run goes on. The hook
    below keeps it quiet and remembers it, so the run ends with exit 130 and "interrupted" like any Ctrl-C
    (the step that was running finishes first).
    """

    pressed = False

    @classmethod
    def hook(cls, unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            cls.pressed = True
            return
        sys.__unraisablehook__(unraisable)


def main() -> None:
    code = EXIT_INTERRUPTED
    sys.unraisablehook = SwallowedInterrupt.hook
    try:
        from compiler.cli import run  # noqa: PLC0415 - imported under the Ctrl-C guard (startup can be interrupted)

        code = run()
        if SwallowedInterrupt.pressed:
            sys.stderr.write("interrupted\n")
            code = EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
