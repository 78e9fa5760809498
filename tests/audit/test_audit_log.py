"""The audit log: every audited action leaves an event in the right region, and the log is read
through the gate — the administrator sees all, a coordinator their own region, others nothing."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent
from monitoring.models import Evidence, ExecutionReport
from reporting.models import Report
from roadmaps.models import Roadmap
from schools.models import Membership, Organization, Region, User
from tests.audit_factories import make_event
from tests.conftest import PASSWORD
from tests.monitoring_factories import make_obligation

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def test_it_records_a_login_in_the_users_region(client):
    client.post("/accounts/login/", {"username": "tomsk-director", "password": PASSWORD})
    event = last(Action.LOGIN)
    assert event.username == "tomsk-director" and event.user.username == "tomsk-director"
    assert event.region.code == "70" and event.ip_address == "127.0.0.1"


def test_it_records_a_failed_login_for_the_attacked_accounts_region(client):
    client.post("/accounts/login/", {"username": "tambov-coordinator", "password": "wrong"})
    event = last(Action.LOGIN_FAILED)
    assert event.username == "tambov-coordinator" and event.region.code == "68"
    assert event.details["locked"] is False


def test_it_records_a_failed_login_for_an_unknown_name_without_a_region(client):
    client.post("/admin/login/", {"username": "no-such-user", "password": "wrong"})
    event = last(Action.LOGIN_FAILED)
    assert event.username == "no-such-user" and event.user is None and event.region is None
    assert event.details["path"] == "/admin/login/"


def test_it_records_a_lockout_once(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post("/accounts/login/", {"username": "tomsk-director", "password": "wrong"})
    lockouts = AuditEvent.objects.filter(action=Action.LOCKOUT)
    assert lockouts.count() == 1
    assert lockouts.get().region.code == "70" and lockouts.get().username == "tomsk-director"


def test_it_records_membership_changes_with_the_region(cast):
    school = Organization.objects.filter(region__code="68", kind=Organization.Kind.SCHOOL).first()
    user = User.objects.create_user("new-director", password=PASSWORD)
    m = Membership.objects.create(user=user, organization=school, role=Membership.Role.DIRECTOR)
    added = last(Action.MEMBERSHIP_ADDED)
    assert added.region.code == "68" and added.details["member"] == "new-director"
    m.position = "директор"
    m.save()
    assert last(Action.MEMBERSHIP_CHANGED).object_id == str(m.pk)
    m.delete()
    removed = last(Action.MEMBERSHIP_REMOVED)
    assert removed.region.code == "68" and removed.details["role"] == "director"


def test_it_records_who_granted_and_withdrew_a_curator(client_for, cast):
    school = Organization.objects.filter(region__code="70", kind=Organization.Kind.SCHOOL).first()
    curator = Membership.objects.filter(region__code="70", role=Membership.Role.CURATOR).first().user
    client = client_for("tomsk-coordinator")
    url = f"/organizations/{school.pk}/curators/"
    client.post(url, {"curator": curator.pk, "action": "unassign"})  # start from no grant
    client.post(url, {"curator": curator.pk, "action": "assign"})
    granted = last(Action.CURATOR_GRANTED)
    assert granted.user == cast["tomsk-coordinator"] and granted.region.code == "70"
    assert granted.object_id == str(school.pk) and granted.details["curator"] == curator.username
    client.post(url, {"curator": curator.pk, "action": "unassign"})
    revoked = last(Action.CURATOR_REVOKED)
    assert revoked.user == cast["tomsk-coordinator"] and revoked.object_id == str(school.pk)


def test_it_records_report_and_evidence_downloads(client_for, cast):
    client = client_for("tomsk-coordinator")
    report = Report.objects.filter(region__code="70", status=Report.Status.DONE).exclude(file="").first()
    assert client.get(f"/reports/{report.pk}/download/").status_code == 200
    event = last(Action.DOWNLOAD)
    assert event.user == cast["tomsk-coordinator"] and event.region.code == "70"
    assert event.object_type == "reporting.Report" and event.object_id == str(report.pk)

    obligation = make_obligation("70")
    evidence = Evidence.objects.create(
        region=obligation.region,
        report=ExecutionReport.objects.get_or_create(
            obligation=obligation, defaults={"region": obligation.region}
        )[0],
        kind="file",
        original_name="приказ.pdf",
        content_type="application/pdf",
        file=ContentFile(b"%PDF-1.4 test", name="order.pdf"),
    )
    assert client.get(f"/evidence/{evidence.pk}/download/").status_code == 200
    event = last(Action.DOWNLOAD)
    assert event.object_type == "monitoring.Evidence" and event.region.code == "70"
    assert event.details["filename"] == "приказ.pdf"


def test_it_records_roadmap_exports(client_for, cast):
    roadmap = Roadmap.objects.filter(region__code="68").first()
    client = client_for("tambov-coordinator")
    assert client.get(f"/roadmaps/{roadmap.pk}/export.xlsx").status_code == 200
    event = last(Action.EXPORT)
    assert event.user == cast["tambov-coordinator"] and event.region.code == "68"
    assert event.object_type == "roadmaps.Roadmap" and event.details["format"] == "xlsx"


def test_a_coordinator_reads_only_their_own_regions_events(client_for):
    tomsk, tambov = make_event("70"), make_event("68")
    client = client_for("tomsk-coordinator")
    page = client.get("/audit/")
    assert page.status_code == 200
    shown = {e.pk for e in page.context["page"].object_list}
    assert tomsk.pk in shown and tambov.pk not in shown
    assert tambov.object_label not in page.content.decode()
    assert client.get(f"/audit/{tomsk.pk}/").status_code == 200
    assert client.get(f"/audit/{tambov.pk}/").status_code == 404


def test_the_administrator_reads_every_region_and_events_without_one(client_for):
    events = [make_event("70"), make_event("68"), AuditEvent.objects.create(action=Action.LOGIN_FAILED)]
    page = client_for("admin").get("/audit/", {"page": 1})
    shown = {e.pk for e in page.context["page"].object_list}
    assert {e.pk for e in events} <= shown


@pytest.mark.parametrize("username", ["tomsk-director", "tomsk-department", "tomsk-curator"])
def test_other_roles_get_no_access(client_for, username):
    if not User.objects.filter(username=username).exists():
        pytest.fail(f"в демо-данных нет пользователя {username}")
    client = client_for(username)
    event = make_event("70")
    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/{event.pk}/").status_code == 404
    assert AuditEvent.objects.visible_to(User.objects.get(username=username)).count() == 0


def test_it_filters_by_action_user_and_date(client_for):
    region = Region.objects.get(code="70")
    old = make_event("70", action=Action.EXPORT, username="alice")
    AuditEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    recent = make_event("70", action=Action.EXPORT, username="bob")
    other = make_event("70", action=Action.DOWNLOAD, username="bob")
    client = client_for("tomsk-coordinator")

    def shown(**params) -> set[int]:
        return {e.pk for e in client.get("/audit/", params).context["page"].object_list}

    assert recent.pk in shown(action="export") and other.pk not in shown(action="export")
    assert shown(action="export", user="alice") == {old.pk}
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    in_week = shown(action="export", date_from=since)
    assert recent.pk in in_week and old.pk not in in_week
    response = client.get("/audit/", {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "поменяйте их местами" in response.content.decode()
    assert region.pk == recent.region_id


def test_it_pages_the_list(client_for):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=Action.LOGIN, region=Region.objects.get(code="70")) for _ in range(60)]
    )
    client = client_for("tomsk-coordinator")
    first = client.get("/audit/")
    assert len(first.context["page"].object_list) == 50 and first.context["page"].has_next()
    assert client.get("/audit/", {"page": 2}).context["page"].number == 2


def test_the_list_costs_the_same_queries_for_few_and_many_events(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    region = Region.objects.get(code="70")
    client = client_for("tomsk-coordinator")
    client.get("/audit/")  # warm the session and the scope

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/audit/").status_code == 200
        return len(ctx.captured_queries)

    AuditEvent.objects.bulk_create([AuditEvent(action=Action.LOGIN, region=region) for _ in range(3)])
    few = queries()
    AuditEvent.objects.bulk_create([AuditEvent(action=Action.EXPORT, region=region) for _ in range(47)])
    assert queries() == few


def test_it_records_who_removed_a_membership_in_the_admin(client_for, cast):
    m = Membership.objects.filter(region__code="68", role=Membership.Role.DIRECTOR).first()
    response = client_for("admin").post(f"/admin/schools/membership/{m.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=m.pk).exists()
    removed = last(Action.MEMBERSHIP_REMOVED)
    assert removed.user == cast["admin"] and removed.region.code == "68"
    assert removed.object_id == str(m.pk) and removed.ip_address == "127.0.0.1"
