"""Children that Ctrl-C reaches, however the test run itself was started.

A shell starts a background job (``make test &``, a CI runner's detached step) with SIGINT ignored, and
an ignored signal stays ignored in every child: Python then installs no KeyboardInterrupt handler, so an
``alertc`` started by a test would shrug off the SIGINT the test sends it. Tests that interrupt alertc
start it through :func:`interruptible`, so they test alertc, not how their own run was started.
"""

from __future__ import annotations

import sys

# Set SIGINT back to its default, then become the command (same pid; a default disposition survives exec).
# A trampoline rather than preexec_fn, which is unsafe in a test process running the sandbox's threads.
_TRAMPOLINE = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


def interruptible(argv: list[str]) -> list[str]:
    """``argv`` as a command whose process takes SIGINT as a terminal's Ctrl-C (pid unchanged)."""
    return [sys.executable, "-c", _TRAMPOLINE, *argv]
