"""Walks every URL pattern of the project with users of two regions and every role.

New URLs are covered automatically: a pattern whose view is not behind the gate
(``GatedViewMixin`` / ``GatedViewSet``) fails ``test_every_url_goes_through_the_gate``, and a
pattern whose object the walk cannot fill fails until its view declares ``gate_model``.
"""

import html
import io
import re
import zipfile

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from guardian.models import UserObjectPermission

from schools.gate import GatedViewMixin, GatedViewSet
from schools.models import Membership, Municipality, Organization, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_model_has_objects_in_both_regions():
    """The walk needs an object of every gated model in each region; make what the seed lacks.

    Every ``tests/*factories.py`` module with an ``ensure_objects(region_code)`` function is
    called, so an app adding URLs adds its makers there.
    """
    import importlib
    from pathlib import Path

    modules = sorted(p.stem for p in Path(__file__).parent.glob("*factories.py"))
    for code in REGIONS:
        for name in modules:
            maker = getattr(importlib.import_module(f"tests.{name}"), "ensure_objects", None)
            if maker:
                maker(code)


# Django's own login/password views and the admin (which has its own staff check, tested below).
UNGATED_PREFIXES = ("admin/", "accounts/")
REGIONS = {"70": "68", "68": "70"}  # each region attacks the other


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p, route)
        elif isinstance(p, URLPattern):
            yield route, p


def view_class(pattern: URLPattern):
    cb = pattern.callback
    return getattr(cb, "view_class", None) or getattr(cb, "cls", None)


def gated_patterns():
    return [(route, p) for route, p in walk() if not route.lstrip("^").startswith(UNGATED_PREFIXES)]


def lookup(cls) -> tuple[str, str]:
    """(model field, URL kwarg) naming the view's object."""
    if issubclass(cls, GatedViewSet):
        field = getattr(cls, "lookup_field", "pk")
        return field, getattr(cls, "lookup_url_kwarg", None) or field
    return cls.slug_field, cls.slug_url_kwarg


def build_url(route: str, values: dict[str, str]) -> str:
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], url)
    url = url.replace("^", "").replace("$", "").replace("\\", "").replace("/?", "/")
    return "/" + url


def url_kwargs(route: str) -> list[str]:
    regex_groups = re.findall(r"\(\?P<(\w+)>", route)
    return regex_groups or re.findall(r"<(?:\w+:)?(\w+)>", route)


def url_for(route: str, cls, obj) -> str:
    field, kwarg = lookup(cls)
    values = {"format": "json"}
    names = url_kwargs(route)
    if names and obj is not None:
        values[kwarg] = str(getattr(obj, field))
    return build_url(route, values)


def an_object(model, region_code: str):
    qs = model._default_manager.all()
    if model is Region:
        return qs.get(code=region_code)
    # Prefer objects people actually reach (a school with a director) to make the walk meaningful.
    if model is Organization:
        return qs.filter(region__code=region_code, memberships__role="director").first()
    return qs.filter(region__code=region_code).first()


def foreign_markers(region_code: str) -> list[str]:
    own = REGIONS[region_code]
    own_names = set(Organization.objects.filter(region__code=own).values_list("name", flat=True))
    markers = (
        set(Organization.objects.filter(region__code=region_code).values_list("name", flat=True)) - own_names
    )
    markers |= set(Municipality.objects.filter(region__code=region_code).values_list("name", flat=True))
    markers.add(Region.objects.get(code=region_code).name)
    return sorted(markers)


