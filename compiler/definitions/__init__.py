"""The definitions language: one table of sections (``definition_set``), each section's models and references
(``models/``), the loader with file:line:col findings, and the JSON Schema."""

from compiler.checks.findings import Finding, Location
from compiler.definitions.definition_set import Definitions
from compiler.definitions.loader import LoadResult, load_definitions

__all__ = ["Definitions", "Finding", "LoadResult", "Location", "load_definitions"]
