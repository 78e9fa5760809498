"""Writes for roadmaps: import, item edits with history, approval, revisions.

Each write is one transaction and checks the gate itself, so a view, a command or a task cannot
skip it. An import is all or nothing: an error leaves no roadmap, section or item behind.
"""

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import uploads
from core.concurrency import bump, check_version
from roadmaps import rules
from roadmaps.importing.analysis import analyse, parse_manual_dates
from roadmaps.importing.executors import AliasTarget, resolve_executors
from roadmaps.importing.structure import parse_tables
from roadmaps.importing.tables import read_tables
from roadmaps.indicators import parse_indicator
from roadmaps.models import (
    ControlDate,
    ImportDraft,
    Item,
    ItemExecutor,
    ItemHistory,
    Revision,
    Roadmap,
    Section,
)
from roadmaps.schedule import parse_schedule
from schools import access
from schools.models import ExecutorAlias, Organization, Region, User

# Called (inside the transaction) after an approved roadmap's items or status change; execution
# tracking registers here to regenerate obligations, so roadmaps need not know about it.
ON_ROADMAP_CHANGED: list = []


def _roadmap_changed(roadmap: Roadmap) -> None:
    for hook in ON_ROADMAP_CHANGED:
        hook(roadmap)


# Who the items reach is execution tracking's knowledge; it registers one function here taking a
# roadmap and returning {"obligations": n, "executors": n, "unmatched": {item_id: [executor text]}}.
ASSIGNMENT_PREVIEW: list = []


def assignment_preview(
    roadmap: Roadmap, with_counts: bool = True, items: list[Item] | None = None
) -> dict | None:
    """What approving (or having approved) the roadmap assigns: obligations and executors
    (``with_counts``), and items whose group executor («руководители ШНОР») matches no
    organization in its years — among ``items`` alone when given (items with their executors
    read already: the roadmap page's)."""
    if not ASSIGNMENT_PREVIEW:
        return None
    return ASSIGNMENT_PREVIEW[0](roadmap, with_counts=with_counts, items=items)


def region_aliases(region: Region) -> list[AliasTarget]:
    """The region's executor aliases plus every organization's own short and full name."""
    rows = ExecutorAlias.objects.filter(region=region).select_related("organization")
    targets = [
        AliasTarget(
            alias=a.alias,
            organization_id=a.organization_id,
            organization=a.organization.short_name if a.organization else "",
            group=a.group,
        )
        for a in rows
    ]
    known = {ExecutorAlias.normalize(t.alias) for t in targets}
    for org in (
        Organization.objects.filter(region=region)
        .exclude(kind=Organization.Kind.SCHOOL)
        .only("pk", "short_name", "name")
    ):
        for name in (org.short_name, org.name):
            if ExecutorAlias.normalize(name) not in known:
                known.add(ExecutorAlias.normalize(name))
                targets.append(AliasTarget(alias=name, organization_id=org.pk, organization=org.short_name))
    return targets


def own_target(level: str, owner: Organization | None) -> AliasTarget | None:
    if level == Roadmap.Level.SCHOOL and owner is not None:
        return AliasTarget(alias=owner.short_name, organization_id=owner.pk, organization=owner.short_name)
    return None


def parse_document(data: bytes) -> dict:
    """DOCX/XLSX/PDF bytes → the plan's structure as a dict; ``ReadError`` with a Russian message."""
    return parse_tables(read_tables(data)).to_dict()


def default_period(parsed: dict) -> tuple[dt.date, dt.date] | None:
    if parsed.get("period"):
        start, end = parsed["period"]
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return None


def guess_level(parsed: dict) -> str:
    title = (parsed.get("title") or "").lower()
    if "школьн" in title:
        return Roadmap.Level.SCHOOL
    if "муниципальн" in title and "региональн" not in title:
        return Roadmap.Level.MUNICIPAL
    return Roadmap.Level.REGIONAL


OWNER_LEVEL = {
    Organization.Kind.DEPARTMENT: Roadmap.Level.REGIONAL,
    Organization.Kind.INSTITUTE: Roadmap.Level.REGIONAL,
    Organization.Kind.MUNICIPAL_AUTHORITY: Roadmap.Level.MUNICIPAL,
    Organization.Kind.METHODICAL_CENTRE: Roadmap.Level.MUNICIPAL,
    Organization.Kind.SCHOOL: Roadmap.Level.SCHOOL,
}


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", ExecutorAlias.normalize(text or "")))


