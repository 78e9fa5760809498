"""People of a region: invitations with a set-password link, pending list, resend, switch off,
roles, bulk invitations, curator × school grants — and who may do which of it."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import get_perms

from audit.models import AuditEvent
from schools import access, people
from schools.models import Membership, Organization, Region, User
from tests.schools.onboarding_files import xlsx

pytestmark = pytest.mark.django_db

PEOPLE = "/regions/70/setup/people/"


def org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name, region__code="70")


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def invite(client, **fields):
    data = {"op": "invite", "position": "", **fields}
    return client.post(PEOPLE, data)


def test_a_coordinator_invites_and_the_person_sets_a_password_and_is_signed_in(
    client_for, client, django_capture_on_commit_callbacks
):
    coordinator = client_for("tomsk-coordinator")
    school = org("МАОУ СОШ № 28 г. Томска")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            coordinator,
            email="New.Director@school28.ru",
            full_name="Новикова Анна Сергеевна",
            role="director",
            organization=school.pk,
        )
    assert response.status_code == 302
    user = User.objects.get(username="new.director@school28.ru")
    assert user.invitation_pending and not user.has_usable_password()
    assert Membership.objects.filter(user=user, organization=school, role="director").exists()
    assert AuditEvent.objects.filter(action="user_invited", username="tomsk-coordinator").exists()
    assert AuditEvent.objects.filter(action="membership_added", details__member=user.username).exists()
    pending = coordinator.get(PEOPLE + "?pending=1").content.decode()
    assert "Новикова Анна Сергеевна" in pending and "не принял приглашение" in pending

    (message,) = mail.outbox
    assert message.to == ["new.director@school28.ru"]
    assert "Ваше имя для входа: new.director@school28.ru" in message.body
    assert "Ссылка действует 3 дн" in message.body  # PASSWORD_RESET_TIMEOUT (plural forms: test_translation)
    link = invitation_link(message)
    coordinator.logout()
    form = client.get(link, follow=True)
    assert "Задать пароль и войти" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Школа-28-пароль", "new_password2": "Школа-28-пароль"}
    )
    assert done.status_code == 302
    assert client.get("/").context["user"] == user
    user.refresh_from_db()
    assert user.has_usable_password() and not user.invitation_pending
    client.logout()
    assert "недействительна" in client.get(link, follow=True).content.decode()  # used once


def test_resend_sends_a_new_link_and_is_refused_once_accepted(client_for, django_capture_on_commit_callbacks):
    coordinator = client_for("tomsk-coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            coordinator,
            email="curator2@tomsk.ru",
            full_name="Орлова Нина",
            role="curator",
            organization=org("ТОИПКРО").pk,
        )
    user = User.objects.get(username="curator2@tomsk.ru")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(PEOPLE, {"op": "resend", "user": user.pk})
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="invitation_resent").exists()
    user.set_password("x-long-password-1")
    user.save()
    response = coordinator.post(PEOPLE, {"op": "resend", "user": user.pk}, follow=True)
    assert "уже задал(а) пароль" in response.content.decode()
    assert len(mail.outbox) == 2


def test_an_existing_person_gets_the_role_without_a_new_invitation(
    client_for, django_capture_on_commit_callbacks
):
    coordinator = client_for("tomsk-coordinator")
    curator = User.objects.get(username="tomsk-curator")
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            coordinator,
            email=curator.email.upper(),
            full_name="",
            role="curator",
            organization=org("РЦРО").pk,
        )
    assert Membership.objects.filter(user=curator, organization__short_name="РЦРО").exists()
    assert mail.outbox == []


def test_a_wrong_role_for_the_organization_is_a_russian_form_error(client_for):
    coordinator = client_for("tomsk-coordinator")
    response = invite(
        coordinator, email="x@y.ru", full_name="Икс", role="director", organization=org("ТОИПКРО").pk
    )
    assert response.status_code == 200
    assert "нельзя назначить в организации вида" in response.content.decode()
    assert not User.objects.filter(username="x@y.ru").exists()


def test_switching_off_stops_the_login_and_is_audited(client_for, client):
    coordinator = client_for("tomsk-coordinator")
    director = User.objects.get(username="school11-director")
    coordinator.post(PEOPLE, {"op": "deactivate", "user": director.pk})
    director.refresh_from_db()
    assert not director.is_active
    assert AuditEvent.objects.filter(action="user_deactivated", details__user="school11-director").exists()
    coordinator.post(PEOPLE, {"op": "activate", "user": director.pk})
    director.refresh_from_db()
    assert director.is_active


def test_changing_a_role_is_audited(client_for):
    coordinator = client_for("tomsk-coordinator")
    m = Membership.objects.get(user__username="tomsk-curator", role="curator")
    coordinator.post(
        PEOPLE, {"op": "change", "membership": m.pk, "role": "coordinator", "organization": m.organization_id}
    )
    m.refresh_from_db()
    assert m.role == "coordinator"
    assert AuditEvent.objects.filter(action="membership_changed", details__member="tomsk-curator").exists()


# --- a municipal official -------------------------------------------------------------------------


def test_a_municipal_official_invites_directors_of_their_own_schools_only(
    cast, django_capture_on_commit_callbacks
):
    official = cast["tomsk-municipal"]
    own_school = org("МАОУ СОШ № 28 г. Томска")
    other_school = org("МБОУ «Чердатская СОШ»")  # Зырянский район
    with django_capture_on_commit_callbacks(execute=True):
        people.do_invite_person(
            actor=official,
            email="d28@tomsk.ru",
            full_name="Директор",
            role="director",
            organization=own_school,
        )
    assert len(mail.outbox) == 1
    with pytest.raises(PermissionDenied):
        people.do_invite_person(
            actor=official,
            email="d2@tomsk.ru",
            full_name="Директор",
            role="director",
            organization=other_school,
        )
    with pytest.raises(PermissionDenied):
        people.do_invite_person(
            actor=official,
            email="c@tomsk.ru",
            full_name="Куратор",
            role="curator",
            organization=org("ТОИПКРО"),
        )
    assert not User.objects.filter(username__in=["d2@tomsk.ru", "c@tomsk.ru"]).exists()


def test_a_municipal_official_cannot_touch_people_beyond_their_directors(client_for, cast):
    client = client_for("tomsk-municipal")
    page = client.get(PEOPLE).content.decode()
    assert "Морозов" not in page  # the Zyryanka official is not theirs to see
    coordinator = User.objects.get(username="tomsk-coordinator")
    with pytest.raises(PermissionDenied):
        people.do_set_person_active(
            actor=cast["tomsk-municipal"],
            person=coordinator,
            region=Region.objects.get(code="70"),
            active=False,
        )
    cherdaty = User.objects.get(username="cherdaty-director")
    client.post(PEOPLE, {"op": "deactivate", "user": cherdaty.pk})
    cherdaty.refresh_from_db()
    assert cherdaty.is_active  # not reachable: «not found», nothing changed
    own = User.objects.get(username="school28-director")
    client.post(PEOPLE, {"op": "deactivate", "user": own.pk})
    own.refresh_from_db()
    assert not own.is_active


def test_the_people_page_is_not_for_directors_curators_or_another_region(client_for):
    assert client_for("tomsk-director").get(PEOPLE).status_code == 403
    assert client_for("tomsk-curator").get(PEOPLE).status_code == 403
    assert client_for("tomsk-department").post(PEOPLE, {"op": "invite"}).status_code == 403
    assert client_for("tambov-coordinator").get(PEOPLE).status_code == 404
    assert client_for("tambov-coordinator").post(PEOPLE, {"op": "invite"}).status_code == 404


# --- bulk -----------------------------------------------------------------------------------------------

HEADER = ["E-mail", "ФИО", "Роль", "Организация", "Должность"]


def test_bulk_invites_everybody_or_nobody(client_for, django_capture_on_commit_callbacks):
    coordinator = client_for("tomsk-coordinator")
    good = xlsx(
        HEADER,
        [
            ["a1@t.ru", "Первый", "директор", "МАОУ СОШ № 28 г. Томска", ""],
            ["a2@t.ru", "Второй", "куратор", "ТОИПКРО", "методист"],
        ],
    )
    bad = xlsx(
        HEADER,
        [
            ["b1@t.ru", "Первый", "директор", "МАОУ СОШ № 28 г. Томска", ""],
            ["b2@t.ru", "Второй", "завхоз", "Нет такой", ""],
        ],
    )
    response = coordinator.post(PEOPLE, {"op": "bulk", "file": SimpleUploadedFile("p.xlsx", bad)})
    body = response.content.decode()
    assert "строка 3, «Роль»" in body and "строка 3, «Организация»" in body
    assert not User.objects.filter(username="b1@t.ru").exists()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(PEOPLE, {"op": "bulk", "file": SimpleUploadedFile("p.xlsx", good)})
    assert Membership.objects.filter(user__username="a2@t.ru", role="curator", position="методист").exists()
    assert len(mail.outbox) == 2


# --- curators ----------------------------------------------------------------------------------------------


def test_the_grant_table_sets_exactly_the_ticked_pairs(client_for):
    coordinator = client_for("tomsk-coordinator")
    curator = User.objects.get(username="tomsk-curator")
    cherdaty, school28 = org("МБОУ «Чердатская СОШ»"), org("МАОУ СОШ № 28 г. Томска")
    page = coordinator.get("/regions/70/setup/curators/").content.decode()
    assert f'value="{curator.pk}:{cherdaty.pk}" aria-label' in page and "checked" in page
    shown = [cherdaty.pk, school28.pk]
    coordinator.post(
        "/regions/70/setup/curators/", {"grant": [f"{curator.pk}:{school28.pk}"], "shown": shown}
    )
    assert get_perms(curator, school28) == ["curate_school"]
    assert get_perms(curator, cherdaty) == []
    assert (
        org("МБОУ «Михайловская СОШ»").pk in access._build_scope(curator).curated_school_ids
    )  # not shown: kept
    assert AuditEvent.objects.filter(action="curator_granted", object_id=str(school28.pk)).exists()
    assert AuditEvent.objects.filter(action="curator_revoked", object_id=str(cherdaty.pk)).exists()


def test_the_grant_table_refuses_a_school_of_another_region(cast):
    tambov_school = Organization.objects.filter(region__code="68", kind="school").first()
    curator = cast["tomsk-curator"]
    with pytest.raises(ValidationError):
        people.do_set_curator_grants(
            actor=cast["tomsk-coordinator"],
            region=Region.objects.get(code="70"),
            grants=[(curator.pk, tambov_school.pk)],
        )
