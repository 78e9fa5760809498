"""The home page shows each role what it acts on, and never contradicts itself."""

import pytest
from django.utils import timezone

from monitoring.models import MonitoringRound, Obligation
from reporting.models import Report
from schools.models import Membership, Organization

pytestmark = pytest.mark.django_db

NO_TASKS = "Нет задач со сроком исполнения"


@pytest.mark.parametrize(
    "username",
    [
        "tomsk-coordinator",
        "tomsk-department",
        "tomsk-municipal",
        "zyryanka-municipal",
        "tomsk-director",
        "cherdaty-director",
        "tomsk-curator",
        "tambov-director",
    ],
)
def test_it_never_says_there_is_nothing_to_do_under_a_count_of_overdue_reports(client_for, username):
    response = client_for(username).get("/")
    body = response.content.decode()
    counts = response.context["execution"]
    if any(counts.values()) or response.context["review_count"]:
        assert NO_TASKS not in body
    else:
        assert "просрочен" not in body.split('id="tasks-h"', 1)[1].split("</section>", 1)[0]


def test_the_coordinator_sees_the_region_and_the_five_furthest_behind(client_for):
    response = client_for("tomsk-coordinator").get("/")
    progress = response.context["panels"]["progress"]
    behind = progress["behind"]
    assert len(behind) == 5
    assert [r.lag for r in behind] == sorted((r.lag for r in behind), reverse=True) and behind[-1].lag > 0
    overview = client_for("tomsk-coordinator").get("/execution/overview/").context["data"].rows
    assert [r.name for r in behind] == [r.name for r in overview[:5]]
    body = response.content.decode()
    assert "Дальше всех отстают" in body and behind[0].name in body


def test_the_municipal_official_sees_its_schools_and_its_own_deadlines(client_for, cast):
    response = client_for("zyryanka-municipal").get("/")
    panels = response.context["panels"]
    schools = Organization.objects.filter(pk__in=[r.key for r in panels["schools"]["rows"]])
    assert schools and {s.municipality.name for s in schools} == {"Зырянский район"}
    assert {s.kind for s in schools} == {"school"}
    assert panels["deadlines"], "the demo municipality has open deadlines"
    assert {o.executor.municipality.name for o in panels["deadlines"]} == {"Зырянский район"}
    assert "progress" not in panels


def test_the_director_sees_this_months_deadlines_and_what_was_returned(client_for):
    school = Organization.objects.get(short_name="МБОУ «Чердатская СОШ»")
    template = Obligation.objects.filter(executor=school).first()
    today = timezone.localdate()
    due = Obligation.objects.create(
        region=template.region,
        roadmap=template.roadmap,
        item=template.item,
        executor=school,
        window_start=today.replace(day=1),
        due_date=today.replace(day=28) if today.day <= 28 else today,
    )
    response = client_for("cherdaty-director").get("/")
    panels = response.context["panels"]
    month = panels["month"]
    # The living demo has its own deadlines this month beside the one made here: the panel shows
    # the ten nearest and counts them all.
    assert all((o.due_date.year, o.due_date.month) == (today.year, today.month) for o in month["rows"])
    assert [o.due_date for o in month["rows"]] == sorted(o.due_date for o in month["rows"])
    assert month["count"] >= len(month["rows"]) and month["count"] > 0
    before = month["count"]
    due.delete()
    assert client_for("cherdaty-director").get("/").context["panels"]["month"]["count"] == before - 1
    returned = panels["returned"]
    assert returned and {o.report.review_state for o in returned} == {"returned"}
    body = response.content.decode()
    assert "Сроки в этом месяце" in body and "Возвращено на доработку" in body
    assert "Комментарий проверяющего" in body


def test_the_department_sees_the_latest_round_and_ready_reports(client_for, cast):
    region = Membership.objects.filter(user__username="tomsk-department").first().region
    report = Report.objects.create(
        region=region,
        kind=Report.Kind.QUARTERLY,
        title="Квартальный мониторинг — готов",
        status=Report.Status.DONE,
        finished_at=timezone.now(),
        requested_by=cast["tomsk-coordinator"],
    )
    response = client_for("tomsk-department").get("/")
    panels = response.context["panels"]
    latest = MonitoringRound.objects.filter(region=region, state="closed").order_by("-period_start").first()
    assert panels["round"]["label"] == latest.label
    assert panels["round"]["expected"] == latest.entries.count()
    assert panels["reports"][0] == report
    assert f"/reports/{report.pk}/download/" in response.content.decode()


def test_the_home_page_keeps_a_flat_query_count(client_for, django_assert_max_num_queries):
    for username in ("tomsk-coordinator", "tomsk-department", "zyryanka-municipal", "cherdaty-director"):
        client = client_for(username)
        client.get("/")  # the first visit fills the user's cached reach
        with django_assert_max_num_queries(25, info=username):
            client.get("/")


def _schools_panel_by_the_join(user, municipality_id: int, today) -> dict:
    """The «отстают» panel as it was: the gate's obligations whose executor, joined, is a school
    of the municipality."""
    from monitoring import overview

    qs = Obligation.objects.visible_to(user).filter(
        cancelled=False, executor__kind=Organization.Kind.SCHOOL, executor__municipality_id=municipality_id
    )
    data = overview.overview(user, qs, filters={"municipality": municipality_id}, today=today)
    ids = sorted(qs.values_list("pk", flat=True))
    return {"rows": data.rows[:10], "count": len(data.rows), "total": data.total, "ids": ids}


def test_the_schools_panel_holds_the_rows_of_the_join_for_every_reader(cast):
    """The panel narrows the gate's executors to the municipality's schools from the gate's own
    list (one list per region): the same obligations, rows, order and totals as the join, for
    every demo user with a municipality, for an official who also directs a school in another
    region, and for a coordinator of the whole region who is also its municipal official."""
    from dashboard import panels
    from schools.access import get_scope

    official = cast["zyryanka-municipal"]
    authority = Membership.objects.filter(user=official, role="municipal").first().organization
    tambov_school = Organization.objects.filter(region__code="68", kind="school").first()
    Membership.objects.create(
        user=official, organization=tambov_school, role="director", region=tambov_school.region
    )
    coordinator = cast["tomsk-coordinator"]
    Membership.objects.create(
        user=coordinator, organization=authority, role="municipal", region=authority.region
    )
    today = timezone.localdate()
    checked = set()
    for user in cast.values():
        scope = get_scope(user)
        for municipality_id in scope.municipality_ids:
            qs = Obligation.objects.visible_to(user).filter(
                panels.rules.municipality_schools_q(scope, municipality_id), cancelled=False
            )
            expected = _schools_panel_by_the_join(user, municipality_id, today)
            got = panels.municipal_schools(user, scope, municipality_id, today)
            assert sorted(qs.values_list("pk", flat=True)) == expected["ids"], user.username
            assert got["rows"] == expected["rows"] and got["count"] == expected["count"], user.username
            assert got["total"] == expected["total"], user.username
            if expected["ids"]:
                checked.add(user.username)
    assert {"zyryanka-municipal", "tomsk-municipal", "tomsk-coordinator"} <= checked
