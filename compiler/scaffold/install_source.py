"""Where the CI kit's workflows install alertc from: one exact, verifiable source, in a pip requirements file.

``alertc init`` writes ``.github/alertc-requirements.txt``, which every workflow
installs (``pip install --requirement``). A bare ``alertc`` there would install
whatever a package index serves under that name, today or after someone
publishes it, with production keys in the job. So the line is always one of:

- a git repository at a commit: ``alertc @ git+https://host/org/alertc@<40-hex sha>``
  (the commit id is the hash of the whole tree; a tag or branch could move);
- a wheel or source archive with its hash: ``alertc @ https://…/alertc-….whl#sha256=<64 hex>``
  (pip checks the hash);
- an exact version from an index the user names: ``--index-url URL`` and ``alertc==X.Y.Z``
  (pip checks hashes of an index install only when every dependency is hashed as well,
  a full lock file; the file's comments say how).

By default ``init`` pins the source it was itself installed from (PEP 610's
``direct_url.json``): a git commit, or an archive URL with its hash. An
installation from a local directory or an index cannot be pinned for another
machine; then the file says so in its comments, names no source, and the
workflows stop at their install step with a message saying what to write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from typing import Any

from compiler.errors import AlertcError

REQUIREMENTS_PATH = ".github/alertc-requirements.txt"
_COMMIT = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"#sha256=[0-9a-f]{64}$")


class InstallSourceError(AlertcError):
    """``--install-from`` is not an exact, verifiable source."""


@dataclass(frozen=True)
class InstallSource:
    """The requirement lines (empty: not pinned) and, for the comments, where they came from."""

    lines: tuple[str, ...]
    origin: str

    @property
    def pinned(self) -> bool:
        return bool(self.lines)


def from_option(value: str, *, index_url: str | None = None) -> InstallSource:
    """``alertc init --install-from VALUE [--index-url URL]``, checked to be exact and verifiable."""
    value = value.strip()
    if value.startswith("git+"):
        url, _, ref = value.rpartition("@")
        if not url.startswith("git+") or "://" not in url or not _COMMIT.fullmatch(ref):
            raise InstallSourceError(
                f"--install-from {value}: a git source must end in @<the full 40-character commit id>\n"
                "  hint: a tag or a branch can be moved to other code; "
                "git rev-parse TAG^{commit} gives the commit id"
            )
        return InstallSource((f"alertc @ {value}",), "the git commit given to --install-from")
    if "://" in value:
        if not _SHA256.search(value):
            raise InstallSourceError(
                f"--install-from {value}: an archive URL must end in #sha256=<the file's 64-character hash>\n"
                "  hint: sha256sum alertc-*.whl gives it; pip refuses the file if it differs"
            )
        return InstallSource((f"alertc @ {value}",), "the archive and hash given to --install-from")
    version = re.fullmatch(r"alertc==(\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?(?:\.post\d+)?)", value)
    if version is None:
        raise InstallSourceError(
            f"--install-from {value}: not an exact, verifiable source\n"
            "  hint: give git+https://HOST/ORG/alertc@<commit id>, https://…/alertc-X.whl#sha256=<hash>, "
            "or alertc==X.Y.Z with --index-url"
        )
    if not index_url:
        raise InstallSourceError(
            f"--install-from {value} needs --index-url: the index that serves your alertc\n"
            "  hint: without it pip asks the public index, where anyone could publish a package named alertc"
        )
    return InstallSource((f"--index-url {index_url}", value), "the version and index given to --install-from")


def from_direct_url(direct_url: Mapping[str, Any] | None, version: str) -> InstallSource:
    """The source this alertc was installed from, when another machine can install exactly it (PEP 610)."""
    if direct_url is None:
        return InstallSource((), f"alertc {version} was installed from a package index; name the index")
    url = str(direct_url.get("url", ""))
    vcs = direct_url.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and _COMMIT.fullmatch(str(vcs.get("commit_id", ""))):
        return InstallSource(
            (f"alertc @ git+{url}@{vcs['commit_id']}",), "the git commit this alertc was installed from"
        )
    archive = direct_url.get("archive_info") or {}
    hashes = dict(archive.get("hashes") or {})
    if not hashes and str(archive.get("hash", "")).startswith("sha256="):
        hashes["sha256"] = str(archive["hash"]).removeprefix("sha256=")
    if "sha256" in hashes and not url.startswith("file:"):
        return InstallSource(
            (f"alertc @ {url}#sha256={hashes['sha256']}",), "the archive this alertc was installed from"
        )
    return InstallSource((), f"alertc {version} was installed from {url or 'a local path'}, which CI cannot reach")


def installed_source() -> InstallSource:
    """Where the running alertc came from, as far as it can be pinned for a CI machine."""
    try:
        dist = distribution("alertc")
    except PackageNotFoundError:
        return InstallSource((), "alertc is not installed as a package (running from a source tree)")
    text = dist.read_text("direct_url.json")
    return from_direct_url(json.loads(text) if text else None, dist.version)


def render_requirements(source: InstallSource, version: str) -> str:
    """The requirements file: the pinned line(s), and how to change them."""
    head = [
        "# Where the alertc workflows install alertc from (pip install --requirement this file): ONE exact,",
        "# verifiable source, never a bare name an index could serve anyone's code under. To bump alertc:",
        "# replace the line below and open a pull request (its plan runs with the new version).",
        "#   git commit:   alertc @ git+https://github.com/<org>/alertc@<full 40-character commit id>",
        "#   archive:      alertc @ https://<host>/alertc-<version>-py3-none-any.whl#sha256=<its sha256>",
        "#   your index:   --index-url https://<your index>/simple   and   alertc==<version>",
        "# (pip checks a hash of an index install only when every dependency is hashed too: for that, lock",
        "# them all, e.g. pip-compile --generate-hashes, and write the lock here.)",
        f"# Written by 'alertc init' (alertc {version}): "
        + (f"pinned to {source.origin}." if source.pinned else f"{source.origin}."),
    ]
    if source.pinned:
        return "\n".join([*head, *source.lines]) + "\n"
    return (
        "\n".join(
            [
                *head,
                "# NOT PINNED YET: the workflows stop at their install step until one of the forms above is",
                "# written below (alertc init --install-from SOURCE writes it for you).",
            ]
        )
        + "\n"
    )
