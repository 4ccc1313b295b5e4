"""Stateless ownership: how alertc recognises, on a live object, that the object is its own.

There is no state file. Datadog objects that take tags carry
``managed-by:alertc``, ``alertc-key:<kind>/<name>``, ``alertc-owner:<scope>`` and
``alertc-digest:<12 hex>``. Objects without tags (PagerDuty objects, Datadog
downtimes) carry one marker line in a free-text field::

    Managed by alertc (key: service/identity-api, owner: identity, digest: 0123456789ab). Edits made outside ...

The owner is the *scope*: several teams may run alertc against one Datadog org
and PagerDuty account, each managing only its own scope's objects (external-dns's
owner id, Terraform's workspaces). Objects written before scopes existed carry no
owner; a run adopts them into its scope only through a reviewed plan.

The parser looks for the ``Managed by alertc (key: ...)`` part anywhere in the
text, case-insensitively and tolerant of extra spaces, so users may edit the
rest of the description (or even the trailing sentence) without alertc losing
track of the object. Two markers naming different keys make the object
ambiguous, and ambiguous objects are treated as not managed: alertc never
changes what it cannot prove it owns.

Some kinds have nowhere to put a mark (PagerDuty integrations, Datadog's
PagerDuty service objects); their ownership is inherited from a parent kind,
which the engine resolves (see ``OwnershipStyle.parent``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from compiler.resources import LiveObject

MANAGED_TAG = "managed-by:alertc"
KEY_TAG_PREFIX = "alertc-key:"
DIGEST_TAG_PREFIX = "alertc-digest:"
OWNER_TAG_PREFIX = "alertc-owner:"
MARKER_TRAILER = "Edits made outside alertc are overwritten."

KEY_RE = re.compile(r"^[a-z][a-z0-9_.-]*/[a-z0-9][a-z0-9_./-]*$")
DIGEST_RE = re.compile(r"^[0-9a-f]{12}$")
OWNER_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

_MARKER_RE = re.compile(
    r"managed\s+by\s+alertc\s*\(\s*key\s*:\s*(?P<key>[^\s,()]+)"
    r"\s*(?:,\s*owner\s*:\s*(?P<owner>[A-Za-z0-9-]+)\s*)?"
    r"\s*(?:,\s*digest\s*:\s*(?P<digest>[0-9a-fA-F]{12})\s*)?\)\.?"
    r"(?:[ \t]*edits\s+made\s+outside\s+alertc\s+are\s+overwritten\.?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OwnershipStyle:
    """Where a kind keeps its ownership mark.

    ``mode``: ``tags`` (a list field of ``key:value`` tags), ``marker`` (a line in a
    free-text field) or ``inherited`` (owned iff the ``parent`` kind's object is).
    ``marker_before``: for markers, a line prefix the marker must stay above,
    because consumers read everything after it (PagerDuty maintenance windows:
    the banner backend shows users all text after ``USER_MESSAGE:``).
    """

    mode: Literal["tags", "marker", "inherited"]
    field: str | None = None
    parent: str | None = None
    marker_before: str | None = None


@dataclass(frozen=True)
class OwnershipMark:
    """What the marks on one live object say."""

    managed: bool
    key: str | None = None
    digest: str | None = None
    owner: str | None = None  # the scope; None on objects written before scopes existed


NOT_MANAGED = OwnershipMark(managed=False)


def validate_key(key: str) -> str:
    """Reject keys that would not survive the round trip through Datadog tag normalization.

    SLO and service-definition tags are lowercased and rewritten by the server,
    so a key with capitals or spaces would come back different and the object
    would look unowned.
    """
    if not KEY_RE.match(key):
        raise ValueError(
            f"ownership key {key!r} must look like '<kind>/<name>' using lowercase letters, "
            "digits, '_', '-', '.' and '/'"
        )
    return key


def validate_owner(owner: str) -> str:
    """An owner must be a tag-safe slug: it is written as a Datadog tag and read back unchanged."""
    if not OWNER_RE.match(owner):
        raise ValueError(f"owner {owner!r} must be a slug of lowercase letters, digits and '-' (at most 63 characters)")
    return owner


def _validate_digest(digest: str | None) -> None:
    if digest is not None and not DIGEST_RE.match(digest):
        raise ValueError(f"digest {digest!r} must be 12 lowercase hex characters")


# --- tags -------------------------------------------------------------------------------------


def is_ownership_tag(tag: object) -> bool:
    """True for the tags alertc itself writes (they are never part of a diff)."""
    if not isinstance(tag, str):
        return False
    t = tag.strip().lower()
    return t == MANAGED_TAG or t.startswith((KEY_TAG_PREFIX, DIGEST_TAG_PREFIX, OWNER_TAG_PREFIX))


def strip_ownership_tags(tags: Iterable[Any] | None) -> list[Any]:
    return [t for t in tags or () if not is_ownership_tag(t)]


def ownership_tags(key: str, digest: str | None = None, owner: str | None = None) -> list[str]:
    validate_key(key)
    _validate_digest(digest)
    tags = [MANAGED_TAG, KEY_TAG_PREFIX + key]
    if owner is not None:
        tags.append(OWNER_TAG_PREFIX + validate_owner(owner))
    if digest is not None:
        tags.append(DIGEST_TAG_PREFIX + digest)
    return tags


def with_ownership_tags(
    tags: Iterable[Any] | None, key: str, digest: str | None = None, owner: str | None = None
) -> list[Any]:
    """The user's tags plus fresh ownership tags (stale alertc tags are replaced)."""
    return [*strip_ownership_tags(tags), *ownership_tags(key, digest, owner)]


def parse_tags(tags: Iterable[Any] | None) -> OwnershipMark:
    values = [t.strip().lower() for t in tags or () if isinstance(t, str)]
    if MANAGED_TAG not in values:
        return NOT_MANAGED
    keys = {t[len(KEY_TAG_PREFIX) :] for t in values if t.startswith(KEY_TAG_PREFIX)}
    digests = {t[len(DIGEST_TAG_PREFIX) :] for t in values if t.startswith(DIGEST_TAG_PREFIX)}
    owners = {t[len(OWNER_TAG_PREFIX) :] for t in values if t.startswith(OWNER_TAG_PREFIX)}
    if len(keys) > 1 or len(owners) > 1:
        return NOT_MANAGED
    key = next(iter(keys)) if keys else None
    digest = next(iter(digests)) if len(digests) == 1 else None
    if digest is not None and not DIGEST_RE.match(digest):
        digest = None
    owner = next(iter(owners)) if owners else None
    return OwnershipMark(managed=key is not None, key=key, digest=digest, owner=owner)


# --- marker line ------------------------------------------------------------------------------


def marker_line(key: str, digest: str | None = None, owner: str | None = None) -> str:
    validate_key(key)
    _validate_digest(digest)
    inner = f"key: {key}"
    if owner is not None:
        inner += f", owner: {validate_owner(owner)}"
    if digest is not None:
        inner += f", digest: {digest}"
    return f"Managed by alertc ({inner}). {MARKER_TRAILER}"


def parse_marker(text: object) -> OwnershipMark:
    if not isinstance(text, str):
        return NOT_MANAGED
    found = [(m.group("key").lower(), m.group("digest"), m.group("owner")) for m in _MARKER_RE.finditer(text)]
    keys = {k for k, _, _ in found}
    owners = {o.lower() if o else None for _, _, o in found}
    if len(keys) != 1 or len(owners) != 1:
        return NOT_MANAGED
    key = keys.pop()
    digests = {d.lower() for _, d, _ in found if d}
    digest = digests.pop() if len(digests) == 1 else None
    return OwnershipMark(managed=True, key=key, digest=digest, owner=owners.pop())


def strip_marker(text: Any) -> Any:
    """Remove the marker (and lines left empty by it); other text is kept byte for byte.

    Normalizers call this on both sides, so the marker never shows in a diff and
    the digest is computed over the user-visible text only.
    """
    if not isinstance(text, str) or not _MARKER_RE.search(text):
        return text
    lines = []
    for raw in text.splitlines():
        line = _MARKER_RE.sub("", raw)
        if line != raw and not line.strip():
            continue
        lines.append(line)
    return "\n".join(lines).strip()


def with_marker(
    text: str | None, key: str, digest: str | None = None, *, before: str | None = None, owner: str | None = None
) -> str:
    """The user's text with exactly one marker line: appended after a blank line, or, when the
    text has a line starting with ``before``, placed just above that line."""
    base = strip_marker(text) if text else ""
    line = marker_line(key, digest, owner)
    if before is not None:
        head, tag, tail = base.partition("\n" + before)
        if tag:
            return f"{head}\n{line}{tag}{tail}"
    return f"{base.rstrip()}\n\n{line}" if base and base.strip() else line


# --- per kind ---------------------------------------------------------------------------------


class OwnedKind(Protocol):
    """What ownership needs from a kind: where its mark lives and how to unwrap its bodies."""

    @property
    def ownership(self) -> OwnershipStyle: ...

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]: ...


