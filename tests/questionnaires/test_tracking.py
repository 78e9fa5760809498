"""Assigning, tracking, reminders (button, automatic day-before run, command), access by role."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from questionnaires import services
from questionnaires.models import Assignment, Questionnaire, Response
from schools.models import Organization, SchoolStatus, User
from tests.questionnaire_factories import make_questionnaire

pytestmark = pytest.mark.django_db


def demo_round() -> Questionnaire:
    return Questionnaire.objects.get(is_template=False, owner__short_name="МАУ ИМЦ")


def test_it_assigns_by_municipality_and_status_through_the_page(client_for):
    template = Questionnaire.objects.get(is_template=True)
    client = client_for("tomsk-municipal")
    copy_url = client.post(f"/questionnaires/{template.pk}/copy/")["Location"]
    copy = Questionnaire.objects.get(pk=copy_url.strip("/").split("/")[-1])
    client.post(f"/questionnaires/{copy.pk}/status/", {"status": "published"})
    page = client.get(f"/questionnaires/{copy.pk}/assign/", {"category": "shnor", "year": "2020"})
    schools = page.context["schools"]
    assert len(schools) == 7 and page.context["ticked"] == {s.pk for s in schools}
    deadline = services.region_today(copy.region) + dt.timedelta(days=7)
    response = client.post(
        f"/questionnaires/{copy.pk}/assign/",
        {"school": [s.pk for s in schools], "deadline": deadline.isoformat()},
    )
    assert response.status_code == 302
    assert copy.assignments.count() == 7
    assert set(copy.assignments.values_list("deadline", flat=True)) == {deadline}


def test_it_refuses_templates_past_deadlines_and_other_municipalities(cast):
    template = Questionnaire.objects.get(is_template=True)
    school5 = Organization.objects.get(short_name="МАОУ СОШ № 5 им. А.К. Ерохина г. Томска")
    cherdaty = Organization.objects.get(short_name="МБОУ «Чердатская СОШ»")
    future = services.region_today(template.region) + dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        services.do_assign(
            actor=cast["tomsk-municipal"], questionnaire=template, schools=[school5], deadline=future
        )
    q = demo_round()
    with pytest.raises(ValidationError):
        services.do_assign(
            actor=cast["tomsk-municipal"],
            questionnaire=q,
            schools=[school5],
            deadline=future - dt.timedelta(days=30),
        )
    with pytest.raises(ValidationError):
        services.do_assign(
            actor=cast["tomsk-municipal"], questionnaire=q, schools=[cherdaty], deadline=future
        )
    with pytest.raises(PermissionDenied):
        services.do_assign(
            actor=cast["tomsk-department"], questionnaire=q, schools=[school5], deadline=future
        )
    services.do_assign(actor=cast["tomsk-coordinator"], questionnaire=q, schools=[cherdaty], deadline=future)


def test_tracking_counts_each_state(client_for):
    q = demo_round()
    page = client_for("tomsk-municipal").get(f"/questionnaires/{q.pk}/tracking/")
    assert page.context["counts"] == {"not_started": 5, "draft": 1, "submitted": 1}
    drafts = client_for("tomsk-municipal").get(f"/questionnaires/{q.pk}/tracking/", {"state": "draft"})
    assert [a.school.short_name for a in drafts.context["page"]] == ["МАОУ СОШ № 28 г. Томска"]


def test_a_municipality_tracks_only_its_schools(client_for, cast):
    q = demo_round()
    cherdaty = Organization.objects.get(short_name="МБОУ «Чердатская СОШ»")
    services.do_assign(
        actor=cast["tomsk-coordinator"],
        questionnaire=q,
        schools=[cherdaty],
        deadline=services.region_today(q.region) + dt.timedelta(days=3),
    )
    assert client_for("tomsk-coordinator").get(f"/questionnaires/{q.pk}/tracking/").context["total"] == 8
    assert client_for("tomsk-municipal").get(f"/questionnaires/{q.pk}/tracking/").context["total"] == 7
    zyr = client_for("zyryanka-municipal").get(f"/questionnaires/{q.pk}/tracking/")
    assert zyr.context["total"] == 1
    a5 = q.assignments.get(school__short_name__startswith="МАОУ СОШ № 11")
    assert client_for("zyryanka-municipal").get(f"/questionnaires/assignments/{a5.pk}/").status_code == 404
    assert client_for("cherdaty-director").get(f"/questionnaires/assignments/{a5.pk}/").status_code == 404
    assert client_for("tomsk-curator").get(f"/questionnaires/assignments/{a5.pk}/").status_code == 404
    own = q.assignments.get(school=cherdaty)
    assert client_for("tomsk-curator").get(f"/questionnaires/assignments/{own.pk}/").status_code == 200


def test_a_read_only_role_cannot_remind_or_reopen(client_for):
    q = demo_round()
    client = client_for("tomsk-department")
    assert client.get(f"/questionnaires/{q.pk}/tracking/").status_code == 200
    assert client.post(f"/questionnaires/{q.pk}/remind/").status_code == 403
    a = q.assignments.first()
    assert (
        client.post(f"/questionnaires/assignments/{a.pk}/reopen/", {"until": "2030-01-01"}).status_code == 403
    )


def test_the_reminder_button_mails_directors_who_have_not_submitted(
    client_for, mailoutbox, django_capture_on_commit_callbacks
):
    q = demo_round()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("tomsk-municipal").post(f"/questionnaires/{q.pk}/remind/")
    assert response.status_code == 302
    # СОШ № 11 already submitted; the other six directors are reminded.
    assert sorted(m.to[0] for m in mailoutbox) == unsubmitted_directors(q)
    assert len(mailoutbox) == 6
    assert "Напоминание" in mailoutbox[0].subject and "/questionnaires/assignments/" in mailoutbox[0].body
    assert q.assignments.filter(reminder_sent_at__isnull=False).count() == 6


def test_the_automatic_reminder_goes_the_day_before_once_and_respects_opt_out(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    q = demo_round()
    tomorrow = services.region_today(q.region) + dt.timedelta(days=1)
    Assignment.objects.filter(questionnaire=q).update(deadline=tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_questionnaire_reminders", stdout=open("/dev/null", "w"))
    assert sorted(m.to[0] for m in mailoutbox) == unsubmitted_directors(q)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.do_send_due_reminders() == 0  # claimed once
    User.objects.filter(username="tomsk-director").update(email_reminders=False)
    Assignment.objects.filter(questionnaire=q).update(auto_reminder_sent_at=None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.do_send_due_reminders() == 6
    recipients = {m.to[0] for m in mailoutbox}
    assert "school5@tomsk.demo" not in recipients  # opted out
    assert recipients == set(unsubmitted_directors(q)) - {"school5@tomsk.demo"}


def unsubmitted_directors(questionnaire) -> list[str]:
    from schools.models import Membership

    schools = questionnaire.assignments.exclude(response__status="submitted").values("school_id")
    return sorted(
        Membership.objects.filter(role="director", organization_id__in=schools).values_list(
            "user__email", flat=True
        )
    )


def test_the_tracking_page_keeps_a_flat_query_count(client_for, cast, django_assert_max_num_queries):
    q = demo_round()
    client = client_for("tomsk-coordinator")
    with django_assert_max_num_queries(30) as small:
        client.get(f"/questionnaires/{q.pk}/tracking/")
    extra = Organization.objects.filter(region__code="70", kind="school").exclude(
        questionnaire_assignments__questionnaire=q
    )
    services.do_assign(
        actor=cast["tomsk-coordinator"],
        questionnaire=q,
        schools=list(extra[:15]),
        deadline=services.region_today(q.region) + dt.timedelta(days=3),
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(f"/questionnaires/{q.pk}/tracking/")
    assert page.context["total"] > 7


def test_the_director_sees_the_questionnaire_on_the_dashboard(client_for):
    body = client_for("tomsk-director").get("/").content.decode()
    assert "Анкета: Выполнение Дорожной карты" in body and "не начата" in body
    assert "Анкета:" not in client_for("cherdaty-director").get("/").content.decode()


def test_status_filter_matches_the_seed_schools():
    assert (
        SchoolStatus.objects.filter(
            school__municipality__name="Город Томск", year=2020, category="shnor"
        ).count()
        == 7
    )
    assert Response.objects.filter(assignment__questionnaire=demo_round()).count() == 2
    assert make_questionnaire("68").region.code == "68"
