"""The banner map as a Mermaid graph: sign-in method → the dependencies its users need → their status services.

It is the picture of ``compiler.banners.decide``'s input: a method's users see the banner of a dependency they
depend on whose status service has an incident or a maintenance window (several at once: the multiple-services
banner). Status services are the existing PagerDuty services the definitions name by id, or the ones alertc
creates (``compile.banners.status_service_name``).
"""

from __future__ import annotations

from compiler.compile.banners import status_service_name
from compiler.definitions import Definitions
from compiler.diagrams.mermaid import block, label, node_id


def banner_map(d: Definitions) -> list[str]:
    """The graph (a fenced block), or nothing without sign-in methods."""
    if not d.auth_methods:
        return []
    used = {key for method in d.auth_methods for key in method.depends_on}
    lines = ["flowchart LR"]
    for method in sorted(d.auth_methods, key=lambda x: x.name):
        lines.append(f"  {node_id('method', method.name)}[{label(f'{method.title} users ({method.selector})')}]")
    for dep in sorted(d.dependencies, key=lambda x: x.key):
        if dep.key not in used:
            continue
        service = (
            f"PagerDuty {dep.pagerduty_service}"
            if dep.pagerduty_service
            else f"{status_service_name(dep, d.banners)} (alertc)"
        )
        lines.append(f"  {node_id('dep', dep.key)}([{label(f'{dep.title} ({dep.key})')}])")
        lines.append(f"  {node_id('status', dep.key)}[({label(service)})]")
        lines.append(f"  {node_id('dep', dep.key)} -- {label('status service')} --> {node_id('status', dep.key)}")
    for method in sorted(d.auth_methods, key=lambda x: x.name):
        for key in method.depends_on:
            lines.append(f"  {node_id('method', method.name)} -- {label('needs')} --> {node_id('dep', key)}")
    return block(lines)
