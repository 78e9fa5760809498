"""Loading a diagnostics spreadsheet into the region: a preview, then an atomic confirm.

The page (``diagnostics/import_views.py``) and the command ``import_diagnostics`` call the same
functions. :func:`preview` says what the file would change — the records, the rows of the year
it replaces, every problem by row and column — as a plain dict (a page or JSON);
:func:`do_import_diagnostics` recomputes it inside one transaction and writes all or nothing.

A file replaces the year's rows *of the schools it lists*: their self-diagnosis, their whole
risk profile, or their results of the procedures it carries (ВПР results do not remove a school's
ЕГЭ results of the same year). Other schools' rows are kept.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from diagnostics import importing, rules
from diagnostics.importing import Parsed, SchoolRef
from diagnostics.models import AssessmentResult, DirectionScore, RiskLevel, SelfDiagnosis
from diagnostics.sheets import Grid
from schools import access
from schools.models import Organization, Region, User
from schools.onboarding import refuse_with_problems

MAX_SHOWN_ROWS = 300
MODELS = {
    importing.SELF_DIAGNOSIS: SelfDiagnosis,
    importing.RISK_PROFILE: RiskLevel,
    importing.ASSESSMENTS_KIND: AssessmentResult,
}


def current_year() -> int:
    return timezone.localdate().year


def school_refs(region: Region) -> list[SchoolRef]:
    """The region's schools (branches too), as the reader matches them."""
    schools = (
        Organization.objects.filter(region=region, kind=Organization.Kind.SCHOOL)
        .select_related("municipality")
        .order_by("municipality__name", "short_name", "pk")
    )
    return [
        SchoolRef(
            id=s.pk,
            code=s.external_code or "",
            names=tuple(n for n in (s.short_name, s.name) if n),
            label=f"{s.short_name} ({s.municipality.name})" if s.municipality else s.short_name,
            municipality=s.municipality.name if s.municipality else "",
        )
        for s in schools
    ]


def _replaced(region: Region, kind: str, year: int, parsed: Parsed) -> QuerySet:
    """The rows of ``year`` the file replaces."""
    rows = MODELS[kind].objects.filter(region=region, year=year, school_id__in=parsed.school_ids)
    if kind == importing.ASSESSMENTS_KIND:
        rows = rows.filter(kind__in={r["kind"] for r in parsed.records})
        pairs = {(r["school_id"], r["kind"]) for r in parsed.records}
        ids = [
            pk for pk, school, what in rows.values_list("pk", "school_id", "kind") if (school, what) in pairs
        ]
        rows = MODELS[kind].objects.filter(pk__in=ids)
    return rows


def _plan(
    region: Region, kind: str, year: int, grid: Grid, choices: dict[str, int] | None = None
) -> tuple[Parsed, dict[str, Any]]:
    if kind not in importing.KINDS:
        raise ValueError(kind)
    refs = school_refs(region)
    parsed = importing.parse(kind, grid, refs, year=year, choices=choices)
    labels = {r.id: r.label for r in refs}
    if not 2000 <= year <= 2100:
        parsed.add(None, _("Год"), _("Год — четыре цифры, например %(y)s.") % {"y": current_year()})
    replaced = _replaced(region, kind, year, parsed).count() if parsed.records else 0
    preview = {
        "kind": kind,
        "kind_label": str(importing.KIND_LABELS[kind]),
        "region": region.code,
        "file": parsed.file,
        "year": year,
        "layout": parsed.layout,
        "header_row": parsed.header_row,
        "columns": parsed.columns,
        "ignored": parsed.ignored,
        "warnings": parsed.warnings,
        "problems": parsed.problems,
        "records": len(parsed.records),
        "schools": len(parsed.school_ids),
        "replaced": replaced,
        "rows": parsed.records[:MAX_SHOWN_ROWS],
        "rows_cut": max(0, len(parsed.records) - MAX_SHOWN_ROWS),
        "unmatched": list(parsed.unmatched.values()),
        "chosen": [
            {"name": name, "label": labels[school_id]}
            for name, school_id in (choices or {}).items()
            if school_id in labels
        ],
    }
    return parsed, preview


