"""Writes for the hierarchy: each a transaction, validated, named do_<verb>_<noun>."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from schools import access
from schools.models import Membership, Organization, User

CURATE = "curate_school"


@transaction.atomic
def do_assign_curator(*, actor: User, school: Organization, curator: User) -> None:
    access.require(actor, access.Action.ASSIGN_CURATORS, school)
    if school.kind != Organization.Kind.SCHOOL:
        raise ValidationError(_("Куратора назначают только школе."))
    if not Membership.objects.filter(
        user=curator, region=school.region, role=Membership.Role.CURATOR
    ).exists():
        raise ValidationError(_("%(name)s не является куратором в этом регионе.") % {"name": curator})
    assign_perm(CURATE, curator, school)
    access.forget_scope(curator)


@transaction.atomic
def do_unassign_curator(*, actor: User, school: Organization, curator: User) -> None:
    access.require(actor, access.Action.ASSIGN_CURATORS, school)
    remove_perm(CURATE, curator, school)
    access.forget_scope(curator)


@transaction.atomic
def do_update_profile(
    *, user: User, full_name: str, position: str, phone: str, email: str, email_reminders: bool
) -> None:
    user.full_name = full_name.strip()
    user.position = position.strip()
    user.phone = phone.strip()
    user.email = email.strip()
    user.email_reminders = email_reminders
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "position", "phone", "email", "email_reminders"])
