"""The definitions language: models, loader with file:line:col findings, reference checks, schema."""

from compiler.definitions.findings import Finding, Location
from compiler.definitions.loader import Definitions, LoadResult, load_definitions

__all__ = ["Definitions", "Finding", "LoadResult", "Location", "load_definitions"]
