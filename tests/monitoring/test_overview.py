"""«Сводка по региону»: who is behind, ranked, with the change since the last closed round."""

import io

import openpyxl
import pytest
from django.utils import timezone

from monitoring import selectors
from monitoring.models import MonitoringRound, Obligation, RoundEntry
from schools.models import Municipality, SchoolStatus

pytestmark = pytest.mark.django_db


def rows_of(response):
    return response.context["data"].rows


def tomsk_today():
    from schools.models import Region

    return timezone.localdate(timezone=Region.objects.get(code="70").tzinfo)


def test_it_ranks_municipalities_by_lag_and_adds_up_to_the_execution_figures(client_for):
    response = client_for("tomsk-coordinator").get("/execution/overview/")
    assert response.status_code == 200
    rows = rows_of(response)
    assert len(rows) > 5
    lags = [r.lag for r in rows]
    assert lags == sorted(lags, reverse=True) and lags[0] > 0
    # The figures are the execution list's, cut per municipality.
    today = tomsk_today()  # the page counts «due by today» in the region's own time
    whole = selectors.figures(Obligation.objects.filter(region__code="70", cancelled=False), today=today)
    total = response.context["data"].total
    assert (total.expected, total.submitted, total.accepted, total.returned) == (
        whole.expected,
        whole.submitted,
        whole.accepted,
        whole.returned,
    )
    assert sum(r.expected for r in rows) == whole.expected
    zyryanka = next(r for r in rows if r.name == "Зырянский район")
    own = selectors.figures(
        Obligation.objects.filter(executor__municipality_id=zyryanka.key, cancelled=False), today=today
    )
    assert (zyryanka.expected, zyryanka.on_time) == (own.expected, own.on_time)


def test_it_states_the_change_since_the_last_closed_round_in_words(client_for):
    response = client_for("tomsk-coordinator").get("/execution/overview/")
    data = response.context["data"]
    assert data.rounds, "the demo has closed rounds in Томская область"
    latest = {r.roadmap_id: r for r in data.rounds}
    for r in MonitoringRound.objects.filter(region__code="70", state="closed"):
        assert r.period_start <= latest[r.roadmap_id].period_start
    town = next(r for r in data.rows if r.name == "Город Томск")
    entries = RoundEntry.objects.filter(round__in=data.rounds, executor__municipality_id=town.key)
    then = round(100 * entries.filter(submitted_at__isnull=False, is_late=False).count() / entries.count(), 1)
    assert town.previous == then
    assert town.change == round(town.on_time_pct - then, 1)
    body = response.content.decode()
    word = {"up": "лучше на", "down": "хуже на", "same": "без изменений"}[town.trend]
    assert word in body
    # The arrow is decoration; the words carry the meaning.
    assert '<span aria-hidden="true">' in body


def test_it_opens_one_municipality_with_its_executors_and_links_to_their_obligations(client_for):
    client = client_for("tomsk-coordinator")
    town = Municipality.objects.get(name="Город Томск")
    response = client.get("/execution/overview/", {"municipality": town.pk, "programme": "shnor"})
    rows = rows_of(response)
    assert rows and response.context["data"].by == "executor_id"
    first = rows[0]
    link = f"/execution/?executor={first.key}&amp;programme=shnor"
    assert link in response.content.decode()
    listed = client.get("/execution/", {"executor": first.key, "programme": "shnor"})
    assert listed.context["figures"].expected == first.expected


def test_the_programme_filter_counts_schools_in_the_programme_in_the_year_due(client_for):
    client = client_for("tomsk-coordinator")
    total = client.get("/execution/overview/", {"programme": "shnor"}).context["data"].total
    statuses = set(
        SchoolStatus.objects.filter(region__code="70", category="shnor").values_list("school_id", "year")
    )
    due = Obligation.objects.filter(region__code="70", cancelled=False, due_date__lte=tomsk_today())
    expected = sum(1 for ex, day in due.values_list("executor_id", "due_date") if (ex, day.year) in statuses)
    assert 0 < total.expected == expected
    assert total.expected < client.get("/execution/overview/").context["data"].total.expected


