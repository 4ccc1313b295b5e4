"""The contract tests run against the sandbox the end-to-end tests use (same fixture)."""

from __future__ import annotations

from tests.e2e.conftest import world

__all__ = ["world"]
