"""Access filters start from the row's own region, and page costs do not grow with the country.

A filter that ORs an executor or owner condition without the row's own ``region_id`` makes
PostgreSQL read the whole country's obligations on every request (measured: 0.03 s → 0.7 s per
page at national size). These tests read the WHERE clause the gate builds for each role and fail
if any OR branch lacks the region.
"""

import io

import pytest
from django.core.exceptions import EmptyResultSet
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.db.models.lookups import Exact, In
from django.db.models.sql.where import AND, OR, WhereNode
from django.test.utils import CaptureQueriesContext

from monitoring import selectors
from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from roadmaps.models import ControlDate, Item, Roadmap
from schools.models import User

ROLES = ["tomsk-coordinator", "tomsk-curator", "tomsk-municipal", "tomsk-director", "tomsk-department"]


def starts_from_region(node, table: str) -> bool:
    """Whether every row the WHERE clause can match is confined by ``table.region_id``."""
    if isinstance(node, WhereNode):
        if node.negated or not node.children:
            return False
        results = [starts_from_region(child, table) for child in node.children]
        if node.connector == AND:
            return any(results)
        assert node.connector == OR
        return all(results)
    if isinstance(node, In | Exact):
        target = getattr(node.lhs, "target", None)
        return (
            getattr(node.lhs, "alias", None) == table and target is not None and target.column == "region_id"
        )
    return False


def querysets(user) -> dict[str, object]:
    return {
        "obligations": Obligation.objects.visible_to(user),
        "tasks": selectors.tasks(user),
        "fileable": selectors.fileable(user),
        "review queue": selectors.review_queue(user),
        "execution reports": ExecutionReport.objects.visible_to(user),
        "evidence": Evidence.objects.visible_to(user),
        "report events": ReportEvent.objects.visible_to(user),
        "roadmaps": Roadmap.objects.visible_to(user),
        "items": Item.objects.visible_to(user),
        "control dates": ControlDate.objects.visible_to(user),
        "questionnaires": Questionnaire.objects.visible_to(user),
        "questions": Question.objects.visible_to(user),
        "options": Option.objects.visible_to(user),
        "assignments": Assignment.objects.visible_to(user),
        "responses": Response.objects.visible_to(user),
        "answers": Answer.objects.visible_to(user),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_it_puts_the_rows_own_region_in_every_branch_of_the_gate(cast, username):
    user = cast[username]
    for name, qs in querysets(user).items():
        table = qs.model._meta.db_table
        assert starts_from_region(qs.query.where, table), f"{username}: {name}"
        try:
            sql = str(qs.query)
        except EmptyResultSet:
            continue  # the role reaches none of these (a municipal official reviews nothing)
        assert f'"{table}"."region_id" IN' in sql, name


def test_the_checker_fails_a_branch_without_the_region(db):
    # The old shape of the filter: region-wide roles OR executor conditions on a joined table.
    qs = Obligation.objects.filter(Q(region_id__in=[1]) | Q(executor__parent_id__in=[2]))
    assert not starts_from_region(qs.query.where, "monitoring_obligation")
    qs = Obligation.objects.filter(Q(region_id__in=[1]) | Q(region_id__in=[1], executor_id__in=[2]))
    assert starts_from_region(qs.query.where, "monitoring_obligation")
    # A joined table's region does not count: it is the row's own column that has the index.
    qs = Evidence.objects.filter(report__obligation__region_id__in=[1])
    assert not starts_from_region(qs.query.where, "monitoring_evidence")


PAGES = [
    "/",
    "/tasks/",
    "/tasks/?bucket=overdue",
    "/execution/",
    "/reviews/",
    "/roadmaps/",
    "/roadmaps/due/",
    "/execution/matrix/",
    "/execution/overview/",
    "/diagnostics/",
    "/diagnostics/measures/",
    "/questionnaires/",
    "/reports/",
    "/organizations/",
    "/api/v1/regions/",
    "/api/v1/obligations/",
    "/api/v1/execution-reports/",
    "/api/v1/evidence/",
    "/api/v1/roadmaps/",
    "/api/v1/roadmap-items/",
    "/api/v1/reports/",
    "/api/v1/questionnaires/",
    "/api/v1/assignments/",
    "/api/v1/responses/",
    "/api/v1/organizations/",
    "/api/v1/municipalities/",
    "/api/v1/rounds/",
    "/api/v1/diagnostics/self-diagnoses/",
    "/api/v1/diagnostics/risk-levels/",
    "/api/v1/diagnostics/assessment-results/",
    "/api/v1/diagnostics/measures/",
]
# «Кто отстаёт» is not a curator's or a director's page (tests/test_url_access.py checks the 403).
NOT_FOR = {("tomsk-curator", "/execution/overview/"), ("tomsk-director", "/execution/overview/")}


# Readers of the whole country: the list pages show the region chosen in the bar, the API lists
# are asked for one region (schools/focus.py) — so their pages too cost the same at any size.
COUNTRY_READERS = {"federal-viewer", "admin"}
COUNTRY_WIDE = {"/api/v1/regions/", "/api/v1/reports/"}


def query_counts(client, usernames) -> dict[tuple[str, str], int]:
    counts = {}
    for username in usernames:
        client.force_login(User.objects.get(username=username))
        if username in COUNTRY_READERS:
            client.post("/focus/", {"region": "70", "next": "/"})
        for url in PAGES:
            if (username, url) in NOT_FOR:
                continue
            address = url
            if username in COUNTRY_READERS and url.startswith("/api/") and url not in COUNTRY_WIDE:
                address = f"{url}?region=70"
            client.get(address)  # warm per-process caches (content types, permissions)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(address)
            assert response.status_code == 200, (username, url, response.status_code)
            counts[(username, url)] = len(captured)
    return counts


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_the_country(client, cast):
    User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})
    users = [
        "tomsk-coordinator",
        "tomsk-curator",
        "tomsk-director",
        "tomsk-municipal",
        "federal-viewer",
        "admin",
    ]
    before = query_counts(client, users)
    call_command(
        "generate_synthetic", regions=1, scale=0.1, seed=3, stdout=io.StringIO(), stderr=io.StringIO()
    )
    after = query_counts(client, users)
    assert after == before


