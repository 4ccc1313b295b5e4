"""The YAML source layer: positions, duplicate keys, and YAML 1.2 scalars."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.checks.findings import Location
from compiler.definitions.source import parse_file


def _parse(tmp_path: Path, text: str) -> tuple[object, list[str]]:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path, "f.yaml")
    data = parsed.documents[0].data if parsed.documents else None
    return data, [f.render() for f in parsed.findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", "09:00"),  # YAML 1.1 would read 540 (sexagesimal)
        ("no", "no"),  # YAML 1.1 would read false
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("42", 42),
        ("-7", -7),
        ("1_000", 1000),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("2026-01-05", "2026-01-05"),  # timestamps stay text; the models parse them
        ("'42'", "42"),
        ('"true"', "true"),
        ("0x1F", "0x1F"),
    ],
)
def test_scalars_follow_yaml_1_2_core_schema(tmp_path: Path, text: str, expected: object) -> None:
    data, findings = _parse(tmp_path, f"v: {text}\n")
    assert findings == []
    assert data == {"v": expected}
    assert type(data["v"]) is type(expected)  # type: ignore[index]


def test_duplicate_key_is_reported_at_the_second_key_and_first_kept(tmp_path: Path) -> None:
    data, findings = _parse(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\n")
    assert findings == [
        "f.yaml:4:3: [D106] duplicate key 'c' (first defined at line 3)\n"
        "  hint: YAML keeps only one of them; remove or rename one"
    ]
    assert data == {"a": 1, "b": {"c": 2}}


def test_locate_walks_keys_and_indices(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("monitors:\n  - name: a\n  - name: b\n    window: 5x\n", encoding="utf-8")
    doc = parse_file(path, "f.yaml").documents[0]
    assert doc.locate(("monitors", 1, "window")) == Location("f.yaml", 4, 13)
    assert doc.locate_key(("monitors", 1, "window")) == Location("f.yaml", 4, 5)
    # a missing field points at the mapping it is missing from
    assert doc.locate(("monitors", 0, "window")) == Location("f.yaml", 2, 5)
    # pydantic's union tags are skipped
    assert doc.locate(("monitors", 1, "metric", "window")) == Location("f.yaml", 4, 13)


def test_multiple_documents_in_one_file(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("teams: []\n---\nmonitors: []\n", encoding="utf-8")
    parsed = parse_file(path, "f.yaml")
    assert [d.data for d in parsed.documents] == [{"teams": []}, {"monitors": []}]
    assert parsed.documents[1].locate(("monitors",)) == Location("f.yaml", 3, 11)


def test_documents_keep_no_node_tree_until_a_position_is_asked_for(tmp_path: Path) -> None:
    """The node trees were two thirds of a large set's memory; they are composed again only for findings."""
    path = tmp_path / "f.yaml"
    path.write_text("teams: []\n---\nmonitors:\n  - key: a\n    query: q\n", encoding="utf-8")
    parsed = parse_file(path, "f.yaml")
    assert all(vars(d).get("node") is None and vars(d).get("_node") is None for d in parsed.documents)
    assert parsed.documents[1].locate(("monitors", 0, "query")) == Location("f.yaml", 5, 12)
    assert parsed.documents[1].locate_key(("monitors", 0, "key")) == Location("f.yaml", 4, 5)


def test_empty_file_has_no_data(tmp_path: Path) -> None:
    data, findings = _parse(tmp_path, "# only a comment\n")
    assert findings == []
    assert data is None


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # The anchor sits in a duplicate key's value, which is never built; the alias to it is still an alias
        # (building from nodes expanded it silently: only the node reached twice was refused).
        ("a: 1\na: &b 1\nc: *b\n", "f.yaml:3:4: [D113] YAML alias '*b' is not supported"),
        ("k: &q [1, *q]\n", "f.yaml:1:11: [D113] YAML alias '*q' is not supported"),  # a cycle
        # a YAML error later in the document is the one reported, as when the document was composed first
        ("k: &q [1, *q]\n- x\n", "f.yaml:2:1: [D103] YAML syntax error: did not find expected key"),
        ("q: *nowhere\n", "f.yaml:1:4: [D103] YAML syntax error: found undefined alias"),
        ("a: &b 1\nc: &b 2\n", "f.yaml:2:4: [D103] YAML syntax error: second occurrence"),
    ],
)
def test_aliases_are_refused_wherever_their_anchor_is(tmp_path: Path, text: str, finding: str) -> None:
    data, findings = _parse(tmp_path, text)
    assert data is None
    assert [f.split("\n")[0] for f in findings] == [finding]


def test_a_skipped_value_is_not_built_and_the_rest_is(tmp_path: Path) -> None:
    text = "a: 1\na: {deep: [1, {x: 2}]}\n[k]: {v: 1}\n<<: {m: 1}\nb: [1, 2]\n"
    data, findings = _parse(tmp_path, text)
    assert data == {"a": 1, "b": [1, 2]}
    assert [f.split(":")[:3] for f in findings] == [["f.yaml", "2", "1"], ["f.yaml", "3", "1"], ["f.yaml", "4", "1"]]
