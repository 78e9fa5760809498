"""generate_synthetic: national-shaped data whose users see exactly their own region."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring.models import Evidence, ExecutionReport, Obligation
from questionnaires.models import Response
from reporting import synthetic
from roadmaps.models import Item, ItemExecutor, Roadmap
from schools import access
from schools.models import Membership, Organization, Region, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def synth(db):
    err = io.StringIO()
    call_command(
        "generate_synthetic", regions=2, scale=0.05, seed=7, year=2026, stdout=io.StringIO(), stderr=err
    )
    return err.getvalue()


def test_it_builds_regions_of_the_national_shape(synth):
    regions = Region.objects.filter(code__in=["101", "102"])
    assert regions.count() == 2
    for region in regions:
        schools = Organization.objects.filter(region=region, kind="school")
        assert schools.count() >= 4
        roadmaps = Roadmap.objects.filter(region=region)
        assert set(roadmaps.values_list("level", flat=True)) == {"regional", "municipal", "school"}
        assert Item.objects.filter(region=region).count() >= 40
        obligations = Obligation.objects.filter(region=region)
        reports = ExecutionReport.objects.filter(region=region)
        assert obligations.count() > reports.count() > 0
        states = set(reports.values_list("review_state", flat=True))
        assert {"accepted", "returned", "submitted"} <= states
        assert reports.filter(is_late=True).exists()
        assert Evidence.objects.filter(region=region).exists()
        assert Response.objects.filter(region=region, status="submitted").exists()
    assert "регион 101" in synth  # progress goes to stderr


def test_it_gives_every_region_its_cast_with_memberships(synth):
    for nn, code in (("01", "101"), ("02", "102")):
        for role in ("coordinator", "curator", "municipal", "director", "department"):
            user = User.objects.get(username=f"synth{nn}-{role}")
            assert user.check_password("demo-portal-2026")
            assert Membership.objects.filter(user=user, role=role, region__code=code).count() == 1
    curator = access.get_scope(User.objects.get(username="synth01-curator"))
    assert curator.curated_school_ids


def test_it_lets_each_user_see_only_their_own_region(synth, cast):
    own = Region.objects.get(code="101")
    for role in ("coordinator", "curator", "municipal", "director", "department"):
        user = User.objects.get(username=f"synth01-{role}")
        seen = Obligation.objects.visible_to(user)
        assert seen.exists(), role
        assert set(seen.values_list("region_id", flat=True)) == {own.pk}, role
        assert set(Roadmap.objects.visible_to(user).values_list("region_id", flat=True)) == {own.pk}, role
        assert set(Evidence.objects.visible_to(user).values_list("region_id", flat=True)) <= {own.pk}, role
        if role == "director":
            school = Membership.objects.get(user=user).organization_id
            assert set(seen.values_list("executor_id", flat=True)) == {school}
    generated = Region.objects.filter(code__in=["101", "102"])
    assert not Obligation.objects.visible_to(cast["tomsk-coordinator"]).filter(region__in=generated).exists()


def test_every_reference_it_writes_points_at_a_row(synth):
    """The generator skips PostgreSQL's per-row foreign key checks (reporting.synthetic): every
    foreign key of the database is checked here at once instead."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname "
            "FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
        )
        keys = cursor.fetchall()
        broken = []
        for table, column, target, target_column in keys:
            cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {target} r WHERE r."{target_column}" = t."{column}")'
            )
            if missing := cursor.fetchone()[0]:
                broken.append(f"{table}.{column} → {target}: {missing}")
    assert len(keys) > 50
    assert not broken
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"  # the skip ends with each region's transaction


def test_copy_rows_keeps_text_nulls_and_defaults(synth):
    item = Item.objects.filter(region__code="101").first()
    text = 'Школа «Ромашка», корпус "Б"\tкаб. 3\nи \\ 4'
    ids = synthetic.copy_rows(
        ItemExecutor,
        ("region_id", "item_id", "position", "text", "group", "organization_id"),
        [(item.region_id, item.pk, 0, text, "", None), (item.region_id, item.pk, 1, "", "schools", None)],
    )
    first, second = (ItemExecutor.objects.get(pk=pk) for pk in ids)
    assert (first.text, first.group, first.organization_id, first.persons) == (text, "", None, "")
    assert (second.position, second.text, second.group) == (1, "", "schools")


def test_it_reports_where_the_time_went(synth):
    assert "По шагам: школы" in synth
    assert "фиксация" in synth and "ANALYZE" in synth


def test_it_skips_regions_that_already_exist(synth):
    before = Obligation.objects.count()
    out = io.StringIO()
    call_command(
        "generate_synthetic", regions=1, scale=0.05, seed=7, year=2026, stdout=out, stderr=io.StringIO()
    )
    assert Obligation.objects.count() == before
    assert "101" in out.getvalue()


def test_it_explains_a_bad_region_count_in_russian(db):
    with pytest.raises(CommandError, match="--regions"):
        call_command("generate_synthetic", regions=0)


def test_school_items_give_the_regional_roadmap_a_round_of_every_programme_school(db):
    from monitoring.services import desired_obligations

    call_command(
        "generate_synthetic",
        regions=1,
        scale=0.05,
        seed=7,
        year=2026,
        school_items=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    regional = Roadmap.objects.get(region__code="101", level="regional")
    assert Item.objects.filter(roadmap=regional).count() == 42
    programme = Organization.objects.filter(region=regional.region, statuses__year=2026).distinct().count()
    extra = Item.objects.filter(roadmap=regional, position__gt=40)
    assert Obligation.objects.filter(item__in=extra).count() == 2 * 4 * programme  # quarterly, each school
    # Exactly what monitoring derives from the items: a regeneration would change nothing.
    existing = {
        (o.item_id, o.executor_id, o.due_date): o.window_start
        for o in Obligation.objects.filter(roadmap=regional)
    }
    assert desired_obligations(regional) == existing


def test_school_items_are_checked(db):
    with pytest.raises(CommandError, match="--school-items"):
        call_command("generate_synthetic", regions=1, school_items=-1)
