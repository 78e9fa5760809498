"""Bringing a region live: the region itself, its organizations and its yearly statuses.

The pages (``schools/onboarding_views.py``) and the commands (``create_region``,
``import_organizations``, ``import_statuses``) call the same functions: a *preview* (what a file
would change, every problem named by row and column — a plain dict, shown as a page or printed
as JSON) and a *confirm* that recomputes the preview inside one transaction and writes all of it
or nothing.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.xlsx import Sheet, xlsx_bytes
from schools import access, signals
from schools import vocabulary as V
from schools.matching import Candidate, Matcher
from schools.models import ExecutorAlias, Municipality, Organization, Region, SchoolStatus, User
from schools.school_calendar import FEDERAL_CALENDAR
from schools.tables import Column, Table, parse_flag

Kind = Organization.Kind
School = Organization.Kind.SCHOOL
MAX_SHOWN_PROBLEMS = 10


def _notify(action: str, *, obj: Any, actor: User | None, details: dict | None = None) -> None:
    signals.hierarchy_changed.send(
        sender=type(obj), action=action, obj=obj, actor=actor, details=details or {}
    )


# --- Regions ----------------------------------------------------------------------------------


@transaction.atomic
def do_create_region(
    *,
    actor: User | None,
    code: str,
    name: str,
    timezone: str,
    short_name: str = "",
    school_year_start: tuple[int, int] = (9, 1),
    school_year_end: tuple[int, int] = (5, 31),
) -> Region:
    """A new, empty region. Only the platform administrator (or a command, ``actor=None``)."""
    if actor is not None and not actor.is_superuser:
        raise ValidationError(_("Создать регион может только администратор платформы."))
    for month, day in (school_year_start, school_year_end):
        try:
            dt.date(2024, month, day)  # a leap year: 29 February is a real day
        except (TypeError, ValueError):
            raise ValidationError(
                _("Такого дня в этом месяце нет: %(day)s.%(month)s.") % {"day": day, "month": month}
            ) from None
    region = Region(
        code=(code or "").strip(),
        name=(name or "").strip(),
        short_name=(short_name or "").strip(),
        timezone=(timezone or "").strip(),
        school_calendar=_calendar_with_year(school_year_start, school_year_end),
    )
    region.full_clean()
    region.save()
    _notify(signals.REGION_CREATED, obj=region, actor=actor, details={"code": region.code})
    return region


def _calendar_with_year(start: tuple[int, int], end: tuple[int, int]) -> dict:
    """The region's calendar setting (schools/school_calendar.py) with its own year, if not the federal one."""
    if (start, end) == FEDERAL_CALENDAR.year:
        return {}
    return {"year": [f"{day:02d}.{month:02d}" for month, day in (start, end)]}


@transaction.atomic
def do_add_regional_body(
    *, actor: User | None, region: Region, kind: str, short_name: str, name: str
) -> Organization:
    """One regional organization (the operator a first coordinator belongs to), before any upload."""
    if actor is not None:
        access.require(actor, access.Action.MANAGE_REGION, region)
    org = Organization(region=region, kind=kind, short_name=short_name.strip(), name=name.strip())
    org.full_clean()
    org.save()
    return org


# --- Organizations ----------------------------------------------------------------------------

