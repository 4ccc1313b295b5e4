"""The one source the CI kit installs alertc from: exact and verifiable, or not written at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli import run
from compiler.scaffold.install_source import (
    InstallSourceError,
    from_direct_url,
    from_option,
    render_requirements,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"
SHA256 = "ab" * 32


def test_a_git_source_is_pinned_to_a_full_commit_id() -> None:
    source = from_option(f"git+https://github.com/acme/alertc@{COMMIT}")
    assert source.lines == (f"alertc @ git+https://github.com/acme/alertc@{COMMIT}",)
    for moving in ("v0.1.0", "main", COMMIT[:12]):
        with pytest.raises(InstallSourceError, match="full 40-character commit id"):
            from_option(f"git+https://github.com/acme/alertc@{moving}")


def test_an_archive_needs_its_hash() -> None:
    url = "https://files.example.com/alertc-0.1.0-py3-none-any.whl"
    assert from_option(f"{url}#sha256={SHA256}").lines == (f"alertc @ {url}#sha256={SHA256}",)
    with pytest.raises(InstallSourceError, match="#sha256="):
        from_option(url)


def test_a_version_needs_the_index_that_serves_it() -> None:
    with pytest.raises(InstallSourceError, match="needs --index-url"):
        from_option("alertc==0.1.0")
    pinned = from_option("alertc==0.1.0", index_url="https://pypi.acme.example/simple")
    assert pinned.lines == ("--index-url https://pypi.acme.example/simple", "alertc==0.1.0")
    for loose in ("alertc", "alertc>=0.1", "alertc~=0.1.0", "other==1.0"):
        with pytest.raises(InstallSourceError):
            from_option(loose, index_url="https://pypi.acme.example/simple")


def test_by_default_init_pins_the_source_it_was_installed_from() -> None:
    vcs = {"url": "https://github.com/acme/alertc", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    assert from_direct_url(vcs, "0.1.0").lines == (f"alertc @ git+https://github.com/acme/alertc@{COMMIT}",)
    archive = {"url": "https://files.example.com/alertc.whl", "archive_info": {"hashes": {"sha256": SHA256}}}
    assert from_direct_url(archive, "0.1.0").lines == (
        f"alertc @ https://files.example.com/alertc.whl#sha256={SHA256}",
    )
    old_pip = {"url": "https://files.example.com/alertc.whl", "archive_info": {"hash": f"sha256={SHA256}"}}
    assert from_direct_url(old_pip, "0.1.0").pinned


@pytest.mark.parametrize(
    "direct_url",
    [
        None,  # from an index: which one is not recorded
        {"url": "file:///home/me/alertc", "dir_info": {"editable": True}},
        {"url": "file:///tmp/alertc-0.1.0.whl", "archive_info": {"hashes": {"sha256": SHA256}}},
    ],
)
def test_a_source_ci_cannot_reach_is_not_written(direct_url: dict[str, object] | None) -> None:
    source = from_direct_url(direct_url, "0.1.0")
    assert not source.pinned
    text = render_requirements(source, "0.1.0")
    assert [line for line in text.splitlines() if not line.startswith("#")] == []
    assert "NOT PINNED YET" in text


def test_the_file_says_how_to_bump() -> None:
    text = render_requirements(from_option(f"git+https://github.com/acme/alertc@{COMMIT}"), "0.1.0")
    assert "To bump alertc" in text and text.endswith(f"alertc @ git+https://github.com/acme/alertc@{COMMIT}\n")


def test_init_without_a_pinnable_source_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["init", "repo"]) == 0  # this alertc is an editable install: no source CI could reach
    err = capsys.readouterr().err
    assert "note: the CI workflows do not know where to install alertc from" in err
    assert "repo/.github/alertc-requirements.txt" in err and "--install-from" in err


def test_init_refuses_a_loose_source_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["init", "repo", "--install-from", "git+https://github.com/acme/alertc@v1"]) == 1
    assert "full 40-character commit id" in capsys.readouterr().err
    assert not (tmp_path / "repo").exists()
