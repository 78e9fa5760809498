"""Joins between rows of one region carry the region (core/fields.py).

At national size a region-wide page joined its region's obligations to the country's execution
reports: PostgreSQL hashed every report of the country for one region's figures (5,861 buffers at
20 regions, growing with each region). With the region in the JOIN's ON clause it reads the
region's reports through the region index (741 buffers, the same at any size).
"""

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F

from core.fields import RegionForeignKey, RegionOneToOneField
from core.periods import DateRange
from monitoring import selectors
from monitoring.models import Evidence, ExecutionReport, Obligation, ReportEvent
from roadmaps import selectors as roadmap_selectors


def join_clause(sql: str, table: str) -> str:
    """The ON clause of the JOIN that brings in ``table``."""
    match = re.search(rf'JOIN "{table}" ON \((.*?)\)(?: (?:LEFT|INNER)| WHERE| GROUP| ORDER|$)', sql)
    assert match, f"no join of {table} in: {sql}"
    return match.group(1)


@pytest.mark.parametrize(
    ("queryset", "table", "other"),
    [
        # Obligation → report, as the lists (LEFT JOIN) and the review queue (INNER JOIN) do.
        (
            lambda: Obligation.objects.select_related("report"),
            "monitoring_executionreport",
            "monitoring_obligation",
        ),
        (
            lambda: Obligation.objects.filter(report__review_state="submitted"),
            "monitoring_executionreport",
            "monitoring_obligation",
        ),
        # Report → obligation, evidence → report, event → report.
        (
            lambda: ExecutionReport.objects.filter(obligation__due_date__lte=dt.date(2026, 1, 1)),
            "monitoring_obligation",
            "monitoring_executionreport",
        ),
        (
            lambda: Evidence.objects.select_related("report"),
            "monitoring_executionreport",
            "monitoring_evidence",
        ),
        (
            lambda: ReportEvent.objects.select_related("report"),
            "monitoring_executionreport",
            "monitoring_reportevent",
        ),
    ],
)
def test_a_join_inside_one_region_matches_the_regions_too(queryset, table, other):
    on = join_clause(str(queryset().query), table)
    assert f'"{table}"."region_id"' in on or f'"{other}"."region_id"' in on, on
    assert on.count("region_id") == 2, on


@pytest.mark.django_db
def test_the_execution_figures_join_reports_by_region(cast):
    qs = Obligation.objects.visible_to(cast["tomsk-coordinator"])
    sql = str(
        qs.filter(due_date__lte=dt.date(2026, 1, 1))
        .values("pk")
        .annotate(n=Count("pk", filter=F("report__is_late")))
        .query
    )
    on = join_clause(sql, "monitoring_executionreport")
    assert '"monitoring_executionreport"."region_id" = ("monitoring_obligation"."region_id")' in on, on
    # and the figures still count what they counted
    figures = selectors.figures(qs)
    assert figures.expected == qs.filter(due_date__lte=dt.date.today()).count()
    assert (
        figures.submitted
        == ExecutionReport.objects.filter(
            obligation__in=qs.filter(due_date__lte=dt.date.today()), submitted_at__isnull=False
        ).count()
    )


@pytest.mark.django_db
def test_the_due_list_reads_items_and_roadmaps_of_the_users_regions(cast):
    period = DateRange(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024")
    sql = str(roadmap_selectors.due_in(cast["tomsk-coordinator"], period).query)
    assert '"roadmaps_item"."region_id" IN' in sql
    # The roadmaps are read first, by region, and not joined (tests/roadmaps/test_due.py).
    assert 'JOIN "roadmaps_roadmap"' not in sql
    # An administrator is not narrowed to regions (they belong to none).
    admin_sql = str(roadmap_selectors.due_in(cast["admin"], period).query)
    assert '"roadmaps_item"."region_id" IN' not in admin_sql


def region_links() -> list:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, RegionForeignKey | RegionOneToOneField)
    ]


def test_the_links_that_join_by_region_are_the_reports():
    names = {f"{field.model.__name__}.{field.name}" for field in region_links()}
    assert names == {"ExecutionReport.obligation", "Evidence.report", "ReportEvent.report"}


@pytest.mark.django_db
def test_linked_rows_never_cross_regions(cast):
    """A join on the region would hide a row linked across regions: none exists in the demo or
    in generated national data (both made through the services the portal uses)."""
    call_command(
        "generate_synthetic", regions=1, scale=0.1, seed=5, stdout=io.StringIO(), stderr=io.StringIO()
    )
    for field in region_links():
        model = field.model
        assert model.objects.exists(), model
        # Read through the raw key: a join on the region would itself hide a crossing row.
        keys = model.objects.values_list(field.attname, "region_id")
        targets = dict(field.related_model.objects.values_list("pk", "region_id"))
        crossing = [(key, region) for key, region in keys if targets[key] != region]
        assert not crossing, f"{model.__name__}.{field.name}: {crossing[:5]}"
