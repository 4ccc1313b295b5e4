from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.banners.config import BannerConfig, build_banner_config
from compiler.definitions import Definitions, LoadResult, load_definitions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "definitions"


@pytest.fixture(scope="session")
def example_definitions() -> Definitions:
    result = load_definitions(EXAMPLES)
    assert result.definitions is not None, [f.render() for f in result.findings]
    return result.definitions


@pytest.fixture(scope="session")
def example_config(example_definitions: Definitions) -> BannerConfig:
    return build_banner_config(example_definitions)


EditExamples = Callable[[dict[str, tuple[str, str]]], Definitions]


@pytest.fixture
def edited_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EditExamples:
    """The example set copied and edited ({file: (old, new)}), loaded with positions relative to the copy."""

    def edit(changes: dict[str, tuple[str, str]]) -> Definitions:
        target = tmp_path / "definitions"
        shutil.copytree(EXAMPLES, target)
        for name, (old, new) in changes.items():
            path = target / name
            text = path.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"{old!r} must occur once in {name}"
            path.write_text(text.replace(old, new), encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        result: LoadResult = load_definitions(Path("definitions"))
        assert result.definitions is not None, [f.render() for f in result.findings]
        return result.definitions

    return edit
