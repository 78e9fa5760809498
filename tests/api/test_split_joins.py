"""The API's lists read each page's rows and the tables they show apart (core/paging.py,
``SplitJoinPaginator``): every list gives, for every demo user and every page, the very JSON the
joined read gave (``DeferredJoinPaginator``), and the responses' and answers' access rule with the
assignment's own region names the same rows as the rule it replaced."""

import pytest
from django.db.models import Q

from core.pagination import Pagination
from core.paging import DeferredJoinPaginator, SplitJoinPaginator
from questionnaires import rules
from questionnaires.models import Answer, Response
from schools import access
from tests.monitoring.test_region_first import PAGES

# Every API list the two-size query-count test opens.
LISTS = [url for url in PAGES if url.startswith("/api/")]


# Lists a reader of the whole country must cut to a region (schools/focus.py): read for Tomsk.
REGION_NAMED = {"/api/v1/obligations/", "/api/v1/execution-reports/", "/api/v1/evidence/"}


def _pages(client, url: str, *, region: str | None = None) -> list:
    """The first pages of the list at 7 rows a page (up to three; a short last one where the list ends)."""
    pages, page = [], 1
    extra = {"region": region} if region else {}
    while True:
        response = client.get(url, {"page_size": 7, "page": page, **extra})
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        pages.append(body["results"])
        if not body["next"] or page >= 3:
            return pages
        page += 1


@pytest.mark.django_db
def test_every_list_gives_the_json_the_joined_read_gave(client, cast, monkeypatch):
    assert Pagination.django_paginator_class is SplitJoinPaginator
    users = [u for name, u in sorted(cast.items()) if u.is_active]
    assert len(users) > 5
    compared = 0
    for user in users:
        client.force_login(user)
        country = user.is_superuser or user.federal_viewer
        for url in LISTS:
            region = "70" if country and url in REGION_NAMED else None
            monkeypatch.setattr(Pagination, "django_paginator_class", SplitJoinPaginator)
            split = _pages(client, url, region=region)
            monkeypatch.setattr(Pagination, "django_paginator_class", DeferredJoinPaginator)
            joined = _pages(client, url, region=region)
            assert split == joined, (user.username, url)
            compared += sum(len(p) for p in split)
    assert compared > 500


def _old_assignment_q(scope, prefix: str = "") -> Q:
    """The rule before the assignment's own region was named (questionnaires/rules.py)."""
    q = Q(region_id__in=scope.full_region_ids)
    partial = rules._partial_region_ids(scope)
    if not partial:
        return q
    if municipal := rules._municipal_org_ids(scope):
        q |= Q(region_id__in=partial, **{f"{prefix}school_id__in": municipal})
    if individual := rules._individual_school_ids(scope):
        q |= Q(
            region_id__in=partial,
            **{
                f"{prefix}school_id__in": individual,
                f"{prefix}questionnaire_id__in": rules._published_ids(scope),
            },
        )
    return q


@pytest.mark.django_db
def test_responses_and_answers_are_the_rows_of_the_rule_they_replace(cast):
    seen = 0
    for user in cast.values():
        scope = access.get_scope(user)
        if scope.is_admin or scope.is_anonymous:
            continue
        for model, prefix in ((Response, "assignment__"), (Answer, "response__assignment__")):
            got = set(model.objects.visible_to(user).values_list("pk", flat=True))
            expected = set(
                model.objects.filter(_old_assignment_q(scope, prefix)).values_list("pk", flat=True)
            )
            assert got == expected, (user.username, model.__name__)
            seen += len(got)
    assert seen
