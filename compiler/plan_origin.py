"""A saved plan is applied only from the checkout it follows from: its scope, target and definitions.

A plan file travels (a CI artifact, a colleague's laptop) and can be edited;
its ``digest`` is a plain SHA-256 that whoever edits the file can recompute, so
it proves only that the file was not damaged or naively edited. What apply
trusts instead is what it can recompute where it runs:

* the ownership scope: ``owner`` of the checkout's ``alertc.yaml`` (or of its
  definitions) must be the plan's ``owner``;
* the target: the selected target must be the one the plan was made for;
* the definitions: compiled here (with the plan's own time, so a maintenance
  window that ended since does not count as a change), their digest must be
  the plan's ``definitions_digest``, and every change must follow from them:
  a create, update or adopt carries exactly the body a definition compiles to
  (a placeholder may stand resolved), and a delete removes an object no
  definition names (or an extra copy under a key).

So an edited plan, digest recomputed, can do nothing a plan made from this
checkout could not; the fresh live read (fingerprints, ownership marks) checks
the rest. Each refusal names both values and changes nothing (exit 1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler.errors import PlanError
from compiler.plan import Change, Plan, definitions_digest
from compiler.resources import ResourceSet

_PLACEHOLDER = re.compile(r"\$\{(?:datadog|pagerduty|lookup):[a-z_]+/[^}#]+(?:#[a-z_]+)?\}")
REPLAN = "  hint: make the plan from this checkout ('alertc plan'), review it, and apply that one"


@dataclass(frozen=True)
class Checkout:
    """What the directory apply runs in says: its scope, where its definitions are, what they compile to."""

    owner: str | None
    definitions_dir: str
    desired: ResourceSet
    project_file: str | None = None  # where the scope was read (None: the definitions' own ``owner``)


def _scope(owner: str | None) -> str:
    return f"'{owner}'" if owner is not None else "(none)"


def verify_plan_origin(plan: Plan, checkout: Checkout) -> None:
    """Refuse, changing nothing, a plan whose scope or definitions are not this checkout's."""
    if plan.owner != checkout.owner:
        where = checkout.project_file or f"the definitions in {checkout.definitions_dir}"
        raise PlanError(
            f"this plan is for ownership scope {_scope(plan.owner)}, but {where} says {_scope(checkout.owner)}; "
            f"nothing was applied\n{REPLAN}"
        )
    here = definitions_digest(checkout.desired)
    if plan.definitions_digest != here:
        raise PlanError(
            f"this plan was made from definitions with digest {plan.definitions_digest}, but the definitions in "
            f"{checkout.definitions_dir} have digest {here}; nothing was applied\n{REPLAN}"
        )
    problems = [p for p in (_follows(change, checkout.desired) for change in plan.changes) if p is not None]
    if problems:
        listed = "\n  ".join(problems[:10]) + (f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise PlanError(
            f"this plan does not follow from the definitions in {checkout.definitions_dir}; nothing was applied:\n"
            f"  {listed}\n{REPLAN}"
        )


def _follows(change: Change, desired: ResourceSet) -> str | None:
    """Why ``change`` is not what a plan of ``desired`` could hold (None: it could be)."""
    resource = desired.get(change.address)
    if change.action == "delete":
        if resource is not None and change.duplicate_of is None:
            return f"{change.address}: deleted, but a definition names it"
        return None
    if resource is None:
        return f"{change.address}: {change.action}d, but no definition names it"
    if list(change.depends_on) != list(resource.depends_on):
        return f"{change.address}: its dependencies differ from the definition's"
    if change.action == "adopt" and resource.adopt is not None and resource.adopt != change.live_id:
        return f"{change.address}: adopts id {change.live_id}, but the definition adopts id {resource.adopt}"
    if change.desired is None or not _instance_of(_plain(resource.body), change.desired):
        return f"{change.address}: its body differs from what the definition compiles to"
    return None


def _plain(body: Mapping[str, Any]) -> Any:
    """The body as it reads back from a plan file (tuples are lists; the same ``default=str`` as the plan)."""
    return json.loads(json.dumps(body, default=str))


def _instance_of(template: Any, value: Any) -> bool:
    """Whether ``value`` is ``template`` with some of its placeholders replaced by values (ids)."""
    if isinstance(template, str):
        if not isinstance(value, str):
            return False
        if "${" not in template:
            return template == value
        parts = _PLACEHOLDER.split(template)
        holes = _PLACEHOLDER.findall(template)
        pattern = re.escape(parts[0]) + "".join(
            f"(?:{re.escape(hole)}|[^\\s\"'${{}}]+){re.escape(part)}"
            for hole, part in zip(holes, parts[1:], strict=True)
        )
        return re.fullmatch(pattern, value, re.DOTALL) is not None
    if isinstance(template, dict):
        return (
            isinstance(value, dict)
            and template.keys() == value.keys()
            and all(_instance_of(template[k], value[k]) for k in template)
        )
    if isinstance(template, list):
        return (
            isinstance(value, list)
            and len(template) == len(value)
            and all(_instance_of(t, v) for t, v in zip(template, value, strict=True))
        )
    return type(template) is type(value) and template == value  # True is not 1