ORG_COLUMNS = (
    Column("code", gettext_lazy("Код"), V.HEADER_SYNONYMS["code"], True),
    Column("kind", gettext_lazy("Вид"), V.HEADER_SYNONYMS["kind"], True),
    Column("name", gettext_lazy("Полное название"), V.HEADER_SYNONYMS["name"], True),
    Column("short_name", gettext_lazy("Краткое название"), V.HEADER_SYNONYMS["short_name"], True),
    Column("municipality", gettext_lazy("Муниципалитет"), V.HEADER_SYNONYMS["municipality"]),
    Column("municipality_kind", gettext_lazy("Вид муниципалитета"), V.HEADER_SYNONYMS["municipality_kind"]),
    Column("legal_form", gettext_lazy("Организационно-правовая форма"), V.HEADER_SYNONYMS["legal_form"]),
    Column("parent_code", gettext_lazy("Код головной организации"), V.HEADER_SYNONYMS["parent_code"]),
    Column("is_rural", gettext_lazy("Сельская"), V.HEADER_SYNONYMS["is_rural"]),
    Column("is_small", gettext_lazy("Малокомплектная"), V.HEADER_SYNONYMS["is_small"]),
    Column("director", gettext_lazy("Руководитель"), V.HEADER_SYNONYMS["director"]),
    Column("address", gettext_lazy("Адрес"), V.HEADER_SYNONYMS["address"]),
    Column("website", gettext_lazy("Сайт"), V.HEADER_SYNONYMS["website"]),
    Column("email", gettext_lazy("E-mail"), V.HEADER_SYNONYMS["email"]),
    Column("phone", gettext_lazy("Телефон"), V.HEADER_SYNONYMS["phone"]),
)
# The organization fields a row sets, in the template's order.
ORG_FIELDS = (
    "kind",
    "name",
    "short_name",
    "municipality",
    "legal_form",
    "parent",
    "is_rural",
    "is_small",
    "director_name",
    "address",
    "website",
    "email",
    "phone",
)


def _choice(text: str, words: dict[str, str], choices: Any) -> str | None:
    t = " ".join(V.fold_letters(text).split()).strip(" .")
    if t in words:
        return words[t]
    for value, label in choices:
        if t in (str(value), str(label).lower().strip("«»")):
            return value
    return None


def _max_length(field: str) -> int | None:
    return Organization._meta.get_field(field).max_length


class _Problems(list):
    def add(self, row: int | None, column: str, message: str) -> None:
        self.append({"row": row, "column": column, "message": message})


def organizations_preview(*, region: Region, table: Table) -> dict[str, Any]:
    """What uploading ``table`` to ``region`` would do; writes nothing."""
    plan = _plan_organizations(region, table)
    return plan["preview"]


