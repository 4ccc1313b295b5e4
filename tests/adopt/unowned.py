"""Turn a sandbox's objects into unowned ones, as an account full of hand-made objects has them."""

from __future__ import annotations

from typing import Any

from compiler.providers.ownership import strip_marker, strip_ownership_tags
from compiler.sandbox import SandboxHandle


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (strip_ownership_tags(v) if k == "tags" and isinstance(v, list) else _strip(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    if isinstance(value, str):
        return strip_marker(value)
    return value


def strip_every_mark(handle: SandboxHandle) -> None:
    """Every alertc ownership tag and marker line removed from every object in the sandbox's state."""
    state = handle.dump()
    state["objects"] = [{**obj, "body": _strip(obj["body"])} for obj in state["objects"]]
    handle.load(state)
