"""Every XLSX the portal hands out, built from data full of formula-looking text, read back:
no cell is a formula, every such text is shown exactly as written, numbers and dates are typed.

The walk cannot forget an export: every function in the project that calls the one writer
(``core.xlsx``) must be listed in ``WRITERS`` with the cases that exercise it, every report kind
must have a case, and nothing but ``core/xlsx.py`` may create an openpyxl workbook.
"""

import ast
import datetime as dt
import io
import itertools
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.xlsx import FORMULA_TRIGGERS
from monitoring.models import MonitoringRound, RoundEntry
from questionnaires.models import Answer, Question, Questionnaire, Response
from reporting import services as reporting
from reporting.models import Report
from roadmaps.models import Item, Roadmap
from roadmaps.models import Section as RoadmapSection
from schools.models import Municipality, Organization, Region, SchoolStatus

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
ROOT = Path(__file__).resolve().parent.parent
WRITER_NAMES = {"write_xlsx", "xlsx_bytes"}
# Writing a workbook outside core/xlsx.py would bypass the formula guard; the one exception:
NOT_WRITERS = {
    # Builds the importer's test inputs, imitating documents made elsewhere (merged title rows,
    # borders); its files are read by the portal, never handed out by it.
    "scripts/build_roadmap_fixtures.py",
    # The same for the import corpus (plans of other regions, fixtures/roadmaps/corpus).
    "scripts/build_import_corpus.py",
}


@pytest.fixture
def hostile_tomsk(db):
    """Томская область with formula-looking text wherever people type: roadmap titles, sections
    and items (and a closed round's snapshot of them), organization and municipality names,
    statuses, questionnaire titles, questions and answers. Returns the ids the cases need, found before the names change."""
    region = Region.objects.get(code="70")
    roadmap = Roadmap.objects.get(source_name="000-tomsk-shnor-2023.docx")
    quarter = MonitoringRound.objects.get(roadmap=roadmap, period_start=dt.date(2023, 4, 1))
    questionnaire = Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")
    school = Organization.objects.get(short_name="МАОУ СОШ № 11 им. В.И. Смирнова г. Томска")
    zyryanka = Municipality.objects.get(name="Зырянский район")
    ids = {
        "roadmap": roadmap.pk,
        "round": quarter.pk,
        "questionnaire": questionnaire.pk,
        "school": school.pk,
        "municipality": zyryanka.pk,
    }

    Region.objects.filter(pk=region.pk).update(name=HOSTILE[0])
    _poison(Roadmap.objects.filter(region=region), "title")
    _poison(RoadmapSection.objects.filter(region=region), "title")
    _poison(
        Item.objects.filter(region=region),
        "text",
        "schedule_text",
        "indicator_text",
        "result_text",
        "executors_text",
    )
    # A closed monitoring round reports from its snapshot.
    _poison(
        RoundEntry.objects.filter(region=region), "section", "item_text", "executor_name", "municipality_name"
    )
    _poison(Organization.objects.filter(region=region), "name")
    _poison(Organization.objects.filter(region=region), "short_name", unique=True)
    _poison(Municipality.objects.filter(region=region), "name", unique=True)
    _poison(SchoolStatus.objects.filter(school__region=region), "basis_document")
    _poison(Questionnaire.objects.filter(region=region), "title")
    _poison(Question.objects.filter(region=region), "text")
    _poison(Answer.objects.filter(region=region), "other_text")

    # Free-text, number and date questions, answered by every school that submitted.
    submitted = Response.objects.filter(
        assignment__questionnaire=questionnaire, status=Response.Status.SUBMITTED
    )
    assert submitted.exists()
    kinds = [Question.Kind.SHORT_TEXT] * len(HOSTILE) + [Question.Kind.NUMBER, Question.Kind.DATE]
    for n, kind in enumerate(kinds, start=1):
        question = Question.objects.create(
            region=region,
            questionnaire=questionnaire,
            position=900 + n,
            number=f"9{n:02d}.",
            text=HOSTILE[n % len(HOSTILE)],
            kind=kind,
            required=False,
        )
        for response in submitted:
            Answer.objects.create(
                response=response,
                question=question,
                text=HOSTILE[(n - 1) % len(HOSTILE)] if kind == Question.Kind.SHORT_TEXT else "",
                number=Decimal("12.50") if kind == Question.Kind.NUMBER else None,
                date=dt.date(2024, 3, 15) if kind == Question.Kind.DATE else None,
            )
    return ids


