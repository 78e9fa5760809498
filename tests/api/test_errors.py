"""Errors a program can branch on: JSON for every route under /api/, 404 before 405 before 403."""

import pytest

from monitoring.models import Obligation

pytestmark = pytest.mark.django_db


def test_it_answers_json_404_for_a_non_numeric_id_and_an_unknown_route(api):
    client = api("tomsk-coordinator")
    for url in ("/api/v1/obligations/abc/", "/api/v1/no-such-thing/", "/api/v2/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json()["detail"] == "Не найдено."


def test_it_answers_405_for_a_method_the_route_does_not_take(api):
    own = Obligation.objects.filter(region__code="70").first()
    response = api("tomsk-coordinator").delete(f"/api/v1/obligations/{own.pk}/")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_it_answers_404_not_405_for_another_regions_object(api):
    foreign = Obligation.objects.filter(region__code="68").first()
    assert api("tomsk-coordinator").delete(f"/api/v1/obligations/{foreign.pk}/").status_code == 404


def test_a_read_only_role_writing_still_gets_403(api):
    own = Obligation.objects.filter(region__code="70").first()
    response = api("tomsk-department").post(f"/api/v1/obligations/{own.pk}/submit/")
    assert response.status_code == 403
