"""Reports reach by content, not only by subject.

The walk orders every report kind × role × subject through the API, inside Томская область and
across to Тамбовская: each order is either refused (403 for a subject out of reach or a report the
role may not order, 400 for a subject of the wrong kind) and creates nothing, or its XLSX is built
and read back, and every row in it is a row the requester may see through the gate.
"""

import datetime as dt
import io
from collections import Counter

import openpyxl
import pytest

from monitoring import rounds
from monitoring.models import MonitoringRound, Obligation, RoundEntry
from questionnaires.models import Assignment, Questionnaire, Response
from reporting import rules, services
from reporting.models import Report
from schools.models import Municipality, Organization, SchoolStatus

pytestmark = pytest.mark.django_db

START, END = "2023-01-01", "2023-12-31"

# Who may order what, spelt out by hand from the rules (director: own school card; municipal
# official: own municipality and its schools; curator: curated schools; coordinator and
# department: the region). Questionnaire reports are open to municipal officials and curators:
# they count only the requester's own schools.
TOMSK_ALL = {
    "quarterly": {"round-70", "open-round-70"},
    "municipal": {"mun-zyryanka", "mun-tomsk"},
    "school": {"cherdaty", "cherdaty-branch", "mikhailovka", "urtam", "school-5", "school-44"},
    "questionnaire": {"q-70"},
}
ALLOWED = {
    "tomsk-coordinator": TOMSK_ALL,
    "tomsk-department": TOMSK_ALL,
    "zyryanka-municipal": {
        "municipal": {"mun-zyryanka"},
        "school": {"cherdaty", "cherdaty-branch", "mikhailovka"},
        "questionnaire": {"q-70"},
    },
    "tomsk-municipal": {
        "municipal": {"mun-tomsk"},
        "school": {"school-5", "school-44"},
        "questionnaire": {"q-70"},
    },
    "tomsk-curator": {
        "school": {"cherdaty", "cherdaty-branch", "mikhailovka", "urtam"},
        "questionnaire": {"q-70"},
    },
    "cherdaty-director": {"school": {"cherdaty", "cherdaty-branch"}},
    "tomsk-director": {"school": {"school-5"}},
    "tambov-coordinator": {
        "quarterly": {"round-68"},
        "municipal": {"mun-68"},
        "school": {"school-68"},
    },
}


def subjects(cast) -> dict[str, dict[str, object]]:
    """kind → key → subject; both regions, including organizations that are not schools."""
    org = Organization.objects.get
    round_70 = MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=dt.date(2023, 4, 1)
    )
    open_round = rounds.do_open_round(actor=None, roadmap=round_70.roadmap, period_start=dt.date(2023, 7, 1))
    return {
        "quarterly": {
            "round-70": round_70,
            "open-round-70": open_round,
            "round-68": MonitoringRound.objects.filter(region__code="68").first(),
        },
        "municipal": {
            "mun-zyryanka": Municipality.objects.get(name="Зырянский район"),
            "mun-tomsk": Municipality.objects.get(name="Город Томск"),
            "mun-68": Municipality.objects.get(region__code="68", name="Рассказовский муниципальный округ"),
        },
        "school": {
            "cherdaty": org(short_name="МБОУ «Чердатская СОШ»"),
            "cherdaty-branch": org(short_name="Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр"),
            "mikhailovka": org(short_name="МБОУ «Михайловская СОШ»"),
            "urtam": org(short_name="МБОУ «Уртамская СОШ»"),
            "school-5": org(short_name="МАОУ СОШ № 5 им. А.К. Ерохина г. Томска"),
            "school-44": org(short_name="МАОУ СОШ № 44 г. Томска"),
            "school-68": org(short_name="МБОУ «Платоновская СОШ»"),
            # Not schools: the regional institute (public to the region) and a municipal authority.
            "institute-70": org(region__code="70", short_name="ТОИПКРО"),
            "uo-zyryanka": org(short_name="УО Зырянского района"),
            "uo-68": Organization.objects.filter(region__code="68", kind="municipal_authority").first(),
        },
        "questionnaire": {
            "q-70": Questionnaire.objects.filter(
                region__code="70", is_template=False, assignments__isnull=False
            )
            .distinct()
            .first(),
        },
    }


def request_body(kind: str, subject) -> dict:
    name = services.SUBJECTS[kind][1]
    body = {"kind": kind, "fmt": "xlsx", name: subject.pk}
    if kind == "municipal":
        body |= {"start": START, "end": END}
    return body


def expected_status(user, kind: str, key: str, subject) -> int:
    model = services.SUBJECTS[kind][0]
    if not model.objects.visible_to(user).filter(pk=subject.pk).exists():
        return 403  # out of reach: the same answer as for an id that does not exist
    if kind == "school" and subject.kind != Organization.Kind.SCHOOL:
        return 400
    return 201 if key in ALLOWED[user.username].get(kind, set()) else 403


