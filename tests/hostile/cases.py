"""The hostile-definitions corpus: inputs that once crashed, hung or exhausted memory.

Each case builds a definitions directory (the valid base set plus one hostile
entry) and names the exact first line the user must see. Measured before the
fix (issue 11): the 9-level alias bomb grew until memory ran out, ``/dev/zero``
raised MemoryError, a FIFO hung ``validate`` forever, ``monitors: &a [*a]`` and
deep nesting raised RecursionError, a 400-digit integer OverflowError, a
duplicated dependency ValueError, and ``1e400`` / ``.nan`` passed validation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.definitions.base_set import BANNERS, SERVICE, write_set


@dataclass(frozen=True)
class HostileCase:
    id: str
    make: Callable[[Path], None]  # builds the definitions directory at the given path
    expected: str  # a finding line the user must see: file:line:col: [ID] message


def _with(files: dict[str, str | bytes | None]) -> Callable[[Path], None]:
    def make(directory: Path) -> None:
        write_set(directory, files)

    return make


def _alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _symlink(name: str, target: str | Callable[[Path], Path]) -> Callable[[Path], None]:
    def make(directory: Path) -> None:
        write_set(directory)
        os.symlink(target(directory) if callable(target) else target, directory / name)

    return make


def _fifo(directory: Path) -> None:
    write_set(directory)
    os.mkfifo(directory / "x.yaml")


def _link_to_fifo_inside(directory: Path) -> None:
    write_set(directory)
    os.mkfifo(directory / ".hidden-fifo")  # dot-files are skipped; only the link to it is read
    os.symlink(directory / ".hidden-fifo", directory / "x.yaml")


def _link_to_regular_file_outside(directory: Path) -> None:
    write_set(directory)
    outside = directory.parent / "outside.yaml"
    outside.write_text("teams: []\n", encoding="utf-8")
    os.symlink(outside, directory / "x.yaml")


def _symlink_loop(directory: Path) -> None:
    write_set(directory)
    os.symlink(directory / "b.yaml", directory / "a.yaml")
    os.symlink(directory / "a.yaml", directory / "b.yaml")


def _sparse(directory: Path, name: str, size: int) -> None:
    with open(directory / name, "wb") as handle:
        handle.truncate(size)  # sparse: costs no disk, but stat() reports the size


def _huge_file(directory: Path) -> None:
    write_set(directory)
    _sparse(directory, "x.yaml", 6 * 1024 * 1024)


def _huge_total(directory: Path) -> None:
    write_set(directory)
    for index in range(11):  # 11 x 4.9 MB > 50 MB; each is under the per-file limit
        _sparse(directory, f"z{index:02d}.yaml", 4_900_000)


def _service_chain(length: int) -> str:
    """``length`` staging services, each depending on the next, the last on the first: one long cycle."""
    lines = [
        f"  - {{name: s{i}, title: S{i}, team: web, environment: staging, users_per_hour: 1, "
        f"depends_on: [s{(i + 1) % length}]}}\n"
        for i in range(length)
    ]
    return "services:\n" + "".join(lines)


def _monitor(line: str) -> str:
    return SERVICE.replace("    thresholds: {critical: 10}\n", line)


CASES: list[HostileCase] = [
    HostileCase(
        "symlink-to-dev-zero",
        _symlink("x.yaml", "/dev/zero"),
        "case/x.yaml:1:1: [D110] symbolic link leads outside the definitions directory",
    ),
    HostileCase("fifo", _fifo, "case/x.yaml:1:1: [D110] not a regular file (a FIFO); it was not read"),
    HostileCase(
        "symlink-to-fifo-inside",
        _link_to_fifo_inside,
        "case/x.yaml:1:1: [D110] not a regular file (a FIFO); it was not read",
    ),
    HostileCase(
        "symlink-to-regular-file-outside",
        _link_to_regular_file_outside,
        "case/x.yaml:1:1: [D110] symbolic link leads outside the definitions directory",
    ),
    HostileCase(
        "symlink-loop", _symlink_loop, "case/a.yaml:1:1: [D102] cannot read file: Too many levels of symbolic links"
    ),
    HostileCase(
        "file-over-5-mb",
        _huge_file,
        "case/x.yaml:1:1: [D111] file is 6291456 bytes, more than the limit of 5242880 bytes; it was not read",
    ),
    HostileCase(
        "total-over-50-mb",
        _huge_total,
        "case/z10.yaml:1:1: [D112] the definitions files add up to more than 52428800 bytes; stopped reading here",
    ),
    HostileCase(
        "alias-bomb-9-levels",
        _with({"bomb.yaml": _alias_bomb(9)}),
        "case/bomb.yaml:2:10: [D113] YAML alias '*a0' is not supported (and 80 more)",
    ),
    HostileCase(
        "alias-cycle",
        _with({"x.yaml": "monitors: &a [*a]\n"}),
        "case/x.yaml:1:15: [D113] YAML alias '*a' is not supported",
    ),
    HostileCase(
        "alias-of-a-scalar",
        _with({"x.yaml": "teams:\n  - name: &n web2\n    title: *n\n"}),
        "case/x.yaml:3:12: [D113] YAML alias '*n' is not supported",
    ),
    HostileCase(
        "nesting-40-flow-levels",
        _with({"x.yaml": "monitors: " + "[" * 40 + "]" * 40 + "\n"}),
        "case/x.yaml:1:42: [D114] values are nested more than 32 levels deep",
    ),
    HostileCase(
        "nesting-100000-flow-levels",
        _with({"x.yaml": "monitors: " + "[" * 100_000 + "]" * 100_000 + "\n"}),
        "case/x.yaml:1:1010: [D114] values are nested more than 32 levels deep",
    ),
    HostileCase(
        "nesting-200-block-levels",
        _with({"x.yaml": "".join(f"{'  ' * i}k{i}:\n" for i in range(200))}),
        "case/x.yaml:33:65: [D114] values are nested more than 32 levels deep",
    ),
    HostileCase(
        "integer-with-400-digits",
        _with({"service.yaml": SERVICE.replace("users_per_hour: 5000", "users_per_hour: " + "9" * 400)}),
        "case/service.yaml:6:21: [D115] integer 999999999999...999999 (400 characters) is out of range",
    ),
    HostileCase(
        "integer-with-5000-digits",
        _with({"service.yaml": SERVICE.replace("users_per_hour: 5000", "users_per_hour: " + "1" * 5000)}),
        "case/service.yaml:6:21: [D115] integer 111111111111...111111 (5000 characters) is out of range",
    ),
    HostileCase(
        "float-overflowing-to-infinity",
        _with({"service.yaml": _monitor("    thresholds: {critical: 1e400}\n")}),
        "case/service.yaml:15:28: [D115] number 1e400 is too large (it overflows to infinity)",
    ),
    HostileCase(
        "nan-threshold",
        _with({"service.yaml": _monitor("    thresholds: {critical: .nan}\n")}),
        "case/service.yaml:15:28: [D115] .nan is not a finite number",
    ),
    HostileCase(
        "negative-infinity-threshold",
        _with({"service.yaml": _monitor("    thresholds: {critical: -.inf}\n")}),
        "case/service.yaml:15:28: [D115] -.inf is not a finite number",
    ),
    HostileCase(
        "duplicated-dependency-in-maintenance-window",
        _with({"banners.yaml": BANNERS.replace("dependencies: [logingov]", "dependencies: [logingov, logingov]")}),
        "case/banners.yaml:31:30: [R302] duplicate dependency key 'logingov'",
    ),
    HostileCase(
        "duplicated-auth-method-dependency",
        _with({"banners.yaml": BANNERS.replace("depends_on: [logingov]", "depends_on: [logingov, logingov]")}),
        "case/banners.yaml:16:28: [R302] duplicate dependency key 'logingov'",
    ),
    HostileCase(
        "service-dependency-cycle-of-3000",
        _with({"chain.yaml": _service_chain(3000)}),
        "case/chain.yaml:2:92: [R308] service dependency cycle: s0 -> s1 -> s2 -> s3 -> s4 -> ... (2991 more) -> "
        "s2996 -> s2997 -> s2998 -> s2999 -> s0",
    ),
    HostileCase(
        "binary-file",
        _with({"x.yaml": bytes(range(256)) * 64}),
        "case/x.yaml:1:1: [D102] file is not UTF-8 text (invalid start byte)",
    ),
    HostileCase(
        "nul-bytes",
        _with({"x.yaml": b"\x00" * 4096}),
        "case/x.yaml:1:1: [D103] YAML syntax error: character #x0000 is not allowed "
        "(control characters are not allowed)",
    ),
]
