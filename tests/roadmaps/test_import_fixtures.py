"""The shipped documents import exactly as published (item counts, numbering, texts)."""

import json
from pathlib import Path

import pytest

from roadmaps.importing.structure import parse_tables
from roadmaps.importing.tables import ReadError, read_tables

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
AWKWARD = sorted((ROOT / "awkward").glob("*.expected.json"))


def flatten(sections):
    for s in sections:
        for item in s["items"]:
            yield s["title"], item
            for child in item["children"]:
                yield s["title"], child


def comparable(item: dict) -> tuple:
    return (
        item["number"],
        item["text"],
        item["schedule"],
        item["indicator"],
        item["result"],
        item["executors"],
    )


def check_against(parsed, expected: dict) -> None:
    got = parsed.to_dict()
    assert [s["title"] for s in got["sections"]] == [s["title"] for s in expected["sections"]]
    got_items = [(t, comparable(i), len(i["children"])) for t, i in flatten(got["sections"])]
    want_items = [(t, comparable(i), len(i["children"])) for t, i in flatten(expected["sections"])]
    assert len(got_items) == len(want_items)
    for got_item, want_item in zip(got_items, want_items, strict=True):
        assert got_item == want_item
    assert got["notes"] == expected.get("notes", [])


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_it_imports_the_shipped_roadmap_exactly_as_published(entry):
    expected = json.loads((ROOT / "expected" / f"{entry['file'][:3]}.json").read_text(encoding="utf-8"))
    parsed = parse_tables(read_tables((ROOT / entry["file"]).read_bytes()))
    check_against(parsed, expected)
    assert parsed.title == expected["title"]
    assert list(parsed.period) == expected["period"]
    assert (parsed.act["number"], parsed.act["date"]) == (expected["act"]["number"], expected["act"]["date"])


@pytest.mark.parametrize("path", AWKWARD, ids=[p.name.split(".")[0] for p in AWKWARD])
def test_it_copes_with_awkward_files(path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    source = next(
        p for p in path.parent.iterdir() if p.name.startswith(path.name.split(".")[0] + ".") and p != path
    )
    if expected.get("error"):
        with pytest.raises(ReadError) as exc:
            parse_tables(read_tables(source.read_bytes()))
        assert str(exc.value)  # a message for the user, in Russian
        return
    check_against(parse_tables(read_tables(source.read_bytes())), expected)
