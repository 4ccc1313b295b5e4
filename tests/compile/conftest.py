from __future__ import annotations

from pathlib import Path

import pytest

from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions, load_definitions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def example_definitions() -> Definitions:
    result = load_definitions(ROOT / "definitions")
    assert result.definitions is not None, [f.render() for f in result.findings]
    return result.definitions


@pytest.fixture(scope="session")
def compiled(example_definitions: Definitions) -> CompileResult:
    return compile_definitions(example_definitions)
