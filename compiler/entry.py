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


def main() -> None:
    code = EXIT_INTERRUPTED
    try:
        from compiler.cli import run  # noqa: PLC0415 - imported under the Ctrl-C guard (startup can be interrupted)

        code = run()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