def guess_owner(region: Region, act: dict) -> Organization | None:
    """The organization that issued the approving act, read from the document: «Департамент
    общего образования Томской области» → ДОО ТО, «МАОУ СОШ № 44» → МАОУ СОШ № 44 г. Томска.
    An exact name or alias wins; otherwise the one organization whose name holds every word of
    the issuer. None when nothing or more than one matches — the coordinator then chooses."""
    issuer = (act or {}).get("issuer") or ""
    words = _words(issuer)
    if not words:
        return None
    alias = (
        ExecutorAlias.objects.filter(region=region, normalized=ExecutorAlias.normalize(issuer))
        .exclude(organization=None)
        .select_related("organization")
        .first()
    )
    if alias:
        return alias.organization
    candidates = []
    for org in Organization.objects.filter(region=region, kind__in=list(OWNER_LEVEL)):
        names = [_words(org.short_name), _words(org.name)]
        if words in names:
            return org
        if any(words <= n for n in names):
            candidates.append(org)
    return candidates[0] if len(candidates) == 1 else None


def import_duplicates(draft: ImportDraft, user: User) -> list[Roadmap]:
    """Roadmaps the user can see that this upload repeats: the same file, or the same approving
    act (number and date) in the region."""
    act = draft.settings.get("act") or {}
    same = Q(source_checksum=draft.source_checksum)
    if act.get("number") and act.get("date"):
        same |= Q(act_number=act["number"], act_date=act["date"])
    return list(Roadmap.objects.visible_to(user).filter(same, region=draft.region).order_by("pk"))


def check_upload(name: str, data: bytes) -> None:
    """The one upload check (size, name, archive limits, content), narrowed to DOCX, XLSX and PDF."""
    try:
        uploads.check_upload(name, data, kinds=uploads.PLAN_KINDS)
    except uploads.UploadRejected as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def do_create_import_draft(*, actor: User, region: Region, name: str, data: bytes) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, region)
    check_upload(name, data)
    parsed = parse_document(data)  # ReadError propagates: nothing is saved
    period = default_period(parsed)
    level = guess_level(parsed)
    owner = guess_owner(region, parsed.get("act") or {})
    if owner is not None and owner.kind not in Roadmap.OWNER_KINDS[level]:
        level = OWNER_LEVEL[owner.kind]  # the issuer knows better than the title's wording
    settings = {
        "level": level,
        "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
        "title": parsed.get("title", ""),
        "act": parsed.get("act") or {},
        "owner": owner.pk if owner else None,
        "parent": None,
        "manual_dates": {},
    }
    return ImportDraft.objects.create(
        region=region,
        created_by=actor,
        source_name=name[:255],
        source_checksum=hashlib.sha256(data).hexdigest(),
        parsed=parsed,
        settings=settings,
    )


def draft_analysis(draft: ImportDraft) -> dict | None:
    period = draft.settings.get("period")
    if not period:
        return None
    owner_id = draft.settings.get("owner")
    owner = Organization.objects.filter(region=draft.region, pk=owner_id).first() if owner_id else None
    return analyse(
        draft.parsed,
        period=(dt.date.fromisoformat(period[0]), dt.date.fromisoformat(period[1])),
        aliases=region_aliases(draft.region),
        manual_dates=draft.settings.get("manual_dates", {}),
        own_organization=own_target(draft.settings.get("level", ""), owner),
        school_calendar=draft.region.calendar,
        act_date=_act_date(draft.settings.get("act") or {}),
    )


def _require_open(draft: ImportDraft) -> None:
    if draft.roadmap_id:
        raise ValidationError(_("Этот импорт уже подтверждён: дорожная карта создана."))


@transaction.atomic
def do_update_import_settings(*, actor: User, draft: ImportDraft, values: dict) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    draft.settings.update(values)
    draft.save(update_fields=["settings"])
    return draft