def _poison(qs, *fields: str, unique: bool = False) -> None:
    """Cycle the hostile texts through ``fields`` of every row; ``unique`` keeps names distinct
    after the first round (a suffix after the text, so every value still starts with a trigger)."""
    rows = list(qs.order_by("pk"))
    for i, row in enumerate(rows):
        for f, field in enumerate(fields):
            value = HOSTILE[(i + f) % len(HOSTILE)]
            if unique and i >= len(HOSTILE):
                value = f"{value} {i}"
            setattr(row, field, value)
    qs.model._default_manager.bulk_update(rows, list(fields), batch_size=500)


# --- the exports -------------------------------------------------------------------------------


def roadmap_export(ids, cast, client):
    client.force_login(cast["tomsk-department"])
    response = client.get(f"/roadmaps/{ids['roadmap']}/export.xlsx")
    assert response.status_code == 200
    return response.content


def questionnaire_results(ids, cast, client):
    client.force_login(cast["tomsk-coordinator"])
    response = client.get(f"/questionnaires/{ids['questionnaire']}/results.xlsx")
    assert response.status_code == 200
    return response.content


def organizations_export(ids, cast, client):
    client.force_login(cast["tomsk-coordinator"])
    response = client.get("/regions/70/setup/organizations/export.xlsx")
    assert response.status_code == 200
    return response.content


def measures_export(ids, cast, client):
    """The catalogue of measures by deficit: hostile titles and explanations of its own."""
    from diagnostics.models import Measure

    region = Region.objects.get(code="70")
    for n, text in enumerate(HOSTILE):
        Measure.objects.create(region=region, deficit="motivation", title=text, description=HOSTILE[n - 1])
    client.force_login(cast["tomsk-department"])
    response = client.get("/diagnostics/measures/export.xlsx")
    assert response.status_code == 200
    return response.content


def _list_export(username: str, url: str, params: dict):
    """A filtered list's XLSX, as its page's «Скачать» link asks for it."""

    def build(ids, cast, client):
        client.force_login(cast[username])
        response = client.get(url.format(**ids), {k: ids.get(v, v) for k, v in params.items()})
        assert response.status_code == 200, response.status_code
        return response.content

    return build


def _hostile_school_names(ids) -> None:
    """The tracking list shows the assigned schools' names: give seven of them the hostile texts
    exactly (the fixture gave them to the region's first organizations, which may not be assigned)."""
    schools = list(
        Organization.objects.filter(questionnaire_assignments__questionnaire_id=ids["questionnaire"])
        .distinct()
        .order_by("pk")[: len(HOSTILE)]
    )
    for text, school in zip(HOSTILE, schools, strict=False):
        Organization.objects.filter(short_name=text).exclude(pk=school.pk).update(short_name=f"{text} ·")
        Organization.objects.filter(pk=school.pk).update(short_name=text)


def _hostile_status_school_names() -> None:
    """«Результаты и исполнение» lists the schools with a status this year: give seven of them the
    hostile texts exactly."""
    import django.utils.timezone as tz

    schools = list(
        Organization.objects.filter(region__code="70", statuses__year=tz.localdate().year)
        .distinct()
        .order_by("pk")[: len(HOSTILE)]
    )
    for text, school in zip(HOSTILE, schools, strict=False):
        Organization.objects.filter(short_name=text).exclude(pk=school.pk).update(short_name=f"{text} ·")
        Organization.objects.filter(pk=school.pk).update(short_name=text)