def test_a_municipal_official_sees_only_their_municipality(client_for):
    client = client_for("zyryanka-municipal")
    response = client.get("/execution/overview/")
    assert response.status_code == 200
    assert [r.name for r in rows_of(response)] == ["Зырянский район"]
    # Asking for a neighbour gives nothing of it, not even its name.
    town = Municipality.objects.get(name="Город Томск")
    response = client.get("/execution/overview/", {"municipality": town.pk})
    assert rows_of(response) == [] and "Город Томск" not in response.content.decode()
    export = client.get("/execution/overview/export.xlsx")
    names = [row[0].value for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert "Зырянский район" in names and "Город Томск" not in names


def test_another_regions_municipality_shows_nothing(client_for):
    town = Municipality.objects.get(name="Город Томск")
    response = client_for("tambov-coordinator").get("/execution/overview/", {"municipality": town.pk})
    assert rows_of(response) == [] and "Город Томск" not in response.content.decode()


@pytest.mark.parametrize("username", ["tomsk-director", "tomsk-curator"])
def test_it_answers_403_to_roles_without_a_region_view(client_for, username):
    client = client_for(username)
    assert client.get("/execution/overview/").status_code == 403
    assert client.get("/execution/overview/export.xlsx").status_code == 403


def test_it_draws_the_chart_on_the_server(client_for):
    body = client_for("tomsk-department").get("/execution/overview/").content.decode()
    assert "<svg" in body and "просрочено" in body
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_it_keeps_a_flat_query_count(client_for, django_assert_max_num_queries):
    client = client_for("tomsk-coordinator")
    town = Municipality.objects.get(name="Город Томск")
    # One municipality opened costs one query more (its name): the most any view of it takes.
    with django_assert_max_num_queries(25) as q:
        client.get("/execution/overview/", {"municipality": town.pk})
    for params in ({}, {"programme": "shnsu", "period": "2023-Q2"}, {"roadmap": 1, "programme": "shnor"}):
        with django_assert_max_num_queries(len(q.captured_queries)):
            client.get("/execution/overview/", params)


def test_the_aggregates_start_from_the_rows_own_region(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("zyryanka-municipal")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/execution/overview/", {"programme": "shnor"})
    grouped = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"] and "COUNT(" in q["sql"]]
    assert grouped
    for sql in grouped:
        assert '"region_id" IN' in sql, sql


def test_the_export_holds_the_same_rows_with_the_same_filters(client_for):
    client = client_for("tomsk-department")
    params = {"programme": "shnor", "period": "2023-Q2"}
    page = client.get("/execution/overview/", params)
    response = client.get("/execution/overview/export.xlsx", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert any("ШНОР" in str(v[0]) for v in values[:4]), values[:4]
    header = next(n for n, v in enumerate(values) if v[0] == "Муниципалитет")
    body = values[header + 1 :]
    expected = [[r.name, r.expected, r.overdue] for r in rows_of(page)] + [
        ["Итого", page.context["data"].total.expected, page.context["data"].total.overdue]
    ]
    assert [[v[0], v[1], v[4]] for v in body] == expected


def test_a_bad_period_is_named_and_nothing_breaks(client_for):
    response = client_for("tomsk-coordinator").get("/execution/overview/", {"period": "2023-13"})
    assert response.status_code == 200
    assert "Укажите месяц «2023-03» или квартал «2023-Q2»." in response.content.decode()


def by_key(rows: list[dict], column: str) -> list[dict]:
    return sorted(rows, key=lambda row: (row[column] is None, row[column] or 0))


def test_whole_regions_are_summed_per_executor_to_the_same_rows_as_the_join(cast):
    """Readers of whole regions get the figures per executor too, summed per municipality from
    their regions' organizations: the rows must be those of grouping by the join (and the mixed
    reader, a coordinator who also directs a school elsewhere, gets that school counted)."""
    from monitoring import overview as overview_selectors
    from schools.models import Membership, Organization

    # A coordinator of Томская область who also directs a school in Тамбовская.
    user = cast["tomsk-coordinator"]
    tambov_school = Organization.objects.filter(region__code="68", kind="school").first()
    Membership.objects.create(
        user=user, organization=tambov_school, role="director", region=tambov_school.region
    )
    today, column = tomsk_today(), overview_selectors.MUNICIPALITY
    for reader in (user, cast["tambov-coordinator"], cast["tomsk-department"], cast["zyryanka-municipal"]):
        qs = Obligation.objects.visible_to(reader).filter(cancelled=False)
        municipality_of = overview_selectors._known_municipalities(reader, column)
        assert municipality_of is not None, reader.username
        summed = overview_selectors._per_municipality(
            overview_selectors._figures(qs, overview_selectors.EXECUTOR, today), municipality_of
        )
        joined = by_key(overview_selectors._figures(qs, column, today), column)
        assert by_key(summed, column) == joined, reader.username
        assert sum(row["expected"] for row in joined) == qs.filter(due_date__lte=today).count()
    assert len(joined) >= 1


def test_it_adds_up_a_municipal_officials_executors_to_the_same_rows_as_the_join(cast):
    """A reader of regions seen in part gets the figures per executor, summed per municipality
    from the gate's own executor list: the rows must be those of grouping by the join."""
    from monitoring import overview as overview_selectors
    from schools.models import Membership, Organization

    official = cast["zyryanka-municipal"]
    # Also a director in Тамбовская область: two regions seen in part.
    tambov_school = Organization.objects.filter(region__code="68", kind="school").first()
    Membership.objects.create(
        user=official, organization=tambov_school, role="director", region=tambov_school.region
    )
    today, column = tomsk_today(), overview_selectors.MUNICIPALITY
    qs = Obligation.objects.visible_to(official).filter(cancelled=False)
    municipality_of = overview_selectors._known_municipalities(official, column)
    assert municipality_of is not None
    summed = overview_selectors._per_municipality(
        overview_selectors._figures(qs, overview_selectors.EXECUTOR, today), municipality_of
    )
    assert by_key(summed, column) == by_key(overview_selectors._figures(qs, column, today), column)
    assert len(summed) >= 2  # Зырянский район and the Tambov school's municipality
    entries = RoundEntry.objects.visible_to(official).order_by()
    counts = overview_selectors.ROUND_COUNTS
    summed = overview_selectors._per_municipality(
        list(entries.values(overview_selectors.EXECUTOR).annotate(**counts)), municipality_of
    )
    assert by_key(summed, column) == by_key(list(entries.values(column).annotate(**counts)), column)
    # The administrator, who reaches every region at once, keeps the join.
    assert overview_selectors._known_municipalities(cast["admin"], column) is None
