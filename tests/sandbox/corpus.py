"""The public recording corpus: every recorded scenario of the official Datadog Python client's test
suite for the API families the sandbox serves, kept in the repository as one archive per API version.

`load()` reads it for the replay harness (tests/sandbox/replay.py). `python -m tests.sandbox.corpus
CHECKOUT` rebuilds the archives from a checkout of DataDog/datadog-api-client-python: it takes, for each
feature named in FEATURES, every scenario of the feature file that has a cassette, and stores the cassette
(`.yaml`) and its recording time (`.frozen`) unchanged, with the upstream commit and each file's sha256 in
`MANIFEST.json`. Archives are written deterministically (sorted, zero timestamps), so a rebuild at the same
commit gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "recordings" / "datadog" / "corpus"
UPSTREAM = "https://github.com/DataDog/datadog-api-client-python"
# The features of the served families (tests/{version}/features/{name}.feature upstream).
FEATURES: dict[str, tuple[str, ...]] = {
    "v1": (
        "monitors",
        "service_level_objectives",
        "service_level_objective_corrections",
        "downtimes",
        "dashboards",
        "dashboard_lists",
        "pagerduty_integration",
    ),
    "v2": ("downtimes", "service_definition", "dashboard_lists", "incidents"),
}
SCENARIO = re.compile(r"^\s*Scenario(?: Outline)?:\s*(.+?)\s*$", re.M)


@dataclass(frozen=True)
class Cassette:
    version: str
    feature: str
    name: str  # the upstream file stem, test_<scenario slug>
    frozen: str  # when it was recorded
    interactions: tuple[dict[str, Any], ...]


def slug(scenario: str) -> str:
    """Upstream's cassette name for a scenario title."""
    return "test_" + re.sub(r"[^a-z0-9]+", "_", scenario.lower()).strip("_")


@cache
def load() -> tuple[Cassette, ...]:
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for version in FEATURES:
        with tarfile.open(CORPUS / f"{version}.tar.xz") as tar:
            files = {m.name: tar.extractfile(m) for m in tar.getmembers() if m.isfile()}
            texts = {name: f.read().decode() for name, f in files.items() if f is not None}
        for entry in manifest["files"]:
            if entry["version"] != version:
                continue
            stem = entry["name"]
            data = yaml.load(texts[f"{stem}.yaml"], Loader=loader)  # CSafeLoader is safe
            frozen = texts.get(f"{stem}.frozen", "").strip()
            out.append(Cassette(version, entry["feature"], stem, frozen, tuple(data["interactions"])))
    return tuple(out)


def _git(checkout: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(checkout), *args], check=True, capture_output=True).stdout


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.pax_headers = len(data), 0, 0o644, {}
    tar.addfile(info, io.BytesIO(data))


def build(checkout: Path) -> dict[str, Any]:
    commit = _git(checkout, "rev-parse", "HEAD").decode().strip()
    files: list[dict[str, str]] = []
    for version, features in FEATURES.items():
        folder = f"tests/{version}/cassettes/test_scenarios"
        present = set(_git(checkout, "ls-tree", "--name-only", f"HEAD:{folder}").decode().split())
        chosen: dict[str, bytes] = {}
        for feature in features:
            text = _git(checkout, "show", f"HEAD:tests/{version}/features/{feature}.feature").decode()
            for scenario in SCENARIO.findall(text):
                stem = slug(scenario)
                if f"{stem}.yaml" not in present or f"{stem}.yaml" in chosen:
                    continue
                for suffix in (".yaml", ".frozen"):
                    if f"{stem}{suffix}" in present:
                        chosen[f"{stem}{suffix}"] = _git(checkout, "show", f"HEAD:{folder}/{stem}{suffix}")
                digest = hashlib.sha256(chosen[f"{stem}.yaml"]).hexdigest()
                files.append({"version": version, "feature": feature, "name": stem, "sha256": digest})
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(chosen):
                _add(tar, name, chosen[name])
        CORPUS.mkdir(parents=True, exist_ok=True)
        (CORPUS / f"{version}.tar.xz").write_bytes(lzma.compress(raw.getvalue(), preset=9 | lzma.PRESET_EXTREME))
    manifest = {
        "source": UPSTREAM,
        "commit": commit,
        "paths": {v: f"tests/{v}/cassettes/test_scenarios/ (features: tests/{v}/features/)" for v in FEATURES},
        "licence": "Apache-2.0 (../LICENSE, ../NOTICE)",
        "features": FEATURES,
        "files": files,
    }
    head = json.dumps({k: v for k, v in manifest.items() if k != "files"}, indent=1)[:-2]
    lines = ",\n  ".join(json.dumps(f) for f in files)
    (CORPUS / "MANIFEST.json").write_text(f'{head},\n "files": [\n  {lines}\n ]\n}}\n')
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m tests.sandbox.corpus PATH/TO/datadog-api-client-python")
    built = build(Path(sys.argv[1]))
    print(f"{len(built['files'])} cassettes from {built['commit'][:12]} -> {CORPUS}")
