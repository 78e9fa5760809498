"""The federal viewer: every region read in full, like each region's department, and no action.

It is a flag on the user set by the platform administrator (``User.federal_viewer``), not a
membership: it belongs to no region or organization and cannot be given by invitation.
"""

import pytest
from django.core.exceptions import PermissionDenied

from monitoring.models import ExecutionReport, Obligation
from roadmaps.models import Roadmap
from schools import access
from schools.access import _ACTION_RULES, FEDERAL
from schools.models import Membership, Organization, Region, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def federal(db) -> User:
    return User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})[0]


def test_its_scope_is_every_region_read_only(federal):
    scope = access.get_scope(federal)
    regions = set(Region.objects.values_list("pk", flat=True))
    assert scope.is_federal and not scope.is_admin
    assert scope.full_region_ids == scope.member_region_ids == regions
    assert not scope.manage_region_ids and not scope.organization_ids and not scope.municipality_ids
    assert all(scope.is_read_only_in(r) for r in regions)
    assert scope.roles == {FEDERAL}


@pytest.mark.parametrize("model", [Organization, Roadmap, Obligation, ExecutionReport, Membership])
def test_it_sees_what_the_departments_of_both_regions_see(federal, cast, model):
    mine = set(model._default_manager.visible_to(federal).values_list("pk", flat=True))
    departments = set()
    for username in ("tomsk-department", "tambov-department"):
        departments |= set(model._default_manager.visible_to(cast[username]).values_list("pk", flat=True))
    assert mine == departments
    assert {"70", "68"} <= set(
        model._default_manager.visible_to(federal).values_list("region__code", flat=True).distinct()
    )


def test_every_action_is_what_the_departments_may_do_and_no_write(federal, cast):
    """No rule of any app names the federal role: on an object of either region, every registered
    action is allowed to the federal viewer exactly when that region's department may take it
    (reading actions: tracking a questionnaire, ordering a roadmap's file), and every change is
    refused with the read-only message."""
    departments = {"70": cast["tomsk-department"], "68": cast["tambov-department"]}
    objects = []
    for code in departments:
        objects += [
            (code, Region.objects.get(code=code)),
            (code, Roadmap.objects.filter(region__code=code).first()),
            (code, Obligation.objects.filter(region__code=code).first()),
            (code, ExecutionReport.objects.filter(region__code=code).first()),
        ]
    checked = 0
    for action in set(_ACTION_RULES):
        for code, obj in objects:
            if (action, type(obj)) in {("request_report", Region), ("export_roadmap", Roadmap)}:
                pass
            elif action in ("request_report", "export_roadmap"):
                continue  # rules about one kind of object, which they do not check
            try:
                allowed = access.can(federal, action, obj)
            except (AttributeError, TypeError, ValueError):
                continue  # the rule is about another kind of object
            assert allowed == access.can(departments[code], action, obj), f"{action} on {obj!r}"
            checked += 1
    assert checked >= 20
    writes = ["manage_region", "file_report", "review_report", "reopen_report", "edit_roadmap", "open_round"]
    refused = 0
    for action in writes:
        for _code, obj in objects:
            try:
                assert not access.can(federal, action, obj), f"{action} on {obj!r}"
            except (AttributeError, TypeError, ValueError):
                continue
            refused += 1
    assert refused >= len(writes) * 2
    with pytest.raises(PermissionDenied, match="только для просмотра"):
        access.require(federal, access.Action.MANAGE_REGION, objects[0][1])


def test_memberships_keep_their_own_rights_beside_the_flag(cast):
    coordinator = cast["tomsk-coordinator"]
    coordinator.federal_viewer = True
    coordinator.save()
    access.forget_scope(coordinator)
    scope = access.get_scope(coordinator)
    tomsk, tambov = Region.objects.get(code="70"), Region.objects.get(code="68")
    assert scope.may_manage(tomsk.pk) and not scope.may_manage(tambov.pk)
    assert not scope.is_read_only_in(tomsk.pk) and scope.is_read_only_in(tambov.pk)


def test_the_role_cannot_be_given_by_invitation():
    assert FEDERAL not in Membership.Role.values


def test_it_reads_both_regions_lists_and_cannot_file_or_review(client, federal):
    client.force_login(federal)
    for code in ("70", "68"):
        # The list pages show one region at a time to a reader of the whole country (focus.py).
        client.post("/focus/", {"region": code, "next": "/execution/"})
        obligation = (
            Obligation.objects.filter(region__code=code, report__review_state="submitted")
            .order_by("pk")
            .first()
        )
        # The region's execution list (cut by roadmap) shows the obligation's executor.
        page = client.get("/execution/", {"roadmap": obligation.roadmap_id}).content.decode()
        assert obligation.executor.short_name in page
        assert client.get(f"/obligations/{obligation.pk}/").status_code == 200
        # Not filing, not adding evidence, not reviewing: read-only.
        assert client.post(f"/obligations/{obligation.pk}/", {"status": "done"}).status_code == 403
        assert client.post(f"/obligations/{obligation.pk}/review/", {"decision": "accept"}).status_code == 403
        assert client.post(f"/obligations/{obligation.pk}/evidence/", {"kind": "link"}).status_code == 403
    # Nothing is the federal viewer's to file or review.
    assert not list(client.get("/reviews/").context["page"])
