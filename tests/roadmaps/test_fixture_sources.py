"""The plan text of the shipped fixtures lives in ``fixtures/roadmaps/source/*.json``; the data, the
manifest, the expected structures and the built documents cannot drift apart."""

import importlib.util
import json
from pathlib import Path

import pytest

from roadmaps.importing.structure import parse_tables
from roadmaps.importing.tables import read_tables
from tests.roadmaps.test_import_fixtures import check_against

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "roadmaps"

_spec = importlib.util.spec_from_file_location(
    "build_roadmap_fixtures", ROOT / "scripts" / "build_roadmap_fixtures.py"
)
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

ROADMAPS = build.load_sources(build.SOURCE)
AWKWARD = build.load_sources(build.SOURCE / "awkward")
ALL = ROADMAPS + AWKWARD
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))


def expected_path(spec: dict) -> Path:
    if spec in ROADMAPS:
        return FIXTURES / "expected" / f"{build.expected_key(spec)}.json"
    built = FIXTURES / spec["file"]
    return built.with_name(built.stem + ".expected.json")


def test_it_finds_the_source_of_every_shipped_roadmap_and_awkward_table():
    assert len(ROADMAPS) == 6
    awkward_tables = {
        path.name.split(".")[0]
        for path in (FIXTURES / "awkward").glob("*.expected.json")
        if not json.loads(path.read_text(encoding="utf-8")).get("error")
    }
    assert {Path(spec["file"]).stem for spec in AWKWARD} == awkward_tables


@pytest.mark.parametrize("spec", ALL, ids=[s["file"] for s in ALL])
def test_it_loads_the_source_into_a_buildable_roadmap(spec):
    assert (FIXTURES / spec["file"]).is_file()
    assert any(entry["kind"] == "item" for entry in spec["body"])
    assert build.table_rows(spec)[0] == ("header", [header for header, _ in spec["columns"]])


def test_it_lists_every_shipped_source_in_the_manifest_as_it_says():
    assert [build.manifest_entry(spec) for spec in ROADMAPS] == MANIFEST


@pytest.mark.parametrize("spec", ALL, ids=[s["file"] for s in ALL])
def test_it_derives_the_committed_expected_structure_from_the_source(spec):
    assert build.expected(spec) == json.loads(expected_path(spec).read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", ALL, ids=[s["file"] for s in ALL])
def test_it_builds_a_document_the_importer_reads_as_the_source_says(spec, tmp_path):
    path = tmp_path / Path(spec["file"]).name
    build.write_roadmap(spec, path)
    want = build.expected(spec)
    parsed = parse_tables(read_tables(path.read_bytes()))
    check_against(parsed, want)
    assert parsed.title == want["title"]


def test_it_builds_byte_identical_files_twice(tmp_path):
    spec = ROADMAPS[0]
    build.write_roadmap(spec, tmp_path / "a.docx")
    build.write_roadmap(spec, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.update(widht=[1]), "widht"),
        (lambda d: d["body"].append({"kind": "row", "text": "x"}), "'row'"),
        (lambda d: d["body"].append({"kind": "item", "number": "9.", "txt": "x"}), "txt"),
        (lambda d: d.pop("columns"), "columns"),
        (lambda d: d.update(file="other.docx"), "other.docx"),
    ],
    ids=["unknown-key", "unknown-row-kind", "unknown-cell", "missing-key", "file-name-mismatch"],
)
def test_it_names_what_is_wrong_with_a_bad_source(tmp_path, change, named):
    source = FIXTURES / "source" / "awkward" / "split-rows.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    change(data)
    bad = tmp_path / "split-rows.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(build.SourceError) as error:
        build.load_source(bad)
    assert named in str(error.value)
    assert "split-rows.json" in str(error.value)