def _mark_holder(spec: OwnedKind, body: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The object inside ``body`` that holds ``spec``'s mark, and the field; None for ``inherited`` kinds."""
    style = spec.ownership
    if style.mode == "inherited" or style.field is None:
        return None
    return spec.unwrap(body), style.field


def read_ownership(spec: OwnedKind, live_body: dict[str, Any]) -> OwnershipMark:
    """The ownership mark on a live object of ``spec``'s kind.

    For ``inherited`` kinds this is always NOT_MANAGED: the engine decides from
    the parent object (``spec.ownership.parent``).
    """
    holder = _mark_holder(spec, live_body)
    if holder is None:
        return NOT_MANAGED
    value = holder[0].get(holder[1])
    if spec.ownership.mode == "tags":
        return parse_tags(value if isinstance(value, list) else None)
    return parse_marker(value)


def without_mark(style: OwnershipStyle, inner: dict[str, Any]) -> None:
    """Take alertc's mark out of ``inner`` (a kind's unwrapped object, the caller's copy), in place.

    Both sides are normalized without it, so a mark never shows in a diff and the
    digest is computed over what the user wrote only.
    """
    if style.mode == "inherited" or style.field is None or style.field not in inner:
        return
    value = inner[style.field]
    if style.mode == "marker":
        inner[style.field] = strip_marker(value)
    elif isinstance(value, list):
        inner[style.field] = strip_ownership_tags(value)


def is_managed(spec: OwnedKind, live_body: dict[str, Any]) -> bool:
    return read_ownership(spec, live_body).managed


def ownership_key(spec: OwnedKind, live_body: dict[str, Any]) -> str | None:
    return read_ownership(spec, live_body).key


def add_ownership(
    spec: OwnedKind, desired_body: dict[str, Any], key: str, digest: str | None = None, owner: str | None = None
) -> dict[str, Any]:
    """A copy of ``desired_body`` carrying alertc's marks (the input is not modified).

    ``inherited`` kinds are returned unchanged (as a copy): they have no field
    for a mark.
    """
    body = copy.deepcopy(desired_body)
    holder = _mark_holder(spec, body)
    if holder is None:
        return body
    inner, field = holder
    current = inner.get(field)
    if spec.ownership.mode == "tags":
        inner[field] = with_ownership_tags(current if isinstance(current, list) else None, key, digest, owner)
    else:
        text = current if isinstance(current, str) else None
        inner[field] = with_marker(text, key, digest, before=spec.ownership.marker_before, owner=owner)
    return body


# --- scopes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which of alertc's objects one run manages: its owner's, plus the unscoped ones it claims.

    ``owner`` None is the behaviour before scopes (every unscoped alertc object is
    managed). With an owner, an unscoped object (written before scopes existed) is
    managed only when its address is among ``claims`` (the run's definitions), and
    then the plan shows the update that writes the owner on it: migration is
    reviewed, never silent, and unscoped objects no definition names are never
    deleted by a scoped run.
    """

    owner: str | None = None
    claims: frozenset[str] = frozenset()

    def manages(self, obj: LiveObject) -> bool:
        if obj.owner == self.owner:
            return True
        return obj.owner is None and obj.address in self.claims


def scoped(objects: Iterable[LiveObject], scope: Scope) -> list[LiveObject]:
    """The objects with the ownership key kept only on those ``scope`` manages.

    Another scope's object keeps its key as ``foreign_key`` (for key collisions and
    reports) and loses its address: the engine never updates or deletes it.
    """
    out = []
    for obj in objects:
        if obj.key is None or scope.manages(obj):
            out.append(obj)
        else:
            out.append(dataclasses.replace(obj, key=None, foreign_key=obj.key))
    return out


def scope_label(owner: str | None) -> str:
    """How a report names who owns an object of another scope."""
    return f"alertc scope '{owner}'" if owner else "alertc, written before scopes (no owner)"
