"""Reading a saved plan: the file is input, so it is parsed strictly and checked before apply trusts it.

A plan file travels (CI artifact, a colleague's laptop) and can be edited. Its
JSON is validated with a strict pydantic model: unknown fields, wrong types,
unknown actions and unknown kinds are refused with the field's path
(``changes[3].live_id``); ids are checked per kind (``ResourceKind.check_id``)
before they can reach a URL; and the plan's own digest must still match what
it holds ("plan file was modified after it was made"). Every failure is a
``PlanError`` (exit 1), never an internal error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from compiler.errors import PlanError
from compiler.kinds import KINDS
from compiler.plan import PLAN_FORMAT_VERSION, Change, Conflict, FieldChange, Plan, plan_digest
from compiler.providers.ownership import KEY_RE

HINT = "  hint: make a fresh plan with 'alertc plan' and apply that one"
MAX_DEPTH_MESSAGE = "nested too deeply to be a plan"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FieldChangeModel(_Strict):
    path: str
    before: JsonValue
    after: JsonValue


class ChangeModel(_Strict):
    """One change; which fields an action needs is checked here, the kind's id rules too."""

    action: Literal["adopt", "create", "update", "delete"]
    address: str
    provider: Literal["datadog", "pagerduty"]
    kind: str
    key: str = Field(min_length=1)
    live_id: str | None = None
    name: str | None = None
    desired: dict[str, JsonValue] | None = None
    depends_on: list[str] = Field(default_factory=list)
    fields: list[FieldChangeModel] = Field(default_factory=list)
    duplicate_of: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ChangeModel:
        kind = KINDS.get(f"{self.provider}:{self.kind}")
        if kind is None:
            raise ValueError(f"unknown kind {self.provider}:{self.kind} (known: {', '.join(KINDS)})")
        if self.address != f"{self.provider}:{self.kind}/{self.key}":
            raise ValueError(f"address {self.address!r} does not match provider, kind and key")
        if not KEY_RE.match(f"{self.kind}/{self.key}"):
            raise ValueError(f"key {self.key!r} is not an ownership key")
        if self.action == "create":
            if self.live_id is not None or self.duplicate_of is not None:
                raise ValueError("a create has no live_id or duplicate_of")
            if self.desired is None:
                raise ValueError("a create needs its desired body")
        else:
            if self.live_id is None:
                raise ValueError(f"an {self.action} needs the live_id of the object it changes")
            problem = kind.check_id(self.live_id)
            if problem is not None:
                raise ValueError(f"live_id {problem}")
        if self.action in ("update", "adopt") and self.desired is None:
            raise ValueError(f"an {self.action} needs its desired body")
        if self.action == "delete" and self.desired is not None:
            raise ValueError("a delete has no desired body")
        if self.duplicate_of is not None:
            if self.action != "delete":
                raise ValueError("duplicate_of only goes with a delete")
            problem = kind.check_id(self.duplicate_of)
            if problem is not None:
                raise ValueError(f"duplicate_of {problem}")
        return self


class ConflictModel(_Strict):
    address: str
    live_id: str
    name: str
    owner: str | None = None
    reason: str = "name"
    foreign: bool = False


class PlanModel(_Strict):
    """The whole plan file, version ``PLAN_FORMAT_VERSION``."""

    version: Literal[2]
    created_at: str
    definitions_digest: str
    target: dict[str, str]
    changes: list[ChangeModel]
    fingerprints: dict[str, str]
    conflicts: list[ConflictModel]
    unmanaged: list[dict[str, str]]
    owner: str | None
    adopt_fingerprints: dict[str, str]
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for name, value in pairs:
        if name in seen:
            raise ValueError(f"the key {name!r} appears twice in one object")
        seen[name] = value
    return seen


def _problem(error: Any, raw: Any) -> str:
    """``changes[3].live_id: <what is wrong> (datadog:monitor/x)``: the path, the message, the change's address."""
    loc = tuple(error["loc"])
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    text = f"{path or '(the plan)'}: {error['msg']}"
    if len(loc) >= 2 and loc[0] == "changes" and isinstance(loc[1], int) and isinstance(raw, dict):
        changes = raw.get("changes")
        if isinstance(changes, list) and loc[1] < len(changes) and isinstance(changes[loc[1]], dict):
            address = changes[loc[1]].get("address")
            if isinstance(address, str):
                text += f" ({address[:120]})"
    return text


def parse_plan(data: bytes, source: str) -> Plan:
    """A Plan from the bytes of a plan file, or a PlanError naming what is wrong and where."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{source}: not a plan: not UTF-8 text (byte {exc.start})\n{HINT}") from None
    try:
        raw = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise PlanError(f"{source}:{exc.lineno}:{exc.colno}: not a plan: invalid JSON ({exc.msg})\n{HINT}") from None
    except ValueError as exc:
        raise PlanError(f"{source}: not a plan: {exc}\n{HINT}") from None
    except RecursionError:
        raise PlanError(f"{source}: not a plan: {MAX_DEPTH_MESSAGE}\n{HINT}") from None
    if not isinstance(raw, dict):
        raise PlanError(f"{source}: not a plan: the file holds JSON {type(raw).__name__}, not an object\n{HINT}")
    if raw.get("version") != PLAN_FORMAT_VERSION:
        version = raw.get("version")
        raise PlanError(
            f"{source}: unsupported plan format version {version!r} (this alertc writes version "
            f"{PLAN_FORMAT_VERSION})\n{HINT}"
        )
    try:
        model = PlanModel.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(e, raw) for e in exc.errors()[:10]]
        more = len(exc.errors()) - len(problems)
        listed = "\n  ".join(problems) + (f"\n  ... and {more} more" if more > 0 else "")
        raise PlanError(f"{source}: not a valid plan; nothing was applied:\n  {listed}\n{HINT}") from None
    except RecursionError:
        raise PlanError(f"{source}: not a plan: {MAX_DEPTH_MESSAGE}\n{HINT}") from None
    if plan_digest(raw) != model.digest:
        raise PlanError(
            f"{source}: plan file was modified after it was made (its digest does not match its changes); "
            f"nothing was applied\n{HINT}"
        )
    return _to_plan(model)


def _to_plan(model: PlanModel) -> Plan:
    return Plan(
        created_at=model.created_at,
        definitions_digest=model.definitions_digest,
        target=dict(model.target),
        changes=[
            Change(
                c.action,
                c.address,
                c.provider,
                c.kind,
                c.key,
                live_id=c.live_id,
                name=c.name,
                desired=dict(c.desired) if c.desired is not None else None,
                depends_on=list(c.depends_on),
                fields=[FieldChange(f.path, f.before, f.after) for f in c.fields],
                duplicate_of=c.duplicate_of,
            )
            for c in model.changes
        ],
        fingerprints=dict(model.fingerprints),
        conflicts=[Conflict(c.address, c.live_id, c.name, c.owner, c.reason, c.foreign) for c in model.conflicts],
        unmanaged=[dict(u) for u in model.unmanaged],
        owner=model.owner,
        adopt_fingerprints=dict(model.adopt_fingerprints),
    )


def load_plan(path: Path) -> Plan:
    """Read and verify a saved plan (see the module docstring)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanError(f"{path}: plan file not found\n  hint: make one with 'alertc plan -o {path}'") from None
    except IsADirectoryError:
        raise PlanError(f"{path}: is a directory, not a plan file") from None
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the plan ({exc.strerror})") from None
    return parse_plan(data, str(path))
