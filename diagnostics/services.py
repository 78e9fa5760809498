"""Writes of diagnostics. Each checks access itself (``access.require``), runs in one transaction
and is recorded in the audit log.

The region's catalogue of measures by deficit (README «Дефициты и мероприятия»): a coordinator
keeps it; whoever may edit a roadmap marks which deficits its items address; a suggested measure
joins a draft school roadmap as a new item linked to its deficit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import audit
from audit.models import AuditEvent
from diagnostics.models import DEFICIT_CHOICES, ItemDeficit, Measure
from diagnostics.rules import MANAGE_MEASURES
from roadmaps import rules as roadmap_rules
from roadmaps import services as roadmap_services
from roadmaps.models import Item, Roadmap
from schools import access
from schools.models import Region, User

DEFICIT_CODES = frozenset(code for _group, choices in DEFICIT_CHOICES for code, _name in choices)
Action = AuditEvent.Action


def _check_measure(region: Region, deficit: str, title: str, source_item: Item | None) -> str:
    if deficit not in DEFICIT_CODES:
        raise ValidationError({"deficit": _("Выберите дефицит из списка.")})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Напишите мероприятие или возьмите его из дорожной карты.")})
    if source_item is not None and source_item.region_id != region.pk:
        raise ValidationError({"source_item": _("Пункт относится к дорожной карте другого региона.")})
    return title


@transaction.atomic
def do_create_measure(
    *,
    actor: User,
    region: Region,
    deficit: str,
    title: str,
    description: str = "",
    source_item: Item | None = None,
) -> Measure:
    """Add a measure to the region's catalogue (written by hand or taken from a roadmap item)."""
    access.require(actor, MANAGE_MEASURES, region)
    title = _check_measure(region, deficit, title, source_item)
    measure = Measure.objects.create(
        region=region,
        deficit=deficit,
        title=title,
        description=(description or "").strip(),
        source_item=source_item,
        created_by=actor,
    )
    audit.record(Action.MEASURE_SAVED, user=actor, obj=measure, details={"deficit": deficit, "created": True})
    return measure


@transaction.atomic
def do_update_measure(
    *,
    actor: User,
    measure: Measure,
    deficit: str,
    title: str,
    description: str = "",
    source_item: Item | None = None,
) -> Measure:
    access.require(actor, MANAGE_MEASURES, measure)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    measure.title = _check_measure(measure.region, deficit, title, source_item)
    measure.deficit = deficit
    measure.description = (description or "").strip()
    measure.source_item = source_item
    measure.save()
    audit.record(Action.MEASURE_SAVED, user=actor, obj=measure, details={"deficit": deficit})
    return measure


@transaction.atomic
def do_delete_measure(*, actor: User, measure: Measure) -> None:
    """Remove a measure from the catalogue; items tagged from it keep their deficits."""
    access.require(actor, MANAGE_MEASURES, measure)
    audit.record(Action.MEASURE_DELETED, user=actor, obj=measure, details={"deficit": measure.deficit})
    measure.delete()


@transaction.atomic
def do_set_item_deficits(
    *, actor: User, item: Item, deficits: list[str], measures: dict[str, Measure] | None = None
) -> list[str]:
    """Set which deficits an item addresses (whoever may edit its roadmap). ``measures`` names the
    catalogue measure a newly marked deficit came from, when it did. Returns the codes set."""
    access.require(actor, roadmap_rules.EDIT_ROADMAP, item)
    unknown = sorted(set(deficits) - DEFICIT_CODES)
    if unknown:
        raise ValidationError(
            {"deficits": _("Неизвестный дефицит: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    if item.removed_at is not None:
        raise ValidationError(_("Мероприятие исключено из дорожной карты; дефициты для него не отмечаются."))
    measures = measures or {}

    def source(code: str) -> Measure | None:
        measure = measures.get(code)
        return measure if measure is not None and measure.region_id == item.region_id else None

    wanted = set(deficits)
    current = set(ItemDeficit.objects.filter(item=item).values_list("deficit", flat=True))
    ItemDeficit.objects.filter(item=item, deficit__in=current - wanted).delete()
    ItemDeficit.objects.bulk_create(
        [
            ItemDeficit(region_id=item.region_id, item=item, deficit=code, measure=source(code))
            for code in sorted(wanted - current)
        ]
    )
    if wanted != current:
        audit.record(
            Action.ITEM_DEFICITS_SAVED,
            user=actor,
            obj=item,
            label=_("п. %(n)s: %(roadmap)s") % {"n": item.number, "roadmap": item.roadmap.title[:200]},
            details={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
        )
    return sorted(wanted)


@transaction.atomic
def do_add_suggested_measure(*, actor: User, roadmap: Roadmap, measure: Measure) -> Item:
    """Add a catalogue measure to a draft school roadmap: a new item with the measure's text at the
    end of the roadmap, linked to the measure's deficit — both or neither."""
    access.require(actor, roadmap_rules.EDIT_ROADMAP, roadmap)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    if roadmap.status != Roadmap.Status.DRAFT:
        raise ValidationError(
            _(
                "Дорожная карта уже утверждена: мероприятия из каталога добавляются только в черновик. "
                "Чтобы изменить утверждённую карту, добавьте редакцию (изменяющий акт)."
            )
        )
    if roadmap.level != Roadmap.Level.SCHOOL:
        raise ValidationError(_("Мероприятия из каталога предлагаются только для дорожных карт школ."))
    if measure.region_id != roadmap.region_id:
        raise ValidationError(_("Мероприятие каталога относится к другому региону."))
    if ItemDeficit.objects.filter(
        item__roadmap=roadmap, measure=measure, item__removed_at__isnull=True
    ).exists():
        raise ValidationError(
            _("Мероприятие «%(title)s» уже добавлено в эту дорожную карту.") % {"title": measure.title}
        )
    item = roadmap_services.do_create_item(actor=actor, roadmap=roadmap, text=measure.title)
    ItemDeficit.objects.create(
        region_id=roadmap.region_id, item=item, deficit=measure.deficit, measure=measure
    )
    audit.record(
        Action.ITEM_DEFICITS_SAVED,
        user=actor,
        obj=item,
        label=_("п. %(n)s: %(roadmap)s") % {"n": item.number or "—", "roadmap": roadmap.title[:200]},
        details={"added": [measure.deficit], "removed": [], "measure": measure.pk},
    )
    return item
