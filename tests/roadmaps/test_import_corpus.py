"""The import corpus (fixtures/roadmaps/corpus, built by scripts/build_import_corpus.py): plans of
other regions in varied shapes — DOCX, XLSX and PDF; title pages, appendix lines, a header merged
over two rows, one table per section, extra columns, numbering restarting per section — each read
as its expected structure says, with the dates its schedules must give."""

import datetime as dt
import json
from pathlib import Path

import pytest

from roadmaps.importing.analysis import analyse
from roadmaps.importing.structure import parse_tables
from roadmaps.importing.tables import ReadError, read_tables

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps" / "corpus"
PLANS = sorted(p for p in CORPUS.glob("*.expected.json") if p.name != "scanned.expected.json")


def document(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(p for p in CORPUS.iterdir() if p.stem == stem and p.suffix in (".docx", ".xlsx", ".pdf"))


def plain(item: dict) -> dict:
    return {k: item[k] for k in ("number", "text", "schedule", "indicator", "result", "executors")} | {
        "children": [plain(c) for c in item["children"]]
    }


def test_the_corpus_has_every_shape_the_issue_asks_for() -> None:
    suffixes = [document(p).suffix for p in PLANS]
    assert len(PLANS) >= 10
    assert {".docx", ".xlsx", ".pdf"} <= set(suffixes)
    assert suffixes.count(".pdf") >= 3


@pytest.mark.parametrize("path", PLANS, ids=[p.name.split(".")[0] for p in PLANS])
def test_it_reads_each_corpus_plan_as_expected(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    parsed = parse_tables(read_tables(document(path).read_bytes())).to_dict()
    assert parsed["title"] == expected["title"]
    assert list(parsed["period"]) == expected["period"]
    act = parsed["act"]
    assert {k: act.get(k) for k in ("kind", "number", "date")} == expected["act"]
    got = [{"title": s["title"], "items": [plain(i) for i in s["items"]]} for s in parsed["sections"]]
    assert got == expected["sections"]
    warnings = " ".join(w["message"] for w in parsed["warnings"])
    for column in expected["ignored_columns"]:
        assert f"«{column}» не переносится" in warnings
    assert parsed["notes"] == expected["notes"]


@pytest.mark.parametrize("path", PLANS, ids=[p.name.split(".")[0] for p in PLANS])
def test_corpus_schedules_give_the_dates_a_person_reads_and_never_leave_the_period(path: Path) -> None:
    expected = json.loads(path.read_text(encoding="utf-8"))
    parsed = parse_tables(read_tables(document(path).read_bytes())).to_dict()
    start, end = (dt.date.fromisoformat(d) for d in expected["period"])
    analysis = analyse(parsed, period=(start, end), aliases=[])
    by_key: dict[str, dict] = {}
    for n, section in enumerate(analysis["sections"], start=1):
        for item in section["items"]:
            for one in [item, *item["children"]]:
                by_key.setdefault(one["number"], one)
                by_key[f"{one['number']}@{n}"] = one
                schedule = one["schedule"]
                for window in schedule["windows"]:
                    assert start.isoformat() <= window["start"] <= window["due"] <= end.isoformat(), one
    for key, dues in expected["due"].items():
        schedule = by_key[key]["schedule"]
        assert schedule["understood"], (key, schedule)
        assert schedule["due_dates"][: len(dues)] == dues or schedule["due_dates"] == dues, (key, schedule)


def test_a_scanned_pdf_is_refused_with_what_to_upload_instead() -> None:
    with pytest.raises(ReadError) as exc:
        read_tables((CORPUS / "scanned.pdf").read_bytes())
    message = str(exc.value)
    assert "скан" in message
    assert "DOCX" in message and "PDF" in message
