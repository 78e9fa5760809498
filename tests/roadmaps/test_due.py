"""«Что к сроку» (roadmaps.selectors.due_in) lists the same rows, in the same order, as the rule it
implements: the control dates the gate shows (roadmaps.rules) of approved roadmaps out of the trash,
due within the period, by due date, roadmap title and item position, each with its roadmap owner's
short name. A reader of regions seen in part gets them through a list of their approved roadmaps
(read through the gate) instead of joining the roadmaps; these tests compare both, for every demo
role, inside a region and for users of two regions."""

import datetime as dt

import pytest
from django.utils import timezone

from core.periods import DateRange
from roadmaps import selectors
from roadmaps.models import ControlDate, Roadmap
from schools import access
from schools.models import Membership, Organization, User

pytestmark = pytest.mark.django_db

EVERYTHING = DateRange(dt.date(2000, 1, 1), dt.date(2100, 12, 31), "all")


def rule(user, period: DateRange) -> list[ControlDate]:
    """The rule as it reads: the gate's dates joined to their roadmaps, filtered and sorted there."""
    return list(
        ControlDate.objects.visible_to(user)
        .filter(
            item__roadmap__status=Roadmap.Status.APPROVED,
            item__roadmap__deleted_at__isnull=True,
            due_date__gte=period.start,
            due_date__lte=period.end,
        )
        .select_related("item__roadmap__owner")
        .order_by("due_date", "item__roadmap__title", "item__position", "pk")
    )


def key(c: ControlDate) -> tuple:
    return (c.due_date, c.item.roadmap.title, c.item.position)


def assert_same_rows(user, period: DateRange = EVERYTHING) -> list[ControlDate]:
    rows = list(selectors.due_in(user, period).select_related("item__roadmap__owner"))
    expected = rule(user, period)
    assert [c.pk for c in rows] == [c.pk for c in expected], user.username
    assert [key(c) for c in rows] == [key(c) for c in expected], user.username
    assert all(c.owner_short_name == c.item.roadmap.owner.short_name for c in rows), user.username
    assert selectors.due_in(user, period).count() == len(expected), user.username
    return rows


@pytest.fixture
def not_all_approved(db):
    """Roadmaps the readers in part see, in draft or in the trash: none of them must be listed."""
    seen = Roadmap.objects.filter(region__code="70").exclude(level="regional").order_by("pk")
    draft, trashed = seen.filter(level="municipal").first(), seen.filter(level="school").first()
    Roadmap.objects.filter(pk=draft.pk).update(status=Roadmap.Status.DRAFT)
    Roadmap.objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())
    tambov = Roadmap.objects.filter(region__code="68").order_by("pk").first()
    Roadmap.objects.filter(pk=tambov.pk).update(status=Roadmap.Status.ARCHIVED)
    return [draft.pk, trashed.pk, tambov.pk]


def test_every_role_gets_the_rows_of_the_rule(cast, not_all_approved):
    seen = 0
    for user in cast.values():
        seen += bool(assert_same_rows(user))
    assert seen >= len(cast) - 1
    # Inside a region: a reader in part sees fewer dates than the region's coordinator.
    partial = {c.pk for c in selectors.due_in(cast["zyryanka-municipal"], EVERYTHING)}
    whole = {c.pk for c in selectors.due_in(cast["tomsk-coordinator"], EVERYTHING)}
    assert partial and partial < whole
    # Neither a draft nor a roadmap in the trash is listed, though both have dates.
    for username in ("zyryanka-municipal", "tomsk-curator", "tambov-director"):
        listed = selectors.due_in(cast[username], EVERYTHING).values_list("item__roadmap_id", flat=True)
        assert not set(listed) & set(not_all_approved), username
    assert ControlDate._base_manager.filter(item__roadmap_id__in=not_all_approved).count() > 100


def test_a_month_page_is_the_rules_page(cast, client_for):
    period = DateRange(dt.date(2023, 4, 1), dt.date(2023, 4, 30), "2023-04")
    for username in ("zyryanka-municipal", "tomsk-curator", "tomsk-director", "tomsk-coordinator"):
        user = cast[username]
        assert_same_rows(user, period)
        page = client_for(username).get("/roadmaps/due/", {"period": "2023-04"}).context["page"]
        expected = rule(user, period)
        assert page.paginator.count == len(expected) > 0, username
        assert [c.pk for c in page] == [c.pk for c in expected][:50], username


@pytest.fixture
def partial_in_two_regions(cast):
    """A municipal official of Зырянский район who also directs a school in Тамбовская область."""
    user = cast["zyryanka-municipal"]
    school = Organization.objects.filter(region__code="68", kind="school").order_by("pk").first()
    Membership.objects.create(user=user, organization=school, role="director", region=school.region)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def whole_and_partial(cast):
    """A coordinator of Тамбовская область who also curates a school in Томская."""
    user = User.objects.create_user("two-regions")
    body = Organization.objects.filter(region__code="68", municipality__isnull=True).order_by("pk").first()
    Membership.objects.create(user=user, organization=body, role="coordinator", region=body.region)
    school = Organization.objects.filter(region__code="70", kind="school").order_by("pk").first()
    curator = Organization.objects.filter(region__code="70", municipality__isnull=True).order_by("pk").first()
    Membership.objects.create(user=user, organization=curator, role="curator", region=curator.region)
    from guardian.shortcuts import assign_perm

    assign_perm("schools.curate_school", user, school)
    return user


