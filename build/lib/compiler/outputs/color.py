"""Colour for the terminal only: ``+`` green, ``~`` yellow, ``-`` red; never when piped or asked not to.

``NO_COLOR`` (https://no-color.org, any non-empty value) and ``--no-color`` turn it
off; output that is not a terminal (CI logs, files, pipes) never gets escapes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TextIO

GREEN, YELLOW, RED, RESET = "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[0m"
SIGN_COLOR = {"+": GREEN, "~": YELLOW, "-": RED}
_REMOVED = re.compile(r"\[-(.*?)-\]")
_ADDED = re.compile(r"\{\+(.*?)\+\}")


def use_color(stream: TextIO, *, no_color: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour what goes to ``stream``."""
    if no_color or environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint_sign(sign: str, text: str) -> str:
    """The whole line in its sign's colour; word-diff markers inside it in red and green."""
    color = SIGN_COLOR.get(sign)
    text = _REMOVED.sub(lambda m: f"{RED}[-{m.group(1)}-]{RESET}{color or ''}", text)
    text = _ADDED.sub(lambda m: f"{GREEN}{{+{m.group(1)}+}}{RESET}{color or ''}", text)
    return f"{color}{text}{RESET}" if color else text
