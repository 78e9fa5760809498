"""/api/v1/rounds/: the monitoring rounds a quarterly report is ordered for, through the gate."""

import pytest

from monitoring.models import MonitoringRound

pytestmark = pytest.mark.django_db


def test_it_lists_the_regions_rounds_and_filters_them(api, cast):
    client = api("tomsk-coordinator")
    data = client.get("/api/v1/rounds/", {"page_size": 200}).json()
    expected = MonitoringRound.objects.visible_to(cast["tomsk-coordinator"]).count()
    assert data["count"] == expected > 0
    assert {r["region"] for r in data["results"]} == {"70"}
    closed = client.get("/api/v1/rounds/", {"state": "closed"}).json()["results"]
    assert closed and all(r["state"] == "closed" for r in closed)
    one = closed[0]
    assert one["label"].endswith(one["period_start"][:4]) and one["roadmap_title"]
    assert client.get("/api/v1/rounds/", {"state": "half-open"}).status_code == 400
    foreign = MonitoringRound.objects.filter(region__code="68").first()
    assert client.get(f"/api/v1/rounds/{foreign.pk}/").status_code == 404


def test_links_in_bodies_are_absolute_like_next(api, cast):
    from reporting.models import Report

    client = api("tomsk-coordinator")
    done = Report.objects.visible_to(cast["tomsk-coordinator"]).filter(status="done").first()
    body = client.get(f"/api/v1/reports/{done.pk}/").json()
    assert body["download"] == f"http://testserver/api/v1/reports/{done.pk}/download/"
    page = client.get("/api/v1/obligations/", {"page_size": 1}).json()
    assert page["next"].startswith("http://testserver/api/v1/obligations/")