def test_the_trash_filter_of_evidence_and_events_is_semi_joins_without_an_or(db):
    """«Report in the trash OR under a trashed roadmap» in one subquery joined the country's
    reports to their obligations; at 85 regions PostgreSQL could not hash so big a guess and
    every evidence query rescanned it (a page's count did not finish in 5 minutes). Two
    subqueries on the trash's few ids each stay small (monitoring.models.alive_report)."""
    for model in (Evidence, ReportEvent):
        sql = str(model.objects.filter(region_id__in=[1]).query)
        assert sql.count("NOT (") == 2, model
        assert " OR " not in sql, model


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_evidence_and_events_are_those_of_the_visible_obligations(cast, username):
    """The gate of files and events is a semi-join on the visible reports (not a join of every
    file to its obligation, which PostgreSQL misjudged at national size): the same rows as the
    executor filter through the report's obligation."""
    from monitoring.rules import visible_obligations_q
    from schools.access import get_scope

    user = cast[username]
    scope = get_scope(user)
    through_obligation = visible_obligations_q(scope, prefix="report__obligation__", region="region_id")
    for model in (Evidence, ReportEvent):
        expected = set(model.objects.filter(through_obligation).values_list("pk", flat=True))
        assert set(model.objects.visible_to(user).values_list("pk", flat=True)) == expected, model
        if username == "tomsk-municipal" and model is Evidence:
            assert expected  # the partial-region branch is exercised on real rows


@pytest.mark.django_db
def test_the_review_queue_keeps_the_rows_of_the_plain_rule(cast):
    """The queue narrows the gate's executors by excluding the visible ones that are not
    reviewable (one list for PostgreSQL to estimate, not two): the rows of gate AND
    ``rules.reviewable_q``, for every role."""
    from monitoring import rules
    from schools.access import get_scope

    Review = ExecutionReport.Review
    for username, user in cast.items():
        scope = get_scope(user)
        plain = Obligation.objects.visible_to(user).filter(
            report__review_state=Review.SUBMITTED, cancelled=False
        )
        if not scope.is_admin:
            plain = plain.filter(rules.reviewable_q(scope))
        assert set(selectors.reviewable(user).values_list("pk", flat=True)) == set(
            plain.values_list("pk", flat=True)
        ), username
    # The curator's branch is exercised on real rows, and it is narrower than what they see.
    curator = cast["tomsk-curator"]
    queue = set(selectors.reviewable(curator).values_list("pk", flat=True))
    seen = Obligation.objects.visible_to(curator).filter(report__review_state=Review.SUBMITTED)
    assert queue and seen.exclude(pk__in=queue).exists()