def _plan_organizations(region: Region, table: Table) -> dict[str, Any]:
    problems = _Problems()
    header = {c.key: table.headers.get(c.key, c.header) for c in ORG_COLUMNS}
    existing = list(Organization.objects.filter(region=region).select_related("municipality", "parent"))
    by_code = {o.external_code: o for o in existing if o.external_code}
    by_short = {o.short_name.lower(): o for o in existing}
    municipalities = {m.name.lower(): m for m in Municipality.objects.filter(region=region)}
    new_municipalities: dict[str, dict[str, Any]] = {}
    seen_codes: dict[str, int] = {}
    seen_short: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for number, raw in table.rows:
        bad = len(problems)
        code = raw.get("code", "").strip()
        if not code:
            problems.add(number, header["code"], _("Не указан код организации."))
        elif code in seen_codes:
            problems.add(
                number,
                header["code"],
                _("Код «%(code)s» уже встречался в строке %(row)s.")
                % {"code": code, "row": seen_codes[code]},
            )
        elif len(code) > _max_length("external_code"):
            problems.add(
                number, header["code"], _("Код длиннее %(n)s знаков.") % {"n": _max_length("external_code")}
            )
        seen_codes.setdefault(code, number)
        kind = _choice(raw.get("kind", ""), V.KIND_WORDS, Kind.choices)
        if kind is None:
            problems.add(
                number,
                header["kind"],
                _(
                    "Неизвестный вид «%(value)s»: укажите, например, «школа», «МОУО», «методический центр», «институт», «департамент»."
                )
                % {"value": raw.get("kind", "")},
            )
        values: dict[str, Any] = {"kind": kind}
        for key, field in (
            ("name", "name"),
            ("short_name", "short_name"),
            ("legal_form", "legal_form"),
            ("director", "director_name"),
            ("address", "address"),
            ("phone", "phone"),
        ):
            text = raw.get(key, "").strip()
            limit = _max_length(field)
            if limit and len(text) > limit:
                problems.add(number, header[key], _("Текст длиннее %(n)s знаков.") % {"n": limit})
            values[field] = text[:limit] if limit else text
        for key in ("name", "short_name"):
            if not values[key]:
                problems.add(number, header[key], _("Не заполнено."))
        short = values["short_name"].lower()
        if short and short in seen_short:
            problems.add(
                number,
                header["short_name"],
                _("Такое краткое название уже есть в строке %(row)s.") % {"row": seen_short[short]},
            )
        seen_short.setdefault(short, number)
        for key in ("is_rural", "is_small"):
            flag = parse_flag(raw.get(key, ""))
            if flag is None:
                problems.add(
                    number,
                    header[key],
                    _("Ожидается «да» или «нет», а не «%(value)s».") % {"value": raw.get(key, "")},
                )
            values[key] = bool(flag)
        email = raw.get("email", "").strip()
        if email:
            try:
                EmailValidator()(email)
            except ValidationError:
                problems.add(
                    number, header["email"], _("«%(value)s» не похоже на адрес e-mail.") % {"value": email}
                )
        values["email"] = email
        website = raw.get("website", "").strip()
        if website and "://" not in website:
            website = "https://" + website
        if website:
            try:
                URLValidator()(website)
            except ValidationError:
                problems.add(
                    number,
                    header["website"],
                    _("«%(value)s» не похоже на адрес сайта.") % {"value": raw.get("website", "")},
                )
        values["website"] = website
        # Municipality: an existing one by name, or a new one when its kind is given.
        mun_name = raw.get("municipality", "").strip()
        values["municipality"] = None
        if mun_name:
            m = municipalities.get(mun_name.lower())
            if m is not None:
                values["municipality"] = m
            else:
                mkind = _choice(
                    raw.get("municipality_kind", ""), V.MUNICIPALITY_KIND_WORDS, Municipality.Kind.choices
                )
                if mkind is None and mun_name.lower() not in new_municipalities:
                    problems.add(
                        number,
                        header["municipality_kind"],
                        _(
                            "Муниципалитета «%(name)s» ещё нет в регионе: укажите его вид (городской округ, муниципальный район, муниципальный округ, ЗАТО)."
                        )
                        % {"name": mun_name},
                    )
                else:
                    new_municipalities.setdefault(
                        mun_name.lower(), {"name": mun_name, "kind": mkind, "row": number}
                    )
                values["municipality"] = ("new", mun_name.lower(), mun_name)
        elif kind in Organization.MUNICIPAL_KINDS:
            problems.add(
                number,
                header["municipality"],
                _("Для школы и муниципальной организации укажите муниципалитет."),
            )
        parent_code = raw.get("parent_code", "").strip()
        values["parent"] = parent_code or None
        if parent_code and kind != School:
            problems.add(
                number, header["parent_code"], _("Головная организация указывается только для филиала школы.")
            )
        target = by_code.get(code)
        if target is None and short in by_short and not by_short[short].external_code:
            target = by_short[short]  # an organization entered before codes: it gets this code
        if short and short in by_short and by_short[short] is not target:
            problems.add(
                number,
                header["short_name"],
                _("Краткое название «%(name)s» уже занято другой организацией региона (код «%(code)s»).")
                % {"name": values["short_name"], "code": by_short[short].external_code or "—"},
            )
        rows.append(
            {"row": number, "code": code, "values": values, "target": target, "ok": len(problems) == bad}
        )
    # Branches name their head organization by code: in this file or already in the region.
    codes_in_file = {r["code"]: r for r in rows}
    for r in rows:
        parent_code = r["values"]["parent"]
        if not parent_code:
            continue
        head = codes_in_file.get(parent_code)
        head_kind = head["values"]["kind"] if head else getattr(by_code.get(parent_code), "kind", None)
        if head is None and parent_code not in by_code:
            problems.add(
                r["row"],
                header["parent_code"],
                _("Нет организации с кодом «%(code)s».") % {"code": parent_code},
            )
        elif head_kind != School:
            problems.add(
                r["row"], header["parent_code"], _("Головная организация филиала должна быть школой.")
            )
        elif parent_code == r["code"]:
            problems.add(r["row"], header["parent_code"], _("Организация не может быть филиалом самой себя."))
    create, update, unchanged = [], [], []
    for r in rows:
        summary = {"row": r["row"], "code": r["code"], "short_name": r["values"]["short_name"]}
        if r["target"] is None:
            create.append(
                {**summary, "kind": str(Kind(r["values"]["kind"]).label) if r["values"]["kind"] else ""}
            )
            continue
        changes = _changes(r["target"], r["values"], r["code"])
        if changes:
            update.append({**summary, "id": r["target"].pk, "changes": changes})
        else:
            unchanged.append({**summary, "id": r["target"].pk})
    matched_ids = {r["target"].pk for r in rows if r["target"] is not None}
    missing = [
        {"id": o.pk, "code": o.external_code, "short_name": o.short_name, "kind": o.get_kind_display()}
        for o in existing
        if o.pk not in matched_ids and (o.external_code or o.kind == School)
    ]
    preview = {
        "region": region.code,
        "file": table.name,
        "rows_read": len(table.rows),
        "create": create,
        "update": update,
        "unchanged": unchanged,
        "missing": sorted(missing, key=lambda m: m["short_name"]),
        "new_municipalities": [
            {"name": m["name"], "kind": str(Municipality.Kind(m["kind"]).label) if m["kind"] else ""}
            for m in new_municipalities.values()
        ],
        "problems": sorted(problems, key=lambda p: (p["row"] or 0, p["column"])),
    }
    return {"preview": preview, "rows": rows, "new_municipalities": new_municipalities, "by_code": by_code}


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if value is None:
        return ""
    return str(value)