@transaction.atomic
def do_set_manual_dates(*, actor: User, draft: ImportDraft, key: str, text: str) -> ImportDraft:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    keys = {
        i["key"]
        for s in draft.parsed["sections"]
        for top in s["items"]
        for i in [top, *top.get("children", [])]
    }
    if key not in keys:
        raise ValidationError(_("Такого мероприятия нет в загруженном плане."))
    manual = draft.settings.setdefault("manual_dates", {})
    if text.strip():
        manual[key] = [list(w) for w in parse_manual_dates(text)]  # ManualDatesError is a ValueError
    else:
        manual.pop(key, None)
    draft.save(update_fields=["settings"])
    return draft


@transaction.atomic
def do_confirm_import(*, actor: User, draft: ImportDraft) -> Roadmap:
    access.require(actor, rules.IMPORT_ROADMAP, draft.region)
    _require_open(draft)
    if draft.settings.get("amends"):
        raise ValidationError(_("Это новая редакция существующей дорожной карты: подтвердите изменения."))
    s = draft.settings
    if not s.get("period"):
        raise ValidationError(_("Укажите период дорожной карты."))
    if not s.get("owner"):
        raise ValidationError(_("Выберите организацию — владельца дорожной карты."))
    owner = Organization.objects.filter(region=draft.region, pk=s["owner"]).first()
    parent = Roadmap.objects.filter(region=draft.region, pk=s["parent"]).first() if s.get("parent") else None
    analysis = draft_analysis(draft)
    roadmap = create_roadmap(
        actor=actor,
        region=draft.region,
        analysis=analysis,
        level=s["level"],
        owner=owner,
        parent=parent,
        title=s.get("title") or analysis["title"],
        act=s.get("act") or {},
        source_name=draft.source_name,
        source_checksum=draft.source_checksum,
    )
    draft.roadmap = roadmap
    draft.save(update_fields=["roadmap"])
    return roadmap


def _act_date(act: dict) -> dt.date | None:
    return dt.date.fromisoformat(act["date"]) if act.get("date") else None


@transaction.atomic
def create_roadmap(
    *,
    actor: User | None,
    region: Region,
    analysis: dict,
    level: str,
    owner: Organization | None,
    parent: Roadmap | None = None,
    title: str = "",
    act: dict | None = None,
    status: str = Roadmap.Status.DRAFT,
    source_name: str = "",
    source_checksum: str = "",
) -> Roadmap:
    """Save an analysed plan as a roadmap with its sections, items, dates and executors."""
    act = act or {}
    start, end = (dt.date.fromisoformat(d) for d in analysis["period"])
    if owner is None:
        raise ValidationError({"owner": _("Выберите организацию — владельца дорожной карты.")})
    roadmap = Roadmap(
        region=region,
        level=level,
        owner=owner,
        parent=parent,
        title=(title or analysis["title"] or _("Дорожная карта")).strip(),
        period_start=start,
        period_end=end,
        status=status,
        act_kind=act.get("kind", ""),
        act_number=act.get("number", ""),
        act_date=_act_date(act),
        act_issuer=act.get("issuer", ""),
        source_name=source_name,
        source_checksum=source_checksum,
        created_by=actor,
    )
    if status == Roadmap.Status.APPROVED:
        roadmap.approved_at, roadmap.approved_by = timezone.now(), actor
    roadmap.full_clean()
    roadmap.save()
    position = 0
    dates, executors, history = [], [], []
    for s_pos, section_data in enumerate(analysis["sections"], start=1):
        section = Section.objects.create(
            region=region, roadmap=roadmap, position=s_pos, title=section_data["title"]
        )
        for top in section_data["items"]:
            for data, parent_item in [(top, None)] + [(c, "top") for c in top["children"]]:
                position += 1
                item = _new_item(roadmap, section, data, position)
                if parent_item is None:
                    top_item = item
                else:
                    item.parent = top_item
                item.save()
                dates += _control_dates(item, data["schedule"]["windows"])
                executors += _executors(item, data["executors"])
                history.append(
                    ItemHistory(region=region, item=item, user=actor, action="created", changes={})
                )
    ControlDate.objects.bulk_create(dates)
    ItemExecutor.objects.bulk_create(executors)
    ItemHistory.objects.bulk_create(history)
    if status == Roadmap.Status.APPROVED:
        _roadmap_changed(roadmap)
    return roadmap


