"""Roadmaps («дорожные карты»): the plans everything else tracks.

A roadmap belongs to a region and an owner organization at one level (regional, municipal,
school) and may implement a parent roadmap. Items keep the text exactly as written next to what
the portal understood of it (control dates, indicator target, executors), and a history row for
every change.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.models import ExecutorAlias, GatedManager, GatedQuerySet, Organization, Region


def alive_roadmap(path: str = "roadmap_id") -> Q:
    """Rows whose roadmap is not in the trash: a semi-join on the (few) trashed roadmaps, so a
    ``select_for_update`` on the row locks no roadmap and the region-first filters stay first."""
    return ~Q(**{f"{path}__in": Roadmap._base_manager.filter(deleted_at__isnull=False).values("pk")})


class Roadmap(models.Model):
    class Level(models.TextChoices):
        REGIONAL = "regional", _("региональная")
        MUNICIPAL = "municipal", _("муниципальная")
        SCHOOL = "school", _("школьная")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        APPROVED = "approved", _("утверждена")
        ARCHIVED = "archived", _("в архиве")

    # The level of a roadmap decides which organizations may own it.
    OWNER_KINDS = {
        Level.REGIONAL: {Organization.Kind.DEPARTMENT, Organization.Kind.INSTITUTE},
        Level.MUNICIPAL: {Organization.Kind.MUNICIPAL_AUTHORITY, Organization.Kind.METHODICAL_CENTRE},
        Level.SCHOOL: {Organization.Kind.SCHOOL},
    }
    PARENT_LEVEL = {Level.MUNICIPAL: {Level.REGIONAL}, Level.SCHOOL: {Level.MUNICIPAL, Level.REGIONAL}}

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("регион")
    )
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("владелец")
    )
    title = models.TextField(_("название"))
    period_start = models.DateField(_("начало периода"))
    period_end = models.DateField(_("конец периода"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("реализует дорожную карту"),
    )
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    act_kind = models.CharField(
        _("вид акта"), max_length=50, blank=True, help_text=_("приказ, распоряжение …")
    )
    act_number = models.CharField(_("номер акта"), max_length=50, blank=True)
    act_date = models.DateField(_("дата акта"), null=True, blank=True)
    act_issuer = models.CharField(_("кто издал акт"), max_length=300, blank=True)
    source_name = models.CharField(_("исходный файл"), max_length=255, blank=True)
    source_checksum = models.CharField(_("SHA-256 исходного файла"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("утверждена в портале"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # In the trash since (README «Корзина»); such a roadmap and everything under it is hidden.
    deleted_at = models.DateTimeField(_("удалена"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set only on the living demo's roadmaps (reporting/living_demo.py): the day their dates were
    # computed from. Such a roadmap is labelled «демонстрационные данные» on every page.
    demo_anchor = models.DateField(
        _("демонстрационные данные на дату"), null=True, blank=True, editable=False
    )

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=True))

    class Meta:
        ordering = ["region", "-period_start", "level", "title"]
        verbose_name = _("дорожная карта")
        verbose_name_plural = _("дорожные карты")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="roadmap_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "level", "status"]),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="roadmap_trash"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def act_label(self) -> str:
        """«Распоряжение от 13.03.2023 № 352-р (Департамент общего образования Томской области)»."""
        if not (self.act_kind or self.act_number or self.act_date):
            return ""
        parts = [self.act_kind.capitalize() if self.act_kind else _("Акт")]
        if self.act_date:
            parts.append(_("от %(date)s") % {"date": self.act_date.strftime("%d.%m.%Y")})
        if self.act_number:
            parts.append(f"№ {self.act_number}")
        label = " ".join(parts)
        return f"{label} ({self.act_issuer})" if self.act_issuer else label

    @property
    def years(self) -> range:
        return range(self.period_start.year, self.period_end.year + 1)

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Конец периода раньше начала.")
        if self.owner_id:
            if self.region_id and self.owner.region_id != self.region_id:
                errors["owner"] = _("Организация-владелец относится к другому региону.")
            elif self.owner.kind not in self.OWNER_KINDS.get(self.level, set()):
                errors["owner"] = _(
                    "Владелец дорожной карты уровня «%(level)s» не может быть «%(kind)s»."
                ) % {
                    "level": self.get_level_display(),
                    "kind": self.owner.get_kind_display(),
                }
        if self.parent_id:
            if self.parent.region_id != self.region_id:
                errors["parent"] = _("Родительская дорожная карта относится к другому региону.")
            elif self.parent.level not in self.PARENT_LEVEL.get(self.level, set()):
                errors["parent"] = _(
                    "Дорожная карта уровня «%(level)s» не может реализовывать карту уровня «%(parent)s»."
                ) % {
                    "level": self.get_level_display(),
                    "parent": self.parent.get_level_display(),
                }
        if errors:
            raise ValidationError(errors)


class Revision(models.Model):
    """An amending act: «в редакции приказа от 18.02.2021 № 362: дополнены п.п. 9, 10»."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("дорожная карта")
    )
    act_kind = models.CharField(_("вид акта"), max_length=50)
    act_number = models.CharField(_("номер"), max_length=50)
    act_date = models.DateField(_("дата"))
    act_issuer = models.CharField(_("кто издал"), max_length=300, blank=True)
    summary = models.TextField(_("что изменено"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GatedManager.showing(lambda: alive_roadmap())

    class Meta:
        ordering = ["roadmap", "act_date", "pk"]
        verbose_name = _("редакция (изменение)")
        verbose_name_plural = _("редакции (изменения)")

    def __str__(self) -> str:
        return _("%(kind)s от %(date)s № %(number)s") % {
            "kind": self.act_kind,
            "date": f"{self.act_date:%d.%m.%Y}",
            "number": self.act_number,
        }


class Section(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.TextField(_("раздел"))

    objects = GatedManager.showing(lambda: alive_roadmap())

    class Meta:
        ordering = ["roadmap", "position"]
        verbose_name = _("раздел")
        verbose_name_plural = _("разделы")

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    class ScheduleKind(models.TextChoices):
        ONCE = "once", _("однократно")
        WINDOWS = "windows", _("в указанные сроки")
        RECURRING = "recurring", _("периодически")
        CONTINUOUS = "continuous", _("постоянно")
        ON_REQUEST = "on_request", _("по запросу")
        EXTERNAL = "external", _("по внешнему графику")
        SUBITEMS = "subitems", _("по подпунктам")
        UNKNOWN = "unknown", _("не распознано")
        MANUAL = "manual", _("задано вручную")

    class Comparator(models.TextChoices):
        EQ = "=", "="
        GE = ">=", "≥"
        GT = ">", ">"
        LE = "<=", "≤"
        LT = "<", "<"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField()
    number = models.CharField(_("номер"), max_length=20, blank=True)
    text = models.TextField(_("мероприятие"))
    schedule_text = models.TextField(_("сроки (как в документе)"), blank=True)
    schedule_kind = models.CharField(
        _("вид срока"), max_length=16, choices=ScheduleKind.choices, default=ScheduleKind.UNKNOWN
    )
    schedule_understood = models.BooleanField(_("срок распознан"), default=False)
    schedule_note = models.CharField(_("пояснение к сроку"), max_length=300, blank=True)
    indicator_text = models.TextField(_("показатель (как в документе)"), blank=True)
    target_value = models.DecimalField(
        _("целевое значение"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("единица"), max_length=100, blank=True)
    target_comparator = models.CharField(
        _("сравнение"), max_length=2, choices=Comparator.choices, default=Comparator.EQ
    )
    target_per = models.CharField(_("за период"), max_length=16, blank=True)
    result_text = models.TextField(_("результат / подтверждение"), blank=True)
    executors_text = models.TextField(_("исполнители (как в документе)"), blank=True)
    added_by = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="added_items"
    )
    # An item an amendment took out stays, with its history and reports, marked as removed; it
    # no longer produces obligations.
    removed_at = models.DateTimeField(_("исключено"), null=True, blank=True)
    removed_by = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="removed_items"
    )

    # Optimistic concurrency: raised on every save through a form (core/concurrency.py).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = GatedManager.showing(lambda: alive_roadmap())

    class Meta:
        ordering = ["roadmap", "position"]
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        indexes = [
            models.Index(fields=["roadmap", "schedule_understood"]),
            # A region's items in the order the API lists them: its page is cut from the index
            # (sorting the region's 4,500 items read 177 pages at 85 regions).
            models.Index(fields=["region", "roadmap", "position"], name="item_region_roadmap_position"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}".strip()

    @property
    def needs_dates(self) -> bool:
        return not self.schedule_understood


class ControlDate(models.Model):
    """A reporting window of an item: from ``window_start`` to the end of ``due_date`` (region time)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="control_dates")
    window_start = models.DateField(_("начало"))
    due_date = models.DateField(_("срок"))

    objects = GatedManager.showing(lambda: alive_roadmap("item__roadmap_id"))

    class Meta:
        ordering = ["item", "due_date"]
        verbose_name = _("контрольная дата")
        verbose_name_plural = _("контрольные даты")
        constraints = [
            models.UniqueConstraint(fields=["item", "window_start", "due_date"], name="control_date_unique"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("window_start")), name="control_date_order"
            ),
        ]
        indexes = [
            # Covering: a region's dates of a period are read from the index alone (the due page
            # hashes them against the region's items instead of probing by item one by one).
            models.Index(
                fields=["region", "due_date"],
                include=["item", "window_start", "id"],
                name="control_date_region_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.window_start:%d.%m.%Y}–{self.due_date:%d.%m.%Y}"


class ItemExecutor(models.Model):
    """One executor as written, resolved to an organization or a group (or left unresolved)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="executors")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("как написано"), max_length=500)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.CharField(_("группа"), max_length=32, choices=ExecutorAlias.Group.choices, blank=True)
    persons = models.CharField(_("ответственные лица"), max_length=300, blank=True)

    objects = GatedManager.showing(lambda: alive_roadmap("item__roadmap_id"))

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("исполнитель")
        verbose_name_plural = _("исполнители")

    def __str__(self) -> str:
        return self.text

    @property
    def resolved(self) -> bool:
        return bool(self.organization_id or self.group)


class ItemHistory(models.Model):
    """Who changed what in an item, and when; written by the services, never by hand."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="history")
    revision = models.ForeignKey(
        Revision, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=16)  # created / changed
    changes = models.JSONField(default=dict)  # {field: [old, new]}
    comment = models.TextField(blank=True)

    objects = GatedManager.showing(lambda: alive_roadmap("item__roadmap_id"))

    class Meta:
        ordering = ["item", "-at", "-pk"]
        verbose_name = _("изменение мероприятия")
        verbose_name_plural = _("история мероприятий")

    def __str__(self) -> str:
        return f"{self.item} — {self.action}"


class ImportDraft(models.Model):
    """An uploaded plan between «preview» and «confirm»: the parse and the user's fixes."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(max_length=255)
    source_checksum = models.CharField(max_length=64)
    parsed = models.JSONField()
    settings = models.JSONField(default=dict)  # level, owner, parent, period, act
    roadmap = models.ForeignKey(Roadmap, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("черновик импорта")
        verbose_name_plural = _("черновики импорта")

    def __str__(self) -> str:
        return self.source_name


class TrashedRoadmap(Roadmap):
    """The trash's view of roadmaps (README «Корзина»): only deleted ones, gated for coordinators."""

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=False))

    class Meta:
        proxy = True
        verbose_name = _("удалённая дорожная карта")
        verbose_name_plural = _("удалённые дорожные карты")
