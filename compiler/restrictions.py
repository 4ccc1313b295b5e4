"""Scopes enforced by Datadog: every monitor of a scope editable only by that scope's role (opt-in).

A scope keeps honest teams apart; only the platform stops a key that names
another team's scope. With ``datadog_edit_role`` in ``alertc.yaml`` (the id of
the Datadog role the scope's service account holds), every Datadog monitor and
SLO alert the checkout compiles carries ``restricted_roles: [that role]``, so
Datadog answers 403 to a key of any other role that tries to change or delete
them. It is part of the desired state: a restriction loosened by hand is a
field change in plan and in drift, and apply puts it back. A native monitor that
names its own ``restricted_roles`` keeps them.
"""

from __future__ import annotations

from compiler.resources import ResourceSet

RESTRICTED_KINDS = ("monitor", "slo_alert")  # Datadog kinds whose body takes ``restricted_roles``


def restrict_edits(resources: ResourceSet, role: str | None) -> None:
    """Give every monitor and SLO alert in ``resources`` ``restricted_roles: [role]`` (none: unchanged)."""
    if role is None:
        return
    for kind in RESTRICTED_KINDS:
        for resource in resources.by_kind("datadog", kind):
            if not resource.body.get("restricted_roles"):
                resource.body["restricted_roles"] = [role]