def _new_item(roadmap: Roadmap, section: Section, data: dict, position: int) -> Item:
    schedule, indicator = data["schedule"], data["indicator"]
    value = indicator.get("value")
    return Item(
        region=roadmap.region,
        roadmap=roadmap,
        section=section,
        position=position,
        number=data["number"],
        text=data["text"],
        schedule_text=schedule["text"],
        schedule_kind=schedule["kind"],
        schedule_understood=schedule["understood"],
        schedule_note=(schedule.get("note") or "")[:300],
        indicator_text=indicator.get("text", ""),
        target_value=value if value not in (None, "") else None,
        target_unit=(indicator.get("unit") or "")[:100],
        target_comparator=indicator.get("comparator") or "=",
        target_per=indicator.get("per") or "",
        result_text=data["result"],
        executors_text=data["executors_text"],
    )


def _control_dates(item: Item, windows: list[dict]) -> list[ControlDate]:
    seen, rows = set(), []
    for w in windows:
        key = (w["start"], w["due"])
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            ControlDate(
                region=item.region,
                item=item,
                window_start=dt.date.fromisoformat(w["start"]),
                due_date=dt.date.fromisoformat(w["due"]),
            )
        )
    return rows


def _executors(item: Item, executors: list[dict]) -> list[ItemExecutor]:
    return [
        ItemExecutor(
            region=item.region,
            item=item,
            position=n,
            text=e["text"][:500],
            organization_id=e.get("organization_id"),
            group=e.get("group", ""),
            persons=(e.get("persons") or "")[:300],
        )
        for n, e in enumerate(executors)
    ]


# --- Editing ----------------------------------------------------------------------------------

EDITABLE = ("number", "text", "schedule_text", "indicator_text", "result_text", "executors_text")


@transaction.atomic
def do_update_item(
    *,
    actor: User,
    item: Item,
    values: dict,
    manual_dates: str = "",
    revision: Revision | None = None,
    comment: str = "",
    version: int | None = None,
) -> Item:
    """Change an item, re-read what changed (dates, target, executors) and record the history.

    ``version`` is the one the form was drawn from: a save over somebody else's newer one is
    refused (``core.concurrency.StaleEdit``) instead of silently undoing it."""
    access.require(actor, rules.EDIT_ROADMAP, item)
    if revision is not None and revision.roadmap_id != item.roadmap_id:
        raise ValidationError({"revision": _("Редакция относится к другой дорожной карте.")})
    item = Item.objects.select_for_update().get(pk=item.pk)
    check_version(item, version, submitted={f: values[f] or "" for f in EDITABLE if f in values})
    roadmap = item.roadmap
    changes = {}
    for field in EDITABLE:
        if field in values and (values[field] or "") != getattr(item, field):
            changes[field] = [getattr(item, field), values[field] or ""]
            setattr(item, field, values[field] or "")
    if not item.text.strip():
        raise ValidationError({"text": _("Текст мероприятия не может быть пустым.")})
    old_dates = [(c.window_start.isoformat(), c.due_date.isoformat()) for c in item.control_dates.all()]
    if manual_dates.strip():
        windows = [{"start": s, "due": d} for s, d in parse_manual_dates(manual_dates)]
        item.schedule_kind, item.schedule_understood, item.schedule_note = (
            Item.ScheduleKind.MANUAL,
            True,
            _("Даты заданы вручную"),
        )
        _replace_dates(item, windows)
    elif "schedule_text" in changes or (
        item.schedule_kind == Item.ScheduleKind.MANUAL and values.get("reset_dates")
    ):
        _reparse_schedule(item)
    if "indicator_text" in changes:
        parsed = parse_indicator(item.indicator_text)
        item.target_value, item.target_unit = parsed.value, parsed.unit[:100]
        item.target_comparator, item.target_per = parsed.comparator, parsed.per
    if "executors_text" in changes:
        item.executors.all().delete()
        ItemExecutor.objects.bulk_create(
            _executors(
                item,
                [e.to_dict() for e in resolve_executors(item.executors_text, region_aliases(roadmap.region))],
            )
        )
    new_dates = [(c.window_start.isoformat(), c.due_date.isoformat()) for c in item.control_dates.all()]
    if new_dates != old_dates:
        changes["control_dates"] = [[f"{s}…{d}" for s, d in old_dates], [f"{s}…{d}" for s, d in new_dates]]
    if not changes:
        return item
    item.full_clean()
    bump(item)
    item.save()
    ItemHistory.objects.create(
        region=item.region,
        item=item,
        revision=revision,
        user=actor,
        action="changed",
        changes=changes,
        comment=comment,
    )
    if roadmap.status == Roadmap.Status.APPROVED and ({"executors_text", "control_dates"} & changes.keys()):
        _roadmap_changed(roadmap)
    return item


