"""A target whose TLS certificate does not verify: plan fails at once naming the host (issue 27 item 6)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World


def test_plan_against_a_host_whose_certificate_does_not_verify_fails_at_once_naming_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sandbox's certificate without its CA bundle: what a TLS-intercepting proxy looks like."""
    monkeypatch.delenv("ALERTC_CA_FILE")
    host = world.handle.datadog_url.removeprefix("https://").rstrip("/")
    result = world.plan()
    assert result.code == 1
    assert "cannot connect: its TLS certificate could not be verified: " in result.err
    assert f"({host}); retrying cannot fix this" in result.err, result.err
    assert "--ca-file" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
