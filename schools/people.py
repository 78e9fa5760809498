"""People of a region: invitations, roles, deactivation, curator grants.

The coordinator brings in everybody of the region; a municipal official may invite (and manage)
directors of the schools of their own municipality and nobody else. An invited person gets a
link to choose a password (Django's password-reset token machinery, so the link stops working
once a password is set); until then they are «не принял приглашение». Memberships and curator
grants are audited by the audit log's model-signal receivers; invitations, resends and
(de)activation by ``schools.signals.hierarchy_changed``.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from guardian.shortcuts import assign_perm, remove_perm

from schools import access, signals
from schools import vocabulary as V
from schools.matching import fold
from schools.models import Membership, Organization, Region, User
from schools.tables import Column, Table

Role = Membership.Role
School = Organization.Kind.SCHOOL


# --- Who may do what to whom -------------------------------------------------------------------


def may_invite_into(actor: User, *, role: str, organization: Organization) -> bool:
    scope = access.get_scope(actor)
    if scope.may_manage(organization.region_id):
        return True
    return (
        role == Role.DIRECTOR
        and organization.kind == School
        and organization.municipality_id in scope.municipality_ids
    )


def may_manage_person(actor: User, *, person: User, region: Region) -> bool:
    """Coordinator: anybody with a role in the region. Municipal official: only a person whose
    every role anywhere is a director's in a school of the official's municipality."""
    scope = access.get_scope(actor)
    roles = list(Membership.objects.filter(user=person).select_related("organization"))
    if not any(m.region_id == region.pk for m in roles):
        return False
    if scope.may_manage(region.pk):
        return True
    return all(may_invite_into(actor, role=m.role, organization=m.organization) for m in roles)


def _require_person(actor: User, person: User, region: Region) -> None:
    if person.is_superuser or not may_manage_person(actor, person=person, region=region):
        raise PermissionDenied(_("Этого пользователя вы изменять не можете."))


def invitable_roles(actor: User, region: Region) -> list[tuple[str, str]]:
    if access.get_scope(actor).may_manage(region.pk):
        return list(Role.choices)
    return [(Role.DIRECTOR.value, str(Role.DIRECTOR.label))]


# --- Invitations --------------------------------------------------------------------------------


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation-accept", args=[uid, default_token_generator.make_token(user)])


def _send_invitation(user_id: int, inviter_name: str, region_name: str) -> None:
    user = User.objects.get(pk=user_id)
    link = settings.PORTAL_URL + invitation_path(user)
    body = _(
        "Здравствуйте!\n\n%(inviter)s приглашает вас на портал исполнения дорожных карт (%(region)s).\n"
        "Ваше имя для входа: %(username)s\n\n"
        "Чтобы задать пароль и войти, откройте ссылку:\n%(link)s\n\n"
    ) % {"inviter": inviter_name, "region": region_name, "username": user.username, "link": link}
    # Django's reset token: valid PASSWORD_RESET_TIMEOUT and only until the password is set.
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body += ngettext(
        "Ссылка действует %(n)s день и только до того, как пароль задан. "
        "Если она устарела, попросите прислать приглашение ещё раз.",
        "Ссылка действует %(n)s дней и только до того, как пароль задан. "
        "Если она устарела, попросите прислать приглашение ещё раз.",
        days,
    ) % {"n": days}
    send_mail(_("Приглашение на портал дорожных карт"), body, None, [user.email])


def _queue_invitation(user: User, actor: User | None, region: Region) -> None:
    inviter = str(actor) if actor is not None else _("Администратор портала")
    transaction.on_commit(lambda: _send_invitation(user.pk, inviter, region.name))


@transaction.atomic
def do_invite_person(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    organization: Organization,
    position: str = "",
) -> Membership:
    """Give ``email`` a role in ``organization``; a new person gets an invitation to choose a
    password, somebody already on the portal just gets the role."""
    if actor is not None:
        access.require(actor, access.Action.INVITE_PEOPLE, organization.region)
        if not may_invite_into(actor, role=role, organization=organization):
            raise PermissionDenied(_("Вы можете приглашать только руководителей школ своего муниципалитета."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("«%(value)s» не похоже на адрес e-mail.") % {"value": email}}
        ) from exc
    if role not in Role.values:
        raise ValidationError({"role": _("Выберите роль из списка.")})
    user = (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).first()
    )
    created = user is None
    if created:
        if not (full_name or "").strip():
            raise ValidationError({"full_name": _("Укажите ФИО приглашаемого.")})
        user = User(
            username=email,
            email=email,
            full_name=full_name.strip()[:200],
            invited_at=timezone.now(),
            invited_by=actor,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif Membership.objects.filter(user=user, organization=organization, role=role).exists():
        raise ValidationError(
            _("У %(name)s уже есть эта роль в «%(org)s».") % {"name": user, "org": organization.short_name}
        )
    membership = Membership(
        user=user,
        organization=organization,
        region=organization.region,
        role=role,
        position=(position or "").strip()[:200],
    )
    membership.full_clean()
    membership.save()
    access.forget_scope(user)
    if created or user.invitation_pending:
        _queue_invitation(user, actor, organization.region)
        signals.hierarchy_changed.send(
            sender=User,
            action=signals.USER_INVITED,
            obj=membership,
            actor=actor,
            details={"email": email, "role": role, "organization": organization.short_name},
        )
    return membership


@transaction.atomic
def do_resend_invitation(*, actor: User, person: User, region: Region) -> None:
    access.require(actor, access.Action.INVITE_PEOPLE, region)
    _require_person(actor, person, region)
    if not person.invitation_pending:
        raise ValidationError(_("%(name)s уже задал(а) пароль: приглашение не нужно.") % {"name": person})
    if not person.is_active:
        raise ValidationError(_("Пользователь отключён: сначала включите его."))
    person.invited_at = timezone.now()
    person.save(update_fields=["invited_at"])
    _queue_invitation(person, actor, region)
    signals.hierarchy_changed.send(
        sender=User,
        action=signals.INVITATION_RESENT,
        obj=region,
        actor=actor,
        details={"email": person.email},
    )


@transaction.atomic
def do_set_person_active(*, actor: User, person: User, region: Region, active: bool) -> None:
    """Switch a person off (they cannot sign in; their history stays) or back on."""
    access.require(actor, access.Action.INVITE_PEOPLE, region)
    _require_person(actor, person, region)
    if person.pk == actor.pk:
        raise ValidationError(_("Нельзя отключить самого себя."))
    if not active and Membership.objects.filter(user=person).exclude(region=region).exists():
        raise ValidationError(
            _(
                "У %(name)s есть роли в другом регионе: снимите роли этого региона, а не отключайте пользователя."
            )
            % {"name": person}
        )
    if person.is_active == active:
        return
    person.is_active = active
    person.save(update_fields=["is_active"])
    signals.hierarchy_changed.send(
        sender=User,
        action=signals.USER_REACTIVATED if active else signals.USER_DEACTIVATED,
        obj=region,
        actor=actor,
        details={"user": person.username},
    )


@transaction.atomic
def do_change_role(
    *, actor: User, membership: Membership, role: str, organization: Organization
) -> Membership:
    access.require(actor, access.Action.INVITE_PEOPLE, membership.region)
    _require_person(actor, membership.user, membership.region)
    if organization.region_id != membership.region_id:
        raise ValidationError({"organization": _("Организация относится к другому региону.")})
    if not may_invite_into(actor, role=role, organization=organization):
        raise PermissionDenied(_("Вы можете назначать только руководителей школ своего муниципалитета."))
    if (
        Membership.objects.filter(user=membership.user, organization=organization, role=role)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("Такая роль у пользователя уже есть."))
    membership.role, membership.organization = role, organization
    membership.full_clean()
    membership.save()
    access.forget_scope(membership.user)
    return membership


@transaction.atomic
def do_remove_role(*, actor: User, membership: Membership) -> None:
    access.require(actor, access.Action.INVITE_PEOPLE, membership.region)
    _require_person(actor, membership.user, membership.region)
    membership.delete()


# --- Bulk invitations from a spreadsheet ---------------------------------------------------------

PEOPLE_COLUMNS = (
    Column("email", gettext_lazy("E-mail"), V.HEADER_SYNONYMS["email"], True),
    Column("full_name", gettext_lazy("ФИО"), V.HEADER_SYNONYMS["full_name"], True),
    Column("role", gettext_lazy("Роль"), (), True),
    Column("organization", gettext_lazy("Организация"), V.HEADER_SYNONYMS["organization"], True),
    Column("position", gettext_lazy("Должность"), ()),
)


def _role_of(text: str) -> str | None:
    t = " ".join(V.fold_letters(text).split())
    if t in V.ROLE_WORDS:
        return V.ROLE_WORDS[t]
    for value, label in Role.choices:
        if t in (value, str(label).lower()):
            return value
    return None


@transaction.atomic
def do_invite_from_table(*, actor: User, region: Region, table: Table) -> list[Membership]:
    """Invite every row of ``table`` or nobody: problems are listed by row and column."""
    from schools.onboarding import _Problems, refuse_with_problems

    access.require(actor, access.Action.INVITE_PEOPLE, region)
    header = {c.key: table.headers.get(c.key, c.header) for c in PEOPLE_COLUMNS}
    orgs = list(Organization.objects.filter(region=region))
    by_key = {o.external_code: o for o in orgs if o.external_code}
    by_key.update({fold(o.short_name): o for o in orgs})
    problems = _Problems()
    planned = []
    for number, raw in table.rows:
        bad = len(problems)
        role = _role_of(raw.get("role", ""))
        if role is None:
            problems.add(
                number,
                header["role"],
                _("Неизвестная роль «%(value)s»: координатор, куратор, МОУО, директор, департамент.")
                % {"value": raw.get("role", "")},
            )
        org_text = raw.get("organization", "").strip()
        org = by_key.get(org_text) or by_key.get(fold(org_text))
        if org is None:
            problems.add(
                number,
                header["organization"],
                _("Организация «%(value)s» не найдена в регионе: укажите её код или краткое название.")
                % {"value": org_text},
            )
        if role and org and not may_invite_into(actor, role=role, organization=org):
            problems.add(number, header["role"], _("Эту роль в этой организации вы назначать не можете."))
        if role and org and org.kind not in Membership.ALLOWED_KINDS.get(role, set()):
            problems.add(
                number,
                header["organization"],
                _("Роль «%(role)s» нельзя назначить в организации вида «%(kind)s».")
                % {"role": Role(role).label, "kind": org.get_kind_display()},
            )
        if len(problems) == bad:
            planned.append((number, raw, role, org))
    if problems:
        refuse_with_problems(problems)
    done = []
    for number, raw, role, org in planned:
        try:
            done.append(
                do_invite_person(
                    actor=actor,
                    email=raw.get("email", ""),
                    full_name=raw.get("full_name", ""),
                    role=role,
                    organization=org,
                    position=raw.get("position", ""),
                )
            )
        except ValidationError as exc:
            problems.add(number, header["email"], " ".join(exc.messages))
    if problems:
        refuse_with_problems(problems)
    return done


# --- Curator grants ------------------------------------------------------------------------------


def curators_of_region(region: Region) -> list[User]:
    return list(
        User.objects.filter(memberships__region=region, memberships__role=Role.CURATOR, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def do_set_curator_grants(
    *, actor: User, region: Region, grants: Iterable[tuple[int, int]], schools: Iterable[int] | None = None
) -> dict[str, int]:
    """Make the curator × school grants of ``region`` exactly ``grants`` (pairs of user id, school
    id), limited to the ``schools`` shown on the page when given. Returns counts."""
    access.require(actor, access.Action.ASSIGN_CURATORS, region)
    curators = {u.pk: u for u in curators_of_region(region)}
    school_qs = Organization.objects.filter(region=region, kind=School)
    if schools is not None:
        school_qs = school_qs.filter(pk__in=list(schools))
    school_map = {s.pk: s for s in school_qs}
    wanted = {(c, s) for c, s in grants if c in curators and s in school_map}
    if len(wanted) != len(set(grants)):
        raise ValidationError(_("В таблице есть куратор или школа не из этого региона."))
    from schools.access import _curated_school_ids  # the gate's own reading of the grants

    current = set()
    for cid, user in curators.items():
        for sid in _curated_school_ids(user, curator_regions={region.pk}):
            if sid in school_map:
                current.add((cid, sid))
    for cid, sid in wanted - current:
        assign_perm("curate_school", curators[cid], school_map[sid])
    for cid, sid in current - wanted:
        remove_perm("curate_school", curators[cid], school_map[sid])
    for user in curators.values():
        access.forget_scope(user)
    return {"granted": len(wanted - current), "revoked": len(current - wanted)}


def grant_table(region: Region, schools: Any) -> dict[str, Any]:
    from schools.access import _curated_school_ids

    curators = curators_of_region(region)
    granted = {(u.pk, sid) for u in curators for sid in _curated_school_ids(u, curator_regions={region.pk})}
    return {"curators": curators, "granted": granted, "schools": list(schools)}


def people_rows(memberships: Any) -> list[dict[str, Any]]:
    """Memberships grouped by person for the people page."""
    people: dict[int, dict[str, Any]] = {}
    for m in memberships:
        entry = people.setdefault(m.user_id, {"user": m.user, "memberships": []})
        entry["memberships"].append(m)
    return sorted(people.values(), key=lambda p: (not p["user"].invitation_pending, str(p["user"]).lower()))