@transaction.atomic
def do_create_item(
    *,
    actor: User,
    roadmap: Roadmap,
    text: str,
    number: str = "",
    section: Section | None = None,
    parent: Item | None = None,
    schedule_text: str = "",
    indicator_text: str = "",
    result_text: str = "",
    executors_text: str = "",
    manual_dates: str = "",
    revision: Revision | None = None,
) -> Item:
    """Add an item (e.g. «дополнены п.п. 9, 10») at the end of its section or parent item."""
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    if not text.strip():
        raise ValidationError({"text": _("Текст мероприятия не может быть пустым.")})
    for obj, field in ((section, "section"), (parent, "parent"), (revision, "revision")):
        if obj is not None and obj.roadmap_id != roadmap.pk:
            raise ValidationError({field: _("Относится к другой дорожной карте.")})
    if parent is not None:
        section = parent.section
        siblings = Item.objects.filter(Q(pk=parent.pk) | Q(parent=parent))
    elif section is not None:
        siblings = Item.objects.filter(roadmap=roadmap, section=section)
    else:
        siblings = Item.objects.filter(roadmap=roadmap)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    position = (siblings.aggregate(p=Max("position"))["p"] or 0) + 1
    # Make room: items after the insertion point move down by one.
    Item.objects.filter(roadmap=roadmap, position__gte=position).update(position=F("position") + 1)
    parsed_indicator = parse_indicator(indicator_text)
    item = Item(
        region=roadmap.region,
        roadmap=roadmap,
        section=section,
        parent=parent,
        position=position,
        number=number.strip(),
        text=text.strip(),
        schedule_text=schedule_text.strip(),
        indicator_text=indicator_text.strip(),
        target_value=parsed_indicator.value,
        target_unit=parsed_indicator.unit[:100],
        target_comparator=parsed_indicator.comparator,
        target_per=parsed_indicator.per,
        result_text=result_text.strip(),
        executors_text=executors_text.strip(),
        added_by=revision,
    )
    item.full_clean()
    item.save()
    if manual_dates.strip():
        windows = [{"start": s, "due": d} for s, d in parse_manual_dates(manual_dates)]
        item.schedule_kind, item.schedule_understood = Item.ScheduleKind.MANUAL, True
        item.schedule_note = _("Даты заданы вручную")
        _replace_dates(item, windows)
    else:
        _reparse_schedule(item)
    item.save()
    ItemExecutor.objects.bulk_create(
        _executors(
            item,
            [e.to_dict() for e in resolve_executors(item.executors_text, region_aliases(roadmap.region))],
        )
    )
    ItemHistory.objects.create(
        region=roadmap.region, item=item, revision=revision, user=actor, action="created", changes={}
    )
    if roadmap.status == Roadmap.Status.APPROVED:
        _roadmap_changed(roadmap)
    return item


def _replace_dates(item: Item, windows: list[dict]) -> None:
    item.control_dates.all().delete()
    ControlDate.objects.bulk_create(_control_dates(item, windows))


def _reparse_schedule(item: Item) -> None:
    roadmap = item.roadmap
    text = item.schedule_text or (item.parent.schedule_text if item.parent_id else "")
    parsed = parse_schedule(
        text,
        roadmap.period_start,
        roadmap.period_end,
        school_calendar=roadmap.region.calendar,
        act_date=roadmap.act_date,
    )
    item.schedule_kind, item.schedule_understood = parsed.kind.value, parsed.understood
    item.schedule_note = parsed.note[:300]
    _replace_dates(item, [w.to_dict() for w in parsed.windows])