def test_users_of_two_regions_get_the_rows_of_the_rule(partial_in_two_regions, whole_and_partial):
    for user in (partial_in_two_regions, whole_and_partial):
        scope = access.get_scope(user)
        assert len(scope.member_region_ids) == 2
        rows = assert_same_rows(user)
        assert {c.region_id for c in rows} == set(scope.member_region_ids)
    # Across regions: a reader in part of Томская sees none of another region's dates but its own.
    scope = access.get_scope(partial_in_two_regions)
    assert not scope.full_region_ids


@pytest.mark.parametrize("username", ["tomsk-curator", "zyryanka-municipal", "tomsk-director"])
def test_a_reader_in_part_gets_the_dates_without_joining_their_roadmaps(cast, username):
    """At national size the join looked each date's roadmap up by primary key (3 buffers a date);
    the list of the reader's approved roadmaps replaces it (README «Производительность»)."""
    sql = str(selectors.due_in(cast[username], EVERYTHING).query)
    assert 'JOIN "roadmaps_roadmap"' not in sql
    assert '"roadmaps_controldate"."region_id" IN' in sql


def focused_on(user, code: str):
    """``user`` as the due page sees a reader of the whole country: one region (schools.focus)."""
    from schools import focus
    from schools.models import Region

    user = User.objects.get(pk=user.pk)
    user._access_scope = focus.focused(access.get_scope(user), Region.objects.get(code=code).pk)
    return user


def busiest_quarter(region_code: str) -> DateRange:
    """The quarter with the most control dates of the region (several pages of the list)."""
    from django.db.models import Count
    from django.db.models.functions import TruncQuarter

    start = (
        ControlDate.objects.filter(region__code=region_code)
        .annotate(q=TruncQuarter("due_date"))
        .values("q")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("q", flat=True)[0]
    )
    end = dt.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1) - dt.timedelta(days=1)
    return DateRange(start, end, "quarter")


def test_every_page_of_a_quarter_is_the_rules_page(cast, federal, not_all_approved):
    """Readers of whole regions — coordinator, department, and the administrator and the federal
    viewer narrowed to a region — and readers in part: page by page, the rows of the rule."""
    from django.core.paginator import Paginator

    period = busiest_quarter("70")
    readers = [
        cast["tomsk-coordinator"],
        *[u for name, u in cast.items() if name.startswith("tomsk-") and name.endswith("department")],
        focused_on(cast["admin"], "70"),
        focused_on(federal, "70"),
        cast["tomsk-curator"],
        cast["zyryanka-municipal"],
    ]
    assert len(readers) == 6
    whole = None
    for user in readers:
        expected = [c.pk for c in rule(user, period)]
        paginator = Paginator(selectors.due_in(user, period), 10)  # several pages
        assert paginator.count == len(expected), user.username
        listed = [c.pk for n in paginator.page_range for c in paginator.page(n)]
        assert listed == expected, user.username
        if access.get_scope(user).full_region_ids:
            # Readers of the whole region, however they got there, see the same dates.
            assert whole in (None, listed), user.username
            whole = listed
    assert whole and len(whole) > 50
    # A quarter without dates is an empty list, not an error.
    empty = DateRange(dt.date(1990, 1, 1), dt.date(1990, 3, 31), "1990-Q1")
    assert not selectors.due_in(cast["tomsk-coordinator"], empty).exists()


@pytest.fixture
def federal(db) -> User:
    return User.objects.update_or_create(username="federal-viewer", defaults={"federal_viewer": True})[0]


def test_the_quarter_pages_for_the_administrator(cast, client_for):
    """Through the page: the administrator sees the chosen region's dates, every page the rule's."""
    client = client_for("admin")
    client.post("/focus/", {"region": "70", "next": "/roadmaps/due/"})
    period = busiest_quarter("70")
    label = f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    expected = [c.pk for c in rule(cast["tomsk-coordinator"], period)]
    pages = (len(expected) + 49) // 50
    assert pages >= 2
    for number in (1, 2, pages):
        query = {"period": label, "kind": "quarter", "page": number}
        page = client.get("/roadmaps/due/", query).context["page"]
        assert page.paginator.count == len(expected)
        assert [c.pk for c in page] == expected[(number - 1) * 50 : number * 50], number


@pytest.mark.parametrize("username", ["tomsk-coordinator", "admin"])
def test_a_reader_of_whole_regions_gets_the_dates_by_region_without_joining_roadmaps(cast, username):
    """At national size the join made PostgreSQL expect a few dozen of the region's items and look
    the quarter's dates up item by item (18k buffers); at one region, sorting on the date itself,
    it walked the index in date order looking each date's item up (5k). The region's items are
    now hashed against its dates of the period, then sorted (README «Производительность»)."""
    user = cast[username] if username != "admin" else focused_on(cast["admin"], "70")
    sql = str(selectors.due_in(user, EVERYTHING).query)
    assert 'JOIN "roadmaps_roadmap"' not in sql
    assert '"roadmaps_controldate"."region_id" IN' in sql
    assert '"roadmaps_item"."region_id" IN' in sql
    assert 'ORDER BY ("roadmaps_controldate"."due_date" + 0) ASC' in sql


def test_the_demos_database_without_arrays_gets_the_same_rows(cast, not_all_approved, monkeypatch):
    """`make run` serves the demo on SQLite, which has no arrays and adds a number to a date's
    text: there the rank and owner are a CASE and the sort is on the date itself. Forced here on
    PostgreSQL, the rows and their order must be the rule's."""
    from django.db import connections

    monkeypatch.setattr(type(connections["default"]), "vendor", "sqlite")
    for username in ("tomsk-coordinator", "tomsk-curator", "zyryanka-municipal", "tomsk-director"):
        assert assert_same_rows(cast[username]), username
        assert "array_position" not in str(selectors.due_in(cast[username], EVERYTHING).query)