def preview(
    *, region: Region, kind: str, year: int, grid: Grid, choices: dict[str, int] | None = None
) -> dict[str, Any]:
    """What loading ``grid`` as ``kind`` for ``year`` would do; writes nothing. ``choices`` maps
    a school name as the file writes it to the school picked for it in the preview."""
    return _plan(region, kind, year, grid, choices)[1]


@transaction.atomic
def do_import_diagnostics(
    *,
    actor: User | None,
    region: Region,
    kind: str,
    year: int,
    grid: Grid,
    choices: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Load the file, all or nothing: the year's rows of the listed schools are replaced.

    ``actor=None`` is the command line (the operator of the machine).
    """
    if actor is not None:
        access.require(actor, rules.IMPORT_DIAGNOSTICS, region)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one import per region at a time
    parsed, result = _plan(region, kind, year, grid, choices)
    if result["problems"]:
        refuse_with_problems(result["problems"])
    if not parsed.records:
        raise ValidationError(_("В файле нет ни одной записи для загрузки: ничего не сохранено."))
    _replaced(region, kind, year, parsed).delete()
    common = {"region": region, "year": year, "imported_by": actor}
    if kind == importing.SELF_DIAGNOSIS:
        _write_self_diagnoses(parsed, common)
    elif kind == importing.RISK_PROFILE:
        RiskLevel.objects.bulk_create(
            RiskLevel(school_id=r["school_id"], factor=r["factor"], level=r["level"], **common)
            for r in parsed.records
        )
    else:
        AssessmentResult.objects.bulk_create(
            AssessmentResult(
                school_id=r["school_id"],
                kind=r["kind"],
                subject=r["subject"],
                grade=r["grade"],
                participants=r["participants"],
                lowest_share=_decimal(r["lowest_share"]),
                mean_score=_decimal(r["mean_score"]),
                doubtful_objectivity=r["doubtful"],
                **common,
            )
            for r in parsed.records
        )
    audit.record(
        audit.DIAGNOSTICS_IMPORTED,
        user=actor,
        obj=region,
        label=f"{result['kind_label']}, {year}",
        details={
            "kind": kind,
            "year": year,
            "file": result["file"],
            "records": result["records"],
            "schools": result["schools"],
            "replaced": result["replaced"],
            "chosen": len(result["chosen"]),
        },
    )
    return result


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _write_self_diagnoses(parsed: Parsed, common: dict[str, Any]) -> None:
    diagnoses = SelfDiagnosis.objects.bulk_create(
        SelfDiagnosis(
            school_id=r["school_id"],
            level=r["level"],
            total_points=_decimal(r["total"]),
            critical_unmet=r["critical"],
            **common,
        )
        for r in parsed.records
    )
    DirectionScore.objects.bulk_create(
        DirectionScore(
            region=common["region"],
            diagnosis=d,
            direction=code,
            points=Decimal(points),
            max_points=_decimal(top),
        )
        for d, r in zip(diagnoses, parsed.records, strict=True)
        for code, (points, top) in r["scores"].items()
    )


def template(*, region: Region | None, kind: str) -> bytes:
    """The XLSX template of ``kind``, with the region's schools filled in."""
    return importing.template_xlsx(kind, school_refs(region) if region is not None else [])


def loaded_years(region: Region, user: User) -> dict[str, list[dict[str, int]]]:
    """What is loaded so far, per kind: years with their count of schools (through the gate)."""
    result: dict[str, list[dict[str, int]]] = {}
    for kind, model in MODELS.items():
        rows = (
            model.objects.visible_to(user)
            .filter(region=region)
            .values("year")
            .annotate(schools=Count("school", distinct=True), records=Count("pk"))
            .order_by("-year")
        )
        result[kind] = [dict(r) for r in rows]
    return result