def _hostile_template(slug: str):
    """The import template lists the region's schools: give seven of them the hostile texts."""

    def build(ids, cast, client):
        schools = list(
            Organization.objects.filter(region__code="70", kind="school").order_by("pk")[: len(HOSTILE)]
        )
        for text, school in zip(HOSTILE, schools, strict=False):
            Organization.objects.filter(short_name=text).exclude(pk=school.pk).update(short_name=f"{text} ·")
            Organization.objects.filter(pk=school.pk).update(short_name=text, name=text)
        return _list_export("tomsk-coordinator", f"/diagnostics/import/70/{slug}/template.xlsx", {})(
            ids, cast, client
        )

    return build


def _report(kind: str, params: dict):
    def build(ids, cast, client):
        report = reporting.do_request_report(
            actor=cast["tomsk-coordinator"],
            kind=kind,
            fmt="xlsx",
            params={k: ids[v] if v in ids else v for k, v in params.items()},
        )
        reporting.build(report.pk)
        report.refresh_from_db()
        assert report.status == Report.Status.DONE, report.message
        return report.file.read()

    build.report_kind = kind
    return build


def _national(ids, cast, client):
    """The whole country's obligations, ordered by the platform administrator (a bulk sheet)."""
    report = reporting.do_request_report(
        actor=cast["admin"], kind=Report.Kind.NATIONAL, fmt="xlsx", params={}
    )
    reporting.build(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.message
    return report.file.read()


_national.report_kind = Report.Kind.NATIONAL


CASES = {
    "roadmap": roadmap_export,
    "questionnaire results (Kobo-style columns)": questionnaire_results,
    "execution list": _list_export("tomsk-department", "/execution/export.xlsx", {"roadmap": "roadmap"}),
    "my tasks": _list_export("tomsk-coordinator", "/tasks/export.xlsx", {"bucket": "overdue"}),
    "review queue": _list_export("tomsk-coordinator", "/reviews/export.xlsx", {}),
    "region overview": _list_export(
        "tomsk-department", "/execution/overview/export.xlsx", {"period": "2023-Q2"}
    ),
    "region matrix": _list_export(
        "tomsk-department", "/execution/matrix/export.xlsx", {"roadmap": "roadmap"}
    ),
    "questionnaire tracking": lambda ids, cast, client: (
        _hostile_school_names(ids)
        or _list_export("tomsk-coordinator", "/questionnaires/{questionnaire}/tracking.xlsx", {})(
            ids, cast, client
        )
    ),
    "results and execution (diagnostics region view)": lambda ids, cast, client: (
        _hostile_status_school_names()
        or _list_export("tomsk-department", "/diagnostics/export.xlsx", {})(ids, cast, client)
    ),
    "report quarterly": _report(Report.Kind.QUARTERLY, {"round": "round"}),
    "report municipal": _report(
        Report.Kind.MUNICIPAL, {"municipality": "municipality", "start": "2023-01-01", "end": "2023-12-31"}
    ),
    "report school": _report(Report.Kind.SCHOOL, {"school": "school"}),
    "report questionnaire": _report(Report.Kind.QUESTIONNAIRE, {"questionnaire": "questionnaire"}),
    "organizations of a region (onboarding export)": organizations_export,
    "report roadmap": _report(Report.Kind.ROADMAP, {"roadmap": "roadmap"}),  # a large roadmap, by a worker
    "catalogue of measures by deficit": measures_export,
    # The import template lists the region's schools (names people typed) for each kind.
    **{
        f"diagnostics import template ({slug})": _hostile_template(slug)
        for slug in ("self-diagnosis", "risk-profile", "assessments")
    },
    "report national": _national,
}

# Every function that calls the writer → the cases that build its files.
WRITERS = {
    "roadmaps.exports.roadmap_xlsx": ["roadmap", "report roadmap"],
    "questionnaires.exports.results_xlsx": [
        "questionnaire results (Kobo-style columns)",
        "report questionnaire",
    ],
    "monitoring.exports.obligations_xlsx": ["execution list", "my tasks", "review queue"],
    "monitoring.exports.overview_xlsx": ["region overview"],
    "monitoring.exports.matrix_xlsx": ["region matrix"],
    "questionnaires.exports.tracking_xlsx": ["questionnaire tracking"],
    "reporting.xlsx.render_xlsx_report": ["report quarterly", "report municipal", "report school"],
    "schools.onboarding.organizations_xlsx": ["organizations of a region (onboarding export)"],
    "diagnostics.region_export.region_xlsx": ["results and execution (diagnostics region view)"],
    "diagnostics.measure_exports.measures_xlsx": ["catalogue of measures by deficit"],
    "diagnostics.importing.template_xlsx": [
        f"diagnostics import template ({slug})" for slug in ("self-diagnosis", "risk-profile", "assessments")
    ],
    "reporting.builders.national.write": ["report national"],
}


@pytest.mark.parametrize("name", list(CASES))
def test_it_writes_hostile_text_as_text_in_every_export(name, hostile_tomsk, cast, client):
    wb = openpyxl.load_workbook(io.BytesIO(CASES[name](hostile_tomsk, cast, client)))
    texts = set()
    for ws in wb.worksheets:
        for cell in itertools.chain.from_iterable(ws.iter_rows()):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
            if isinstance(cell.value, str):
                texts.add(cell.value)
                if cell.value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
    missing = [h for h in HOSTILE if h not in texts]
    assert not missing, f"{name}: the hostile texts did not reach the file as written: {missing!r}"


def test_the_questionnaire_export_writes_numbers_and_dates_as_typed_cells(hostile_tomsk, cast, client):
    wb = openpyxl.load_workbook(io.BytesIO(questionnaire_results(hostile_tomsk, cast, client)))
    ws = wb["Ответы школ"]
    header_row = next(r for r in ws.iter_rows(min_row=1, max_row=6) if r[0].value == "Школа")
    headers = [c.value for c in header_row]
    number_col, date_col = (
        headers.index(next(h for h in headers if h.startswith("908."))),
        headers.index(next(h for h in headers if h.startswith("909."))),
    )
    sent_col = headers.index("Отправлено")
    answered = [r for r in ws.iter_rows(min_row=header_row[0].row + 1) if r[sent_col].value is not None]
    assert answered
    for row in answered:
        assert row[number_col].data_type == "n" and row[number_col].value == 12.5
        assert row[date_col].is_date and row[date_col].value == dt.datetime(2024, 3, 15)
        assert row[date_col].number_format == "DD.MM.YYYY"
        assert row[sent_col].is_date and row[sent_col].number_format == "DD.MM.YYYY HH:MM"


# --- the walk cannot miss an export ------------------------------------------------------------


def _project_modules():
    skip = {".venv", "tests", "bench", "node_modules", "migrations", "media", "static"}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(p in skip or p.startswith(".") for p in parts):
            continue
        yield ".".join(parts)[: -len(".py")], path, ast.parse(path.read_text(encoding="utf-8"))


def _calls_writer(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            f = sub.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in WRITER_NAMES:
                return True
    return False


def test_every_function_that_writes_xlsx_is_in_the_walk():
    found = set()
    for module, path, tree in _project_modules():
        if module == "core.xlsx" or str(path.relative_to(ROOT)) in NOT_WRITERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _calls_writer(node):
                found.add(f"{module}.{node.name}")
    assert found == set(WRITERS), "add the new export to WRITERS and CASES in this file"
    assert {c for cases in WRITERS.values() for c in cases} <= set(CASES)


def test_every_report_kind_has_an_xlsx_case():
    walked = {getattr(build, "report_kind", None) for build in CASES.values()}
    assert set(Report.Kind.values) <= walked


def test_only_core_creates_workbooks():
    offenders = []
    for _module, path, tree in _project_modules():
        rel = str(path.relative_to(ROOT))
        if rel == "core/xlsx.py" or rel in NOT_WRITERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                if any(a.name in {"Workbook", "WriteOnlyCell"} for a in node.names):
                    offenders.append(rel)
            elif isinstance(node, ast.Attribute) and node.attr == "Workbook":
                offenders.append(rel)
    assert not offenders, f"write XLSX through core.xlsx, not openpyxl directly: {sorted(set(offenders))}"