@transaction.atomic
def do_approve_roadmap(*, actor: User, roadmap: Roadmap) -> Roadmap:
    access.require(actor, rules.APPROVE_ROADMAP, roadmap)
    if roadmap.status == Roadmap.Status.APPROVED:
        raise ValidationError(_("Дорожная карта уже утверждена."))
    if roadmap.status == Roadmap.Status.ARCHIVED:
        raise ValidationError(_("Дорожная карта в архиве; утвердить её нельзя."))
    unknown = roadmap.items.filter(schedule_understood=False).count()
    if unknown:
        raise ValidationError(
            ngettext(
                "Нельзя утвердить: у %(n)s мероприятия не распознаны сроки. Задайте даты вручную.",
                "Нельзя утвердить: у %(n)s мероприятий не распознаны сроки. Задайте даты вручную.",
                unknown,
            )
            % {"n": unknown}
        )
    roadmap.status, roadmap.approved_at, roadmap.approved_by = Roadmap.Status.APPROVED, timezone.now(), actor
    roadmap.save(update_fields=["status", "approved_at", "approved_by"])
    _roadmap_changed(roadmap)
    return roadmap


@transaction.atomic
def do_archive_roadmap(*, actor: User, roadmap: Roadmap) -> Roadmap:
    access.require(actor, rules.APPROVE_ROADMAP, roadmap)
    roadmap.status = Roadmap.Status.ARCHIVED
    roadmap.save(update_fields=["status"])
    return roadmap


