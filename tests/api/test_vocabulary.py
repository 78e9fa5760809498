"""One vocabulary: ``execution_status`` is what the executor reported and ``review_state`` the
review, in filters and bodies alike; a body key an operation does not take is a 400, not ignored."""

import pytest

from monitoring.models import ExecutionReport, Obligation

pytestmark = pytest.mark.django_db


def _municipal_obligation() -> Obligation:
    return Obligation.objects.filter(
        executor__short_name="УО Зырянского района", report__isnull=True, cancelled=False
    ).first()


def test_bodies_and_filters_use_execution_status_and_review_state(api, cast):
    obligation = _municipal_obligation()
    client = api("zyryanka-municipal")
    saved = client.post(
        f"/api/v1/obligations/{obligation.pk}/report/", {"execution_status": "partial"}, "application/json"
    )
    assert saved.status_code == 200, saved.content
    report = saved.json()["report"]
    assert report["execution_status"] == "partial" and report["review_state"] == "draft"
    assert "status" not in report
    assert {"execution_status", "review_state"} <= set(report["events"][0])
    assert "status" not in report["events"][0]
    listed = client.get("/api/v1/obligations/", {"execution_status": "partial", "review_state": "draft"})
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert rows[obligation.pk]["report"]["execution_status"] == "partial"
    assert all(r["report"]["execution_status"] == "partial" for r in rows.values())
    by_report = api("tomsk-coordinator").get(
        "/api/v1/execution-reports/", {"execution_status": "partial", "review_state": "draft"}
    )
    assert all(
        r["execution_status"] == "partial" and r["review_state"] == "draft"
        for r in by_report.json()["results"]
    )


def test_the_old_name_in_a_body_is_refused_not_ignored(api):
    obligation = _municipal_obligation()
    client = api("zyryanka-municipal")
    for action in ("report", "submit"):
        response = client.post(
            f"/api/v1/obligations/{obligation.pk}/{action}/", {"status": "done"}, "application/json"
        )
        assert response.status_code == 400, action
        assert "execution_status" in response.json()["fields"]["status"][0]
    assert not ExecutionReport.objects.filter(obligation=obligation).exists()


def test_a_report_order_with_a_field_of_another_kind_is_refused(api, cast):
    from monitoring.models import MonitoringRound

    round_ = MonitoringRound.objects.visible_to(cast["tomsk-coordinator"]).first()
    response = api("tomsk-coordinator").post(
        "/api/v1/reports/", {"kind": "quarterly", "round": round_.pk, "school": 1}, "application/json"
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["school"]


def test_answers_with_an_unknown_top_level_key_are_refused(api, cast):
    from questionnaires.models import Assignment

    director = cast["tomsk-director"]
    assignment = next(a for a in Assignment.objects.visible_to(director) if not a.is_locked())
    response = api("tomsk-director").post(
        f"/api/v1/assignments/{assignment.pk}/save/", {"answer": {}}, "application/json"
    )
    assert response.status_code == 400 and list(response.json()["fields"]) == ["answer"]