def _changes(org: Organization, values: dict[str, Any], code: str) -> list[dict[str, str]]:
    changes = []
    if org.external_code != code:
        changes.append(
            {
                "field": str(Organization._meta.get_field("external_code").verbose_name),
                "old": org.external_code,
                "new": code,
            }
        )
    for field in ORG_FIELDS:
        new = values[field]
        old: Any = getattr(org, field)
        if field == "municipality":
            new_name = new.name if isinstance(new, Municipality) else (new[2] if new else None)
            if (old.name.lower() if old else None) == (new_name.lower() if new_name else None):
                continue
            old, new = (old.name if old else ""), (new_name or "")
        elif field == "parent":
            if (old.external_code if old else None) == new:
                continue
            old = old.external_code if old else ""
        elif field == "kind":
            if old == new:
                continue
            old, new = org.get_kind_display(), (Kind(new).label if new else "")
        elif old == new:
            continue
        changes.append(
            {
                "field": str(Organization._meta.get_field(field).verbose_name),
                "old": _display(old),
                "new": _display(new),
            }
        )
    return changes


def refuse_with_problems(problems: list[dict[str, Any]]) -> None:
    shown = "; ".join(
        (_("строка %(row)s, «%(column)s»: %(message)s") if p["row"] else _("«%(column)s»: %(message)s")) % p
        for p in problems[:MAX_SHOWN_PROBLEMS]
    )
    raise ValidationError(
        ngettext(
            "В файле %(n)s ошибка, ничего не сохранено: %(list)s",
            "В файле %(n)s ошибок, ничего не сохранено: %(list)s",
            len(problems),
        )
        % {"n": len(problems), "list": shown}
    )


