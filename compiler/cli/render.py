"""The output class a command prints a plan or drift report with (the plan/diff side, so not in ``common``)."""

from __future__ import annotations

import sys

from compiler.outputs.classes import Output, output_for
from compiler.outputs.color import use_color


def output(output_format: str, no_color: bool, *, err: bool = False) -> Output:
    """The output class for --format, coloured only when the stream it goes to is a terminal."""
    return output_for(output_format, color=use_color(sys.stderr if err else sys.stdout, no_color=no_color))
