"""One module per resource kind and the registry the engine iterates (see README.md here)."""

from __future__ import annotations

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.kinds.registry import KINDS, all_kinds, apply_order, delete_order, get_kind

__all__ = ["KINDS", "Clients", "ReadContext", "ResourceKind", "all_kinds", "apply_order", "delete_order", "get_kind"]
