"""Output classes shared by plan, drift and validate: text (terminal), markdown (pull requests), json (machines).

One field-change formatter (``changes.py``) turns a before/after pair into
signed diff lines; every output class prints those lines its own way, so the
terminal, the saved plan's ``alertc show`` and the CI comment always show the
same changes, and a reviewer never sees a value cut short.
"""

from __future__ import annotations

from compiler.outputs.classes import OUTPUTS, JsonOutput, MarkdownOutput, Output, TextOutput, output_for
from compiler.outputs.findings import FINDING_FORMATS, render_findings

__all__ = [
    "FINDING_FORMATS",
    "OUTPUTS",
    "JsonOutput",
    "MarkdownOutput",
    "Output",
    "TextOutput",
    "output_for",
    "render_findings",
]