@transaction.atomic
def do_import_organizations(*, actor: User | None, region: Region, table: Table) -> dict[str, Any]:
    """Create and update the organizations of ``table`` in ``region``, all or nothing.

    Missing organizations (in the region, not in the file) are listed, never deleted.
    ``actor=None`` is the command line (the operator of the machine).
    """
    if actor is not None:
        access.require(actor, access.Action.MANAGE_REGION, region)
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one import per region at a time
    plan = _plan_organizations(region, table)
    preview = plan["preview"]
    if preview["problems"]:
        refuse_with_problems(preview["problems"])
    created_municipalities = {
        key: Municipality.objects.create(region=region, name=m["name"], kind=m["kind"])
        for key, m in plan["new_municipalities"].items()
    }
    saved: dict[str, Organization] = dict(plan["by_code"])
    for r in plan["rows"]:
        values = dict(r["values"])
        mun = values["municipality"]
        if isinstance(mun, tuple):
            values["municipality"] = created_municipalities[mun[1]]
        values.pop("parent")
        org = r["target"] or Organization(region=region)
        for field, value in values.items():
            setattr(org, field, value)
        org.external_code = r["code"]
        org.full_clean(exclude=["parent"])
        org.save()
        saved[r["code"]] = org
    for r in plan["rows"]:
        parent = saved.get(r["values"]["parent"]) if r["values"]["parent"] else None
        org = saved[r["code"]]
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.full_clean()
            org.save(update_fields=["parent"])
    _notify(
        signals.ORGANIZATIONS_IMPORTED,
        obj=region,
        actor=actor,
        details={
            "file": table.name,
            "created": len(preview["create"]),
            "updated": len(preview["update"]),
            "missing": len(preview["missing"]),
        },
    )
    return preview


def organization_rows(*, organizations: Any) -> list[list[Any]]:
    """Organizations in the template's shape: the export reads back as an upload."""
    rows = []
    for o in organizations:
        rows.append(
            [
                o.external_code,
                o.get_kind_display(),
                o.name,
                o.short_name,
                o.municipality.name if o.municipality else "",
                o.municipality.get_kind_display() if o.municipality else "",
                o.legal_form,
                o.parent.external_code if o.parent else "",
                _display(o.is_rural),
                _display(o.is_small),
                o.director_name,
                o.address,
                o.website,
                o.email,
                o.phone,
            ]
        )
    return rows


def organizations_xlsx(*, organizations: Any) -> bytes:
    """The organizations sheet: ``organizations`` in the template's shape, or (None) the template
    itself with one example row."""
    columns = [(c.header, 48 if c.key in ("name", "address") else 24) for c in ORG_COLUMNS]
    if organizations is None:
        rows = [
            [
                "700001",
                _("школа"),
                _(
                    "Муниципальное автономное общеобразовательное учреждение средняя общеобразовательная школа № 5"
                ),
                _("МАОУ СОШ № 5"),
                _("Город Примерный"),
                _("городской округ"),
                _("МАОУ"),
                "",
                _("нет"),
                _("нет"),
                _("Иванова Мария Петровна"),
                _("ул. Школьная, 5"),
                "school5.example.ru",
                "school5@example.ru",
                "8 (3822) 00-00-00",
            ]
        ]
    else:
        rows = organization_rows(organizations=organizations)
    return xlsx_bytes([Sheet(title=_("Организации"), columns=columns, rows=rows)])


# --- Statuses ---------------------------------------------------------------------------------

STATUS_COLUMNS = (
    Column("name", gettext_lazy("Название"), V.HEADER_SYNONYMS["status_name"], True),
    Column("code", gettext_lazy("Код"), V.HEADER_SYNONYMS["code"]),
    Column("category", gettext_lazy("Категория"), V.HEADER_SYNONYMS["category"]),
    Column("level", gettext_lazy("Уровень"), V.HEADER_SYNONYMS["level"]),
    Column("basis", gettext_lazy("Основание"), V.HEADER_SYNONYMS["basis"]),
)
CATEGORY_WORDS = V.CATEGORY_WORDS


def parse_category(text: str) -> str | None:
    return _choice(text.strip("«»\"' "), V.CATEGORY_WORDS, SchoolStatus.Category.choices)


def _school_matcher(region: Region) -> tuple[Matcher, dict[int, Organization], dict[str, Organization]]:
    schools = list(Organization.objects.filter(region=region, kind=School).select_related("municipality"))
    matcher = Matcher(
        Candidate(
            id=s.pk,
            names=(s.short_name, s.name),
            label=f"{s.short_name} ({s.municipality.name})" if s.municipality else s.short_name,
        )
        for s in schools
    )
    return matcher, {s.pk: s for s in schools}, {s.external_code: s for s in schools if s.external_code}