@transaction.atomic
def do_add_revision(
    *,
    actor: User,
    roadmap: Roadmap,
    act_kind: str,
    act_number: str,
    act_date: dt.date,
    act_issuer: str = "",
    summary: str = "",
    added_numbers: list[str] | None = None,
) -> Revision:
    """Record an amending act; items it added are marked, later item edits may cite it."""
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    revision = Revision(
        region=roadmap.region,
        roadmap=roadmap,
        act_kind=act_kind.strip(),
        act_number=act_number.strip(),
        act_date=act_date,
        act_issuer=act_issuer.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    revision.full_clean()
    revision.save()
    if added_numbers:
        wanted = {n.strip().rstrip(".") for n in added_numbers if n.strip()}
        items = [i for i in roadmap.items.all() if i.number.rstrip(".") in wanted]
        missing = wanted - {i.number.rstrip(".") for i in items}
        if missing:
            raise ValidationError(
                {
                    "added_numbers": _("В дорожной карте нет пунктов: %(n)s.")
                    % {"n": ", ".join(sorted(missing))}
                }
            )
        Item.objects.filter(pk__in=[i.pk for i in items]).update(added_by=revision)
    return revision


# --- Amendments by upload, removal, order ------------------------------------------------------

AMENDABLE = {
    "text": "text",
    "schedule_text": "schedule",
    "indicator_text": "indicator",
    "result_text": "result",
    "executors_text": "executors_text",
}


@transaction.atomic
def do_create_amendment_draft(*, actor: User, roadmap: Roadmap, name: str, data: bytes) -> ImportDraft:
    """A new version of an imported plan («в редакции от …»): read like an import, then compared
    with the roadmap item by item on the preview page."""
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    if roadmap.status == Roadmap.Status.ARCHIVED:
        raise ValidationError(_("Дорожная карта в архиве; изменить её нельзя."))
    check_upload(name, data)
    parsed = parse_document(data)
    act = parsed.get("act") or {}
    if act.get("number") == roadmap.act_number and _act_date(act) == roadmap.act_date:
        act = {}  # the original act, repeated on the new version: the amending one is asked for
    return ImportDraft.objects.create(
        region=roadmap.region,
        created_by=actor,
        source_name=name[:255],
        source_checksum=hashlib.sha256(data).hexdigest(),
        parsed=parsed,
        settings={
            "amends": roadmap.pk,
            "level": roadmap.level,
            "period": [roadmap.period_start.isoformat(), roadmap.period_end.isoformat()],
            "title": roadmap.title,
            "act": act,
            "owner": roadmap.owner_id,
            "parent": roadmap.parent_id,
            "manual_dates": {},
        },
    )


def amended_roadmap(draft: ImportDraft) -> Roadmap | None:
    pk = draft.settings.get("amends")
    return Roadmap.objects.filter(region=draft.region, pk=pk).first() if pk else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _number_key(number: str) -> str:
    return number.strip().rstrip(".)").strip()


def amendment_diff(draft: ImportDraft) -> list[dict]:
    """What the new version changes, item by item: added, changed (with each field's old and new
    text) and removed, in the new version's order (removed ones last). Items are matched by
    section title and number — numbers restart in some plans' sections — or by number alone
    when the sections were renamed."""
    roadmap = amended_roadmap(draft)
    analysis = draft_analysis(draft)
    if roadmap is None or analysis is None:
        return []
    current = list(
        roadmap.items.filter(removed_at__isnull=True).select_related("section").order_by("position")
    )
    by_key = {(_norm(i.section.title if i.section else ""), _number_key(i.number)): i for i in current}
    by_number: dict[str, list[Item]] = {}
    for i in current:
        by_number.setdefault(_number_key(i.number), []).append(i)
    matched: set[int] = set()
    changes: list[dict] = []
    for section in analysis["sections"]:
        for top in section["items"]:
            for data in [top, *top["children"]]:
                number = _number_key(data["number"])
                old = by_key.get((_norm(section["title"]), number))
                if old is None and len(by_number.get(number, [])) == 1:
                    old = by_number[number][0]
                if old is None or old.pk in matched:
                    changes.append(
                        {"change": "added", "number": data["number"], "section": section["title"], "data": data,
                         "parent": top["number"] if data is not top else None, "fields": []}
                    )  # fmt: skip
                    continue
                matched.add(old.pk)
                fields = [
                    {
                        "field": field,
                        "label": str(Item._meta.get_field(field).verbose_name),
                        "old": getattr(old, field),
                        "new": _new_value(data, key),
                    }
                    for field, key in AMENDABLE.items()
                    if _norm(getattr(old, field)) != _norm(_new_value(data, key))
                ]
                if fields:
                    changes.append(
                        {"change": "changed", "number": data["number"], "section": section["title"],
                         "item": old.pk, "key": data["key"], "fields": fields}
                    )  # fmt: skip
    changes += [
        {"change": "removed", "number": i.number, "section": i.section.title if i.section else "", "item": i.pk,
         "fields": []}
        for i in current
        if i.pk not in matched
    ]  # fmt: skip
    return changes


def _new_value(data: dict, key: str) -> str:
    value = data[key]
    return value.get("text", "") if isinstance(value, dict) else value or ""


def _summary(changes: list[dict]) -> str:
    parts = []
    labels = {
        "added": _("дополнены п. %(n)s"),
        "changed": _("изменены п. %(n)s"),
        "removed": _("исключены п. %(n)s"),
    }
    for change, label in labels.items():
        numbers = [c["number"].rstrip(".") for c in changes if c["change"] == change]
        if numbers:
            parts.append(label % {"n": ", ".join(numbers)})
    return "; ".join(parts)


@transaction.atomic
def do_confirm_amendment(
    *,
    actor: User,
    draft: ImportDraft,
    act_kind: str,
    act_number: str,
    act_date: dt.date,
    act_issuer: str = "",
) -> Revision:
    """Record the new version as a revision with its amending act: changed items are updated
    (their history cites the act), new ones added, dropped ones removed; obligations follow as
    for a revision made by hand."""
    roadmap = amended_roadmap(draft)
    if roadmap is None:
        raise ValidationError(_("Эта загрузка не является новой редакцией дорожной карты."))
    access.require(actor, rules.EDIT_ROADMAP, roadmap)
    _require_open(draft)
    changes = amendment_diff(draft)
    if not changes:
        raise ValidationError(_("Новая редакция ничем не отличается от действующей: изменений нет."))
    revision = do_add_revision(
        actor=actor,
        roadmap=roadmap,
        act_kind=act_kind,
        act_number=act_number,
        act_date=act_date,
        act_issuer=act_issuer,
        summary=_summary(changes),
    )
    comment = _("Новая редакция: %(act)s") % {"act": str(revision)}
    manual = draft.settings.get("manual_dates", {})
    for change in changes:
        if change["change"] == "changed":
            item = Item.objects.get(pk=change["item"], roadmap=roadmap)
            values = {f["field"]: f["new"] for f in change["fields"]}
            dates = "\n".join(f"{_ru(s)}–{_ru(d)}" for s, d in manual.get(change["key"], []))
            do_update_item(
                actor=actor, item=item, values=values, manual_dates=dates, revision=revision, comment=comment
            )
        elif change["change"] == "removed":
            do_remove_item(
                actor=actor, item=Item.objects.get(pk=change["item"]), revision=revision, comment=comment
            )
    for change in changes:
        if change["change"] == "added":
            _add_from_amendment(actor, roadmap, change, revision, manual)
    draft.roadmap = roadmap
    draft.save(update_fields=["roadmap"])
    if roadmap.status == Roadmap.Status.APPROVED:
        _roadmap_changed(roadmap)
    return revision


def _ru(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")


def _add_from_amendment(
    actor: User, roadmap: Roadmap, change: dict, revision: Revision, manual: dict
) -> None:
    data = change["data"]
    section = roadmap.sections.filter(title=change["section"]).first()
    if section is None:
        last = roadmap.sections.aggregate(p=Max("position"))["p"] or 0
        section = Section.objects.create(
            region=roadmap.region, roadmap=roadmap, position=last + 1, title=change["section"]
        )
    parent = None
    if change["parent"]:
        parent = roadmap.items.filter(
            section=section, parent__isnull=True, number=change["parent"], removed_at__isnull=True
        ).first()
    windows = manual.get(data["key"], [])
    do_create_item(
        actor=actor,
        roadmap=roadmap,
        text=data["text"],
        number=data["number"],
        section=section,
        parent=parent,
        schedule_text=data["schedule"]["text"],
        indicator_text=data["indicator"].get("text", ""),
        result_text=data["result"],
        executors_text=data["executors_text"],
        manual_dates="\n".join(f"{_ru(s)}–{_ru(d)}" for s, d in windows),
        revision=revision,
    )


@transaction.atomic
def do_remove_item(*, actor: User, item: Item, revision: Revision | None = None, comment: str = "") -> Item:
    """Take an item out of the plan. It stays (with its history, dates and reports) marked as
    removed; it produces no more obligations (those already reported are kept by monitoring)."""
    access.require(actor, rules.EDIT_ROADMAP, item)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.removed_at is not None:
        raise ValidationError(_("Мероприятие уже исключено."))
    if revision is not None and revision.roadmap_id != item.roadmap_id:
        raise ValidationError({"revision": _("Редакция относится к другой дорожной карте.")})
    now = timezone.now()
    removed = [item, *item.children.filter(removed_at__isnull=True)]
    for one in removed:
        one.removed_at, one.removed_by = now, revision
        one.save(update_fields=["removed_at", "removed_by"])
        ItemHistory.objects.create(
            region=one.region,
            item=one,
            revision=revision,
            user=actor,
            action="removed",
            changes={},
            comment=comment,
        )
    if item.roadmap.status == Roadmap.Status.APPROVED:
        _roadmap_changed(item.roadmap)
    return item


@transaction.atomic
def do_move_item(*, actor: User, item: Item, direction: str) -> Item:
    """Move an item one place up or down among its siblings (same section, same parent); its
    sub-items move with it."""
    access.require(actor, rules.EDIT_ROADMAP, item)
    if direction not in ("up", "down"):
        raise ValidationError(_("Неизвестное направление перемещения."))
    roadmap = Roadmap.objects.select_for_update().get(pk=item.roadmap_id)
    siblings = list(
        roadmap.items.filter(
            section=item.section_id, parent=item.parent_id, removed_at__isnull=True
        ).order_by("position")
    )
    index = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        raise ValidationError(_("Мероприятие уже первое в своём разделе.") if direction == "up"
                              else _("Мероприятие уже последнее в своём разделе."))  # fmt: skip
    first, second = sorted([siblings[index], siblings[other_index]], key=lambda i: i.position)
    # Each block is an item with its sub-items; the two blocks swap places in the order.
    blocks = [
        list(roadmap.items.filter(Q(pk=b.pk) | Q(parent=b)).order_by("position")) for b in (first, second)
    ]
    start = blocks[0][0].position
    before = item.position
    for offset, one in enumerate([*blocks[1], *blocks[0]]):
        Item.objects.filter(pk=one.pk).update(position=start + offset)
    item.refresh_from_db(fields=["position"])
    ItemHistory.objects.create(
        region=item.region,
        item=item,
        user=actor,
        action="moved",
        changes={"position": [str(before), str(item.position)]},
    )
    return item
