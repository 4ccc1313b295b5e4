"""Contract with compile: every desired body it produces fits its kind spec.

Runs the example definitions through compile and checks, per resource, that
the spec's normalizer is idempotent on it and that ownership marks can be
added, read back, and never reach the diff.
"""

from __future__ import annotations

from pathlib import Path

from compiler.compile.compiler import compile_definitions
from compiler.definitions.loader import load_definitions
from compiler.kinds import get_kind
from compiler.providers import ownership as own
from compiler.providers.digest import digest

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"


def test_compiled_resources_normalize_and_carry_ownership() -> None:
    loaded = load_definitions(DEFINITIONS)
    assert loaded.definitions is not None
    resources = list(compile_definitions(loaded.definitions).resources)
    assert resources
    for r in resources:
        spec = get_kind(r.provider, r.kind)
        canonical = spec.canonical_desired(r.body)
        assert spec.normalize(canonical) == canonical, r.address
        key = f"{r.kind}/{r.key}"
        marked = own.add_ownership(spec, r.body, key, digest(canonical))
        assert spec.canonical_desired(marked) == canonical, r.address
        if spec.ownership.mode != "inherited":
            mark = own.read_ownership(spec, marked)
            assert (mark.key, mark.digest) == (key, digest(canonical)), r.address
