"""The responses' answers and chosen options are read for the page once it is cut, within its
regions and without the gate (``questionnaires.selectors.prefetch_answers``): for every demo user
the list's pages and each response give the JSON the gated prefetch of every answer and option gave."""

import pytest
from django.db.models import Prefetch, QuerySet

from questionnaires import selectors
from questionnaires.api import ResponseViewSet
from questionnaires.models import Answer, Option, Response
from schools.gate import GatedViewSet


def _gated_prefetch(self: ResponseViewSet) -> QuerySet:
    """The rule before: every answer and option through the access gate, prefetched on the list."""
    user = self.request.user
    answers = Answer.objects.visible_to(user).order_by("response_id", "question__position", "pk")
    options = Option.objects.visible_to(user).order_by("position", "pk")
    return GatedViewSet.get_queryset(self).prefetch_related(
        Prefetch("answers", queryset=answers), Prefetch("answers__selected_options", queryset=options)
    )


def _read(client, user) -> list:
    """The first three pages of the list at 5 a page and every response on them."""
    country = user.is_superuser or user.federal_viewer
    extra = {"region": "70"} if country else {}
    out = []
    for page in (1, 2, 3):
        response = client.get("/api/v1/responses/", {"page_size": 5, "page": page, **extra})
        if response.status_code == 404:
            break
        assert response.status_code == 200, (user.username, response.status_code)
        body = response.json()
        out.append(body["results"])
        for row in body["results"]:
            out.append(client.get(f"/api/v1/responses/{row['id']}/").json())
        if not body["next"]:
            break
    return out


@pytest.mark.django_db
def test_it_gives_the_json_of_the_gated_prefetch_for_every_user(client, cast, monkeypatch):
    assert Answer.selected_options.through.objects.exists()  # choices are compared on real rows
    users = [u for _, u in sorted(cast.items()) if u.is_active]
    chosen = 0
    for user in users:
        client.force_login(user)
        now = _read(client, user)
        with monkeypatch.context() as patch:
            patch.setattr(ResponseViewSet, "get_queryset", _gated_prefetch)
            patch.setattr(selectors, "prefetch_answers", lambda responses: None)
            before = _read(client, user)
        assert now == before, user.username
        chosen += sum(
            len(answer["selected_options"])
            for part in now
            for row in (part if isinstance(part, list) else [part])
            for answer in row["answers"]
        )
    assert chosen


@pytest.mark.django_db
def test_it_reads_a_page_of_responses_in_a_fixed_number_of_queries(cast, django_assert_num_queries):
    responses = list(Response.objects.order_by("pk")[:5])
    assert any(r.answers.exists() for r in responses)
    with django_assert_num_queries(2):
        selectors.prefetch_answers(responses)
    with django_assert_num_queries(0):
        for response in responses:
            for answer in response.answers.all():
                list(answer.selected_options.all())


def _saved_through_the_api(api, assignment, answers: dict) -> tuple[int, dict]:
    """Queries of one «save» of the API and the response it answers with."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api("tomsk-director")
    client.post(
        f"/api/v1/assignments/{assignment.pk}/save/", {"answers": answers}, "application/json"
    )  # warm
    with CaptureQueriesContext(connection) as captured:
        saved = client.post(
            f"/api/v1/assignments/{assignment.pk}/save/", {"answers": answers}, "application/json"
        )
    assert saved.status_code == 200, saved.content
    return len(captured), saved.json()


def test_the_api_answers_a_save_with_the_response_in_the_same_queries_whatever_the_number_of_answers(api):
    """The response a save or a submit answers with reads its answers and their chosen options
    once (``selectors.prefetch_answers``), not the options answer by answer."""
    from questionnaires import services
    from questionnaires.models import Questionnaire
    from tests.questionnaire_factories import (
        add_questions,
        director_school,
        make_assignment,
        make_questionnaire,
    )

    small_q = make_questionnaire("70")
    first = small_q.questions.order_by("position").first()
    small, small_json = _saved_through_the_api(
        api, make_assignment(small_q, director_school("70")), {f"q{first.pk}": [first.options.first().pk]}
    )
    large_q = make_questionnaire("70", publish=False)
    answers = add_questions(large_q, 8)
    services.do_set_status(actor=None, questionnaire=large_q, status=Questionnaire.Status.PUBLISHED)
    large, large_json = _saved_through_the_api(api, make_assignment(large_q, director_school("70")), answers)
    assert len(large_json["answers"]) == 8 and all(
        len(a["selected_options"]) == 2 for a in large_json["answers"]
    )
    assert large == small, (small, large)