def statuses_preview(
    *, region: Region, table: Table, year: int, category: str = "", basis_document: str = ""
) -> dict[str, Any]:
    return _plan_statuses(region, table, year=year, category=category, basis_document=basis_document)[
        "preview"
    ]


def _plan_statuses(
    region: Region, table: Table, *, year: int, category: str, basis_document: str
) -> dict[str, Any]:
    problems = _Problems()
    header = {c.key: table.headers.get(c.key, c.header) for c in STATUS_COLUMNS}
    if not 2000 <= year <= 2100:
        problems.add(None, _("Год"), _("Год — четыре цифры, например 2025."))
    if not category and "category" not in table.headers:
        problems.add(
            None, header["category"], _("Нет столбца «Категория»: выберите одну категорию для всех строк.")
        )
    matcher, schools, by_code = _school_matcher(region)
    matched, unmatched = [], []
    seen: dict[tuple[int, str], int] = {}
    for number, raw in table.rows:
        name = raw.get("name", "").strip()
        cat = parse_category(raw["category"]) if raw.get("category", "").strip() else (category or None)
        if cat is None:
            problems.add(
                number,
                header["category"],
                _(
                    "Неизвестная категория «%(value)s»: ШНОР, ШНСУ, группа риска, опорная, «Школа Минпросвещения России»."
                )
                % {"value": raw.get("category", "")},
            )
            continue
        level = ""
        if raw.get("level", "").strip():
            level = V.LEVEL_WORDS.get(V.fold_letters(raw["level"]).strip()) or ""
            if not level:
                problems.add(
                    number,
                    header["level"],
                    _("Неизвестный уровень «%(value)s»: ниже базового, базовый, средний, полный.")
                    % {"value": raw["level"]},
                )
            elif cat != SchoolStatus.Category.MINPROS:
                problems.add(
                    number,
                    header["level"],
                    _("Уровень указывается только для «Школы Минпросвещения России»."),
                )
                level = ""
        if not name and not raw.get("code"):
            problems.add(number, header["name"], _("Не указано название школы."))
            continue
        school = by_code.get(raw.get("code", "").strip()) if raw.get("code", "").strip() else None
        if school is None:
            found = matcher.match(name)
            school = schools.get(found.id) if found else None
        entry = {
            "row": number,
            "name": name or raw.get("code", ""),
            "category": cat,
            "category_label": str(SchoolStatus.Category(cat).label),
            "level": level,
            "basis_document": raw.get("basis", "").strip() or basis_document,
        }
        if school is None:
            entry["suggestions"] = [
                {"id": s.id, "label": s.label, "score": s.score} for s in matcher.suggest(name)
            ]
            unmatched.append(entry)
            continue
        key = (school.pk, cat)
        if key in seen:
            problems.add(
                number,
                header["name"],
                _("Эта школа с этой категорией уже есть в строке %(row)s.") % {"row": seen[key]},
            )
            continue
        seen[key] = number
        entry.update(organization_id=school.pk, organization=school.short_name)
        matched.append(entry)
    existing = {
        (s.school_id, s.category): s
        for s in SchoolStatus.objects.filter(region=region, year=year).select_related("school")
    }
    for m in matched:
        current = existing.get((m["organization_id"], m["category"]))
        m["exists"] = current is not None
    categories = {m["category"] for m in matched} | {u["category"] for u in unmatched}
    listed = {(m["organization_id"], m["category"]) for m in matched}
    not_in_list = [
        {"organization": s.school.short_name, "category": s.get_category_display()}
        for key, s in existing.items()
        if s.category in categories and key not in listed
    ]
    preview = {
        "region": region.code,
        "file": table.name,
        "year": year,
        "basis_document": basis_document,
        "rows_read": len(table.rows),
        "matched": matched,
        "unmatched": unmatched,
        "not_in_list": sorted(not_in_list, key=lambda x: (x["category"], x["organization"])),
        "problems": sorted(problems, key=lambda p: (p["row"] or 0, p["column"])),
    }
    return {"preview": preview, "schools": schools}


