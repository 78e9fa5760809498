"""The gate's view half: read_action and write_action on pages and API views, and a DRF view
that cannot drop the gate by setting its own permission classes."""

import pytest
from django.test import RequestFactory
from rest_framework import permissions

from questionnaires.models import Questionnaire
from schools.gate import GatedViewSet, GatePermission

pytestmark = pytest.mark.django_db


def test_it_keeps_the_gate_permission_first_whatever_a_subclass_sets():
    class Careless(GatedViewSet):
        permission_classes = [permissions.AllowAny]

    found = [type(p) for p in Careless().get_permissions()]
    assert found[0] is GatePermission and permissions.AllowAny in found


def test_it_refuses_anonymous_requests_even_when_a_subclass_allows_any():
    from django.contrib.auth.models import AnonymousUser

    class Careless(GatedViewSet):
        permission_classes = [permissions.AllowAny]

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert not all(p.has_permission(request, Careless()) for p in Careless().get_permissions())


def test_a_page_with_a_read_action_answers_403_to_a_role_that_may_only_see(client_for, cast):
    # A director sees the questionnaire their school answers, but may not track other schools.
    director = cast["tomsk-director"]
    school = director.memberships.get().organization
    q = Questionnaire.objects.filter(assignments__school=school).first()
    client = client_for("tomsk-director")
    assert client.get(f"/questionnaires/{q.pk}/").status_code == 200
    assert client.get(f"/questionnaires/{q.pk}/tracking/").status_code == 403
    assert client_for("tomsk-coordinator").get(f"/questionnaires/{q.pk}/tracking/").status_code == 200


def test_a_read_action_is_checked_on_the_get_of_an_edit_form(client_for):
    # Seeing a roadmap item does not open its edit form: the gate says 403 before the view runs.
    from roadmaps.models import Item

    item = Item.objects.filter(roadmap__region__code="70", roadmap__level="regional").first()
    assert client_for("tomsk-director").get(f"/roadmaps/items/{item.pk}/edit/").status_code == 403
    assert client_for("tomsk-coordinator").get(f"/roadmaps/items/{item.pk}/edit/").status_code == 200