def table(wb, sheet: str, first_header: str) -> list[tuple]:
    """The data rows of a sheet: those after the header row whose first cell is ``first_header``."""
    rows = list(wb[sheet].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    return [r for r in rows[start + 1 :] if r and any(c not in (None, "") for c in r)]


def summary(wb) -> dict:
    return dict((r[0], r[1]) for r in table(wb, "Итоги", "Показатель"))


def check_quarterly(wb, user, round_: MonitoringRound) -> int:
    visible = Obligation.objects.visible_to(user).filter(
        roadmap=round_.roadmap,
        cancelled=False,
        due_date__gte=round_.period_start,
        due_date__lte=round_.period_end,
    )
    if round_.state == MonitoringRound.State.CLOSED:
        expected = RoundEntry.objects.filter(round=round_, obligation__in=visible).count()
    else:
        expected = visible.count()
    executors = set(visible.values_list("executor__short_name", flat=True))
    rows = (
        table(wb, "Исполнители", "Исполнитель")
        + table(wb, "Не отправлено", "№")
        + table(wb, "На доработке", "№")
    )
    names = {r[0] for r in table(wb, "Исполнители", "Исполнитель")}
    names |= {r[2] for r in table(wb, "Не отправлено", "№") + table(wb, "На доработке", "№")}
    assert names <= executors, names - executors
    assert summary(wb)["Ожидалось отчётов"] == expected
    return len(rows)


def check_municipal(wb, user, municipality: Municipality) -> int:
    visible = Obligation.objects.visible_to(user).filter(
        executor__municipality=municipality, cancelled=False, due_date__gte=START, due_date__lte=END
    )
    in_reach = Counter(
        (title, str(number or ""), executor)
        for title, number, executor in visible.values_list(
            "roadmap__title", "item__number", "executor__short_name"
        )
    )
    rows = table(wb, "Мероприятия", "Дорожная карта")
    in_file = Counter((r[0], str(r[1] or ""), r[3]) for r in rows)
    assert in_file == in_reach, in_file - in_reach
    assert {r[0] for r in table(wb, "Исполнители", "Исполнитель")} <= {e for _t, _n, e in in_reach}
    assert summary(wb)["Ожидалось отчётов"] == visible.count()
    return len(rows)


def check_school(wb, user, school: Organization) -> int:
    visible = Obligation.objects.visible_to(user).filter(executor=school, cancelled=False)
    roadmaps = table(wb, "Дорожные карты", "Дорожная карта")
    assert {r[0] for r in roadmaps} == set(visible.values_list("roadmap__title", flat=True))
    assert summary(wb)["Ожидалось отчётов"] == visible.count()
    statuses = table(wb, "Статусы", "Год")
    assert len(statuses) == SchoolStatus.objects.visible_to(user).filter(school=school).count()
    answered = Response.objects.visible_to(user).filter(assignment__school=school, status="submitted")
    assert len([name for name in wb.sheetnames if name.startswith("Анкета")]) == min(5, answered.count())
    return len(roadmaps) + len(statuses)


def check_questionnaire(wb, user, questionnaire: Questionnaire) -> int:
    rows = table(wb, wb.sheetnames[0], "Школа")
    in_reach = Counter(
        Assignment.objects.visible_to(user)
        .filter(questionnaire=questionnaire)
        .values_list("school__short_name", flat=True)
    )
    assert Counter(r[0] for r in rows) == in_reach
    return len(rows)


CHECKS = {
    "quarterly": check_quarterly,
    "municipal": check_municipal,
    "school": check_school,
    "questionnaire": check_questionnaire,
}


def test_every_report_holds_only_what_its_requester_may_see(cast, client):
    walk = subjects(cast)
    outcomes: Counter = Counter()
    rows_read = 0
    for username in ALLOWED:
        user = cast[username]
        client.force_login(user)
        for kind, by_key in walk.items():
            for key, subject in by_key.items():
                expected = expected_status(user, kind, key, subject)
                before = Report.objects.count()
                response = client.post("/api/v1/reports/", request_body(kind, subject), "application/json")
                label = f"{username} {kind} {key}"
                assert response.status_code == expected, (
                    f"{label} → {response.status_code} {response.content!r}"
                )
                outcomes[expected] += 1
                if expected != 201:
                    assert Report.objects.count() == before, label
                    assert response.json()["detail"], label
                    continue
                report = Report.objects.get(pk=response.json()["id"])
                assert services.build(report.pk) == "done", f"{label}: {report.message}"
                report.refresh_from_db()
                wb = openpyxl.load_workbook(io.BytesIO(report.file.read()))
                rows_read += CHECKS[kind](wb, user, subject)
    # The walk met every outcome, and read real rows (not only empty files).
    assert outcomes[201] >= 35 and outcomes[400] >= 10 and outcomes[403] >= 50, outcomes
    assert rows_read > 500


def test_the_measured_leaks_are_closed(client_for):
    """The attacks that were measured: a director's municipal summary, a director's card of the
    regional institute, a curator's summary of a municipal authority."""
    zyryanka = Municipality.objects.get(name="Зырянский район")
    institute = Organization.objects.get(region__code="70", short_name="ТОИПКРО")
    director = client_for("cherdaty-director")
    summary_order = director.post(
        "/api/v1/reports/",
        {"kind": "municipal", "municipality": zyryanka.pk, "start": START, "end": END},
        "application/json",
    )
    assert summary_order.status_code == 403
    assert "специалист МОУО (только свой муниципалитет)" in summary_order.json()["detail"]
    card = director.post("/api/v1/reports/", {"kind": "school", "school": institute.pk}, "application/json")
    assert card.status_code == 400
    assert list(card.json()["fields"]) == ["school"]
    assert "только для школы" in card.json()["fields"]["school"][0]
    curator = client_for("tomsk-curator").post(
        "/api/v1/reports/",
        {"kind": "municipal", "municipality": zyryanka.pk, "start": START, "end": END},
        "application/json",
    )
    assert curator.status_code == 403
    assert not Report.objects.filter(
        requested_by__username__in=["cherdaty-director", "tomsk-curator"]
    ).exists()


def test_the_reports_page_offers_only_orderable_kinds_and_names_the_wrong_field(client_for):
    client = client_for("cherdaty-director")
    form = client.get("/reports/").context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["school"]
    institute = Organization.objects.get(region__code="70", short_name="ТОИПКРО")
    response = client.post("/reports/", {"kind": "school", "fmt": "xlsx", "school": institute.pk})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "только для школы" in errors["school"][0]
    response = client.post(
        "/reports/",
        {"kind": "municipal", "fmt": "xlsx", "municipality": 1, "start": "01.01.2023", "end": "31.12.2023"},
    )
    assert "вашей роли недоступен" in response.context["form"].errors["kind"][0]
    assert not Report.objects.filter(requested_by__username="cherdaty-director").exists()


def test_the_service_names_the_field_of_a_subject_of_the_wrong_kind(cast):
    """Past the form (which lists only schools), the service itself refuses a non-school card."""
    from django.core.exceptions import ValidationError

    institute = Organization.objects.get(region__code="70", short_name="ТОИПКРО")
    with pytest.raises(ValidationError) as info:
        services.do_request_report(
            actor=cast["tomsk-coordinator"], kind="school", fmt="pdf", params={"school": institute.pk}
        )
    assert list(info.value.message_dict) == ["school"]
    assert "ТОИПКРО" in info.value.message_dict["school"][0]


def test_the_orderable_table_speaks_of_real_report_kinds():
    kinds = {kind for by_kind in rules.ORDERABLE.values() for kind in by_kind}
    # The national export belongs to no region: rules.may_order_national, not the per-region table.
    assert kinds | {rules.NATIONAL} == set(Report.Kind.values) == set(rules.REFUSALS)


def test_a_report_is_built_with_the_requesters_reach_at_build_time(cast):
    """A curator whose grant is withdrawn before the worker runs gets a readable failure, not the
    school's card."""
    from guardian.shortcuts import remove_perm

    school = Organization.objects.get(short_name="МБОУ «Михайловская СОШ»")
    curator = cast["tomsk-curator"]
    report = services.do_request_report(
        actor=curator, kind="school", fmt="xlsx", params={"school": school.pk}
    )
    remove_perm("schools.curate_school", curator, school)
    assert services.build(report.pk) == "failed"
    report.refresh_from_db()
    assert not report.file and "Нет доступа" in report.message


def test_builders_read_through_the_gate_whatever_the_order_table_says(cast):
    """Defence in depth: handed a narrower requester, each builder keeps to that requester's rows
    (here a director's, for subjects the order table would never give them)."""
    from reporting.builders import municipal, quarterly, school

    director = cast["cherdaty-director"]
    own = {"МБОУ «Чердатская СОШ»", "Филиал МБОУ «Чердатская СОШ» в с. Высокий Яр"}
    round_ = MonitoringRound.objects.get(
        roadmap__source_name="000-tomsk-shnor-2023.docx", period_start=dt.date(2023, 4, 1)
    )
    data = quarterly.build(round_, director)
    assert {e["name"] for e in data["executors"]} <= own
    assert 0 < data["totals"]["expected"] < round_.entries.count()
    zyryanka = Municipality.objects.get(name="Зырянский район")
    data = municipal.build(zyryanka, director, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert data["rows"] and {r["executor"] for r in data["rows"]} <= own
    assert (
        len(data["rows"])
        < Obligation.objects.filter(executor__municipality=zyryanka, due_date__year=2023).count()
    )
    data = school.build(Organization.objects.get(short_name="МАОУ СОШ № 44 г. Томска"), director)
    assert data["totals"]["expected"] == 0 and data["statuses"] == [] and data["answers"] == []