@transaction.atomic
def do_import_statuses(
    *,
    actor: User | None,
    region: Region,
    table: Table,
    year: int,
    category: str = "",
    basis_document: str = "",
    choices: dict[int, int] | None = None,
) -> dict[str, Any]:
    """Give the listed schools their status for ``year``, all or nothing.

    ``choices`` maps a row number of a name that was not matched to the school the coordinator
    picked for it (from the suggestions or the whole list); rows left without a choice are
    skipped and stay listed as not matched. Statuses of the year not in the list are kept.
    """
    if actor is not None:
        access.require(actor, access.Action.MANAGE_REGION, region)
    Region.objects.select_for_update().filter(pk=region.pk).first()
    plan = _plan_statuses(region, table, year=year, category=category, basis_document=basis_document)
    preview = plan["preview"]
    if preview["problems"]:
        refuse_with_problems(preview["problems"])
    choices = choices or {}
    resolved = list(preview["matched"])
    still_unmatched = []
    for u in preview["unmatched"]:
        school = plan["schools"].get(choices.get(u["row"]) or 0)
        if school is None:
            still_unmatched.append(u)
        else:
            resolved.append(
                {**u, "organization_id": school.pk, "organization": school.short_name, "chosen": True}
            )
    created = updated = 0
    for m in resolved:
        status, was_created = SchoolStatus.objects.get_or_create(
            school=plan["schools"][m["organization_id"]],
            year=year,
            category=m["category"],
            defaults={"level": m["level"], "basis_document": m["basis_document"][:300]},
        )
        if was_created:
            created += 1
        elif (status.level, status.basis_document) != (m["level"], m["basis_document"][:300]):
            status.level, status.basis_document = m["level"], m["basis_document"][:300]
            status.full_clean()
            status.save(update_fields=["level", "basis_document"])
            updated += 1
    preview = {
        **preview,
        "matched": resolved,
        "unmatched": still_unmatched,
        "created": created,
        "updated": updated,
    }
    _notify(
        signals.STATUSES_IMPORTED,
        obj=region,
        actor=actor,
        details={
            "file": table.name,
            "year": year,
            "created": created,
            "updated": updated,
            "skipped": len(still_unmatched),
        },
    )
    return preview


# --- Executor aliases -------------------------------------------------------------------------


@transaction.atomic
def do_save_executor_alias(
    *, actor: User, region: Region, alias: str, organization: Organization | None = None, group: str = ""
) -> ExecutorAlias:
    """Map how documents name an executor to an organization or a group; remembered for every
    later import in the region. An alias written the same way is replaced."""
    access.require(actor, access.Action.MANAGE_REGION, region)
    alias = " ".join((alias or "").split())
    if not alias:
        raise ValidationError({"alias": _("Укажите, как исполнитель записан в документах.")})
    if organization is not None and organization.region_id != region.pk:
        raise ValidationError({"organization": _("Организация относится к другому региону.")})
    row = ExecutorAlias.objects.filter(region=region, normalized=ExecutorAlias.normalize(alias)).first()
    row = row or ExecutorAlias(region=region)
    row.alias, row.organization, row.group = alias[:200], organization, group or ""
    row.full_clean(exclude=["normalized"])
    row.save()
    _notify(signals.ALIAS_SAVED, obj=row, actor=actor, details={"alias": row.alias})
    return row


@transaction.atomic
def do_delete_executor_alias(*, actor: User, alias: ExecutorAlias) -> None:
    access.require(actor, access.Action.MANAGE_REGION, alias)
    _notify(signals.ALIAS_DELETED, obj=alias, actor=actor, details={"alias": alias.alias})
    alias.delete()


def current_status_year(region: Region, today: dt.date | None = None) -> int:
    """Lists of a year are approved in winter: the default is the calendar year of the school
    year's second half (January–May), i.e. the year of today's school-year end."""
    today = today or dt.date.today()
    return region.school_year_of(today)[1].year
