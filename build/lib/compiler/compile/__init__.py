"""Definitions → desired Resources. Pure: no network, no clock, no randomness.

The same definitions always give byte-identical desired state; time enters
only where a plan is made, as an explicit argument.
"""

from compiler.compile.compiler import CompileResult, compile_definitions

__all__ = ["CompileResult", "compile_definitions"]