def text_of(response) -> str:
    """What a response shows: a page's HTML, or the XML text inside an XLSX export (list exports
    carry no object in their URL, so the walk reads them like pages)."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return html.unescape(
                "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
            )
    return response.content.decode()


def snapshot() -> dict[str, int]:
    counts = {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"schools", "roadmaps", "monitoring", "questionnaires", "reporting"}
    }
    counts["guardian"] = UserObjectPermission.objects.count()
    return counts


def region_users(code: str, per_role: int = 2) -> list[str]:
    """Up to two users of every role in the region (the demo has many directors alike)."""
    picked: dict[str, list[str]] = {}
    for role, username in (
        Membership.objects.filter(region__code=code)
        .order_by("role", "user__username")
        .values_list("role", "user__username")
    ):
        if len(picked.setdefault(role, [])) < per_role:
            picked[role].append(username)
    return sorted({u for users in picked.values() for u in users})


def test_every_url_goes_through_the_gate():
    patterns = gated_patterns()
    assert len(patterns) >= 8
    outside = [
        route
        for route, p in patterns
        if not issubclass(view_class(p) or object, (GatedViewMixin, GatedViewSet))
    ]
    assert outside == [], f"URLs not behind the access gate: {outside}"


def test_every_object_url_declares_its_model():
    for route, p in gated_patterns():
        cls = view_class(p)
        if set(url_kwargs(route)) - {"format"}:
            assert cls.gate_model is not None, f"{route}: declare gate_model so the walk can fill the URL"


@pytest.mark.parametrize("own", sorted(REGIONS))
def test_it_never_shows_or_changes_another_regions_data(client, own):
    foreign = REGIONS[own]
    markers = foreign_markers(foreign)
    before = snapshot()
    users = region_users(own)
    assert len(users) >= 5
    checked = 0
    for username in users:
        user = Membership.objects.filter(user__username=username).first().user
        client.force_login(user)
        for route, p in gated_patterns():
            cls = view_class(p)
            has_object = bool(set(url_kwargs(route)) - {"format"})
            if has_object:
                url = url_for(route, cls, an_object(cls.gate_model, foreign))
                get = client.get(url)
                assert get.status_code == 404, f"{username} GET {url} → {get.status_code}"
                post = client.post(url, {"curator": 1, "action": "assign"})
                assert post.status_code in (404, 405), f"{username} POST {url} → {post.status_code}"
            else:
                url = url_for(route, cls, None)
                get = client.get(url)
                # A page open to some roles only (the audit log) declares ``admits(user)``.
                admits = getattr(cls, "admits", None)
                if admits is not None and not admits(user):
                    assert get.status_code == 403, f"{username} GET {url} → {get.status_code}"
                    checked += 1
                    continue
                assert get.status_code == 200, f"{username} GET {url} → {get.status_code}"
                body = text_of(get)
                leaked = [m for m in markers if m in body]
                assert not leaked, f"{username} GET {url} shows another region: {leaked[:3]}"
                if not getattr(cls, "acts_on_self", False):
                    post = client.post(url, {})
                    assert post.status_code in (403, 405), f"{username} POST {url} → {post.status_code}"
            checked += 1
    assert snapshot() == before
    assert checked >= len(users) * 8


@pytest.mark.parametrize("username", ["tomsk-department", "tambov-department"])
def test_it_answers_403_to_a_read_only_role_writing(client_for, username):
    client = client_for(username)
    region = Membership.objects.filter(user__username=username).first().region.code
    before = snapshot()
    writes = 0
    for route, p in gated_patterns():
        cls = view_class(p)
        if getattr(cls, "write_action", None) is None or not (set(url_kwargs(route)) - {"format"}):
            continue
        if getattr(cls, "acts_on_self", False):
            continue  # its POST makes the user's own thing (a roadmap export order), open to readers
        obj = an_object(cls.gate_model, region)
        url = url_for(route, cls, obj)
        user = Membership.objects.filter(user__username=username).first().user
        sees_it = cls.gate_model._default_manager.visible_to(user).filter(pk=obj.pk).exists()
        response = client.post(url, {"curator": 1, "action": "assign"})
        # A read-only role gets 403 on what it can see, and 404 on what it cannot even see; an
        # API route that takes no POST at all says so (405), after the 404.
        takes_post = "post" in (getattr(p.callback, "actions", None) or {"post": True})
        expected = (403 if takes_post else 405) if sees_it else 404
        assert response.status_code == expected, f"{username} POST {url} → {response.status_code}"
        writes += 1
    assert writes >= 1
    assert snapshot() == before


def test_the_federal_viewer_reads_both_regions_and_changes_nothing(client):
    """The federal viewer (``User.federal_viewer``) is a department official in every region: each
    page answers it what it answers that region's department, so it sees objects of both
    regions; and every write is refused — 403 where it sees the object, 405 where the route
    takes no POST."""
    from schools.models import User

    federal = User.objects.create(username="federal-walk", federal_viewer=True)
    departments = {"70": "tomsk-department", "68": "tambov-department"}
    before = snapshot()
    seen = {code: 0 for code in REGIONS}
    for code, username in departments.items():
        department = User.objects.get(username=username)
        for route, p in gated_patterns():
            cls = view_class(p)
            has_object = bool(set(url_kwargs(route)) - {"format"})
            url = url_for(route, cls, an_object(cls.gate_model, code) if has_object else None)
            admits = getattr(cls, "admits", None)
            if admits is not None and admits(federal) and not admits(department):
                continue  # for readers of every region only (the region bar): tests/schools/test_focus.py
            client.force_login(department)
            expected = client.get(url).status_code
            client.force_login(federal)
            if getattr(cls, "region_required_for_country", False) and not has_object:
                # A list as deep as the country: a reader of every region names the region.
                assert client.get(url).status_code == 400, url
                url = f"{url}?region={code}"
            got = client.get(url).status_code
            assert got == expected, f"federal GET {url} → {got}, the department of {code} gets {expected}"
            seen[code] += has_object and got == 200
            if not getattr(cls, "acts_on_self", False) and (has_object or code == "70"):
                post = client.post(url, {"curator": 1, "action": "assign"})
                # What the department may not even see (the audit log) stays a 404.
                refusals = (404, 405) if got == 404 else (403, 405)
                assert post.status_code in refusals, f"federal POST {url} → {post.status_code}"
    assert snapshot() == before
    assert min(seen.values()) >= 8, seen


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    for route, p in gated_patterns():
        cls = view_class(p)
        obj = an_object(cls.gate_model, "70") if cls.gate_model and url_kwargs(route) else None
        url = url_for(route, cls, obj)
        response = client.get(url)
        if getattr(cls, "public_read", False):  # the API schema, and nothing with tenant data
            assert cls.gate_model is None and response.status_code == 200, url
        elif issubclass(cls, GatedViewSet):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_it_keeps_region_users_out_of_the_admin(client_for):
    client = client_for("tomsk-coordinator")
    response = client.get("/admin/schools/organization/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
