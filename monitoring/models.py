"""Execution tracking: who must report what by when (obligations), what they reported (execution
reports with evidence) and the review of it, with the history of every step."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import RegionForeignKey, RegionOneToOneField
from roadmaps.models import Item, Roadmap, alive_roadmap
from schools.models import GatedManager, Organization, Region


def alive_report_roadmap() -> Q:
    """Reports whose obligation's roadmap is not in the trash (a semi-join, no lock on others)."""
    trashed = Roadmap._base_manager.filter(deleted_at__isnull=False).values("pk")
    return ~Q(obligation_id__in=Obligation._base_manager.filter(roadmap_id__in=trashed).values("pk"))


def alive_report() -> Q:
    """Rows of a report that is neither in the trash nor under a trashed roadmap.

    Two semi-joins on few ids each (the trash's partial indexes), never one with an OR: «trashed
    OR under a trashed roadmap» joined the country's reports with their obligations, PostgreSQL
    could not hash so big a guess, and every evidence query read the whole country
    (``tests/monitoring/test_region_first.py``).
    """
    trashed = Roadmap._base_manager.filter(deleted_at__isnull=False).values("pk")
    reports = ExecutionReport._base_manager
    in_trash = reports.filter(deleted_at__isnull=False).values("pk")
    under_trashed = reports.filter(obligation__roadmap_id__in=trashed).values("pk")
    return ~Q(report_id__in=in_trash) & ~Q(report_id__in=under_trashed)


class Obligation(models.Model):
    """Item × executor organization × control period: one thing somebody must report."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="obligations")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="obligations")
    executor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("исполнитель")
    )
    window_start = models.DateField(_("начало периода"))
    due_date = models.DateField(_("срок"))
    # An amendment may remove what an obligation was generated from; if something was already
    # reported it is kept, marked cancelled, instead of being deleted.
    cancelled = models.BooleanField(_("снято редакцией"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GatedManager.showing(lambda: alive_roadmap())

    class Meta:
        ordering = ["due_date", "item__position", "executor__short_name"]
        verbose_name = _("обязательство")
        verbose_name_plural = _("обязательства")
        constraints = [
            models.UniqueConstraint(fields=["item", "executor", "due_date"], name="obligation_unique"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("window_start")), name="obligation_window_order"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "due_date"]),
            # The access filters: region first, then the executor ids a scope reaches.
            models.Index(fields=["region", "executor", "due_date"]),
            models.Index(fields=["executor", "due_date"]),
            models.Index(fields=["roadmap", "due_date"]),
        ]

    def __str__(self) -> str:
        return _("п. %(number)s — %(executor)s — до %(due)s") % {
            "number": self.item.number,
            "executor": self.executor,
            "due": f"{self.due_date:%d.%m.%Y}",
        }


class ExecutionReport(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("не начато")
        IN_PROGRESS = "in_progress", _("в работе")
        DONE = "done", _("выполнено")
        PARTIAL = "partial", _("выполнено частично")
        FAILED = "failed", _("не выполнено")
        NOT_REQUIRED = "not_required", _("не требуется")

    class Review(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("на проверке")
        ACCEPTED = "accepted", _("принято")
        RETURNED = "returned", _("возвращено на доработку")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # A report in the trash lets go of its obligation (which may then be reported afresh) and
    # remembers it in ``trashed_obligation`` for a restore; joins from obligations never see it.
    obligation = RegionOneToOneField(
        Obligation, on_delete=models.CASCADE, related_name="report", null=True, blank=True
    )
    trashed_obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="trashed_reports"
    )
    deleted_at = models.DateTimeField(_("удалён"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("статус исполнения"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    comment = models.TextField(_("комментарий исполнителя"), blank=True)
    actual_value = models.DecimalField(
        _("фактическое значение"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    done_on = models.DateField(_("дата выполнения"), null=True, blank=True)
    review_state = models.CharField(
        _("проверка"), max_length=16, choices=Review.choices, default=Review.DRAFT
    )
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("отправлен после срока"), default=False)
    reviewed_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("комментарий проверяющего"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic concurrency: raised on every save through a form (core/concurrency.py).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=True) & alive_report_roadmap())

    class Meta:
        verbose_name = _("отчёт об исполнении")
        verbose_name_plural = _("отчёты об исполнении")
        indexes = [
            # The review queue (submitted, oldest first) and the API list (newest change first).
            models.Index(fields=["region", "review_state", "submitted_at"]),
            models.Index(fields=["region", "updated_at"]),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="report_trash"),
            # The review queue's count and order read only the submitted reports of a region, with
            # their obligations, from this index alone: the wider one above also visits the table
            # (a region's reports, ~400 pages at national size) for the obligation of each.
            models.Index(
                fields=["region", "submitted_at"],
                include=["obligation"],
                condition=Q(review_state="submitted"),
                name="report_review_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation or self.trashed_obligation} — {self.get_review_state_display()}"

    @property
    def locked(self) -> bool:
        return self.review_state in (self.Review.SUBMITTED, self.Review.ACCEPTED)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("файл")
        LINK = "link", _("ссылка")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    report = RegionForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True, max_length=255)
    original_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("ссылка"), max_length=1000, blank=True)
    description = models.CharField(_("описание"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(_("удалено"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=True) & alive_report())

    class Meta:
        ordering = ["report", "uploaded_at"]
        # The evidence list (API) is newest first within the region.
        indexes = [
            models.Index(fields=["region", "uploaded_at"]),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="evidence_trash"),
        ]
        verbose_name = _("подтверждение")
        verbose_name_plural = _("подтверждения")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class ReportEvent(models.Model):
    """Every status change and review step, with who and when; written only by the services."""

    class Action(models.TextChoices):
        SAVED = "saved", _("сохранён черновик")
        EVIDENCE_ADDED = "evidence_added", _("добавлено подтверждение")
        EVIDENCE_REMOVED = "evidence_removed", _("удалено подтверждение")
        SUBMITTED = "submitted", _("отправлен на проверку")
        ACCEPTED = "accepted", _("принят")
        RETURNED = "returned", _("возвращён на доработку")
        REOPENED = "reopened", _("открыт повторно")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    report = RegionForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    status = models.CharField(max_length=16, blank=True)  # execution status after the step
    review_state = models.CharField(max_length=16, blank=True)  # review state after the step
    comment = models.TextField(blank=True)

    objects = GatedManager.showing(lambda: alive_report())

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("событие отчёта")
        verbose_name_plural = _("история отчётов")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d.%m.%Y %H:%M}"


class MonitoringRound(models.Model):
    """A quarterly monitoring round over one roadmap: open until the deadline, then frozen.

    Closing copies the state of every obligation of the quarter into ``RoundEntry`` rows, so a
    later edit to a report or to the roadmap does not rewrite what the round reported.
    """

    class State(models.TextChoices):
        OPEN = "open", _("идёт сбор")
        CLOSED = "closed", _("закрыт")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="rounds")
    period_start = models.DateField(_("начало квартала"))
    period_end = models.DateField(_("конец квартала"))
    deadline = models.DateField(_("срок сбора отчётов"))
    state = models.CharField(_("состояние"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = GatedManager.showing(lambda: alive_roadmap())

    class Meta:
        ordering = ["roadmap", "-period_start"]
        verbose_name = _("раунд мониторинга")
        verbose_name_plural = _("раунды мониторинга")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "period_start"], name="round_unique_quarter"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.roadmap.owner}"

    @property
    def label(self) -> str:
        quarter = (self.period_start.month - 1) // 3 + 1
        return _("%(quarter)s квартал %(year)s") % {"quarter": quarter, "year": self.period_start.year}


class RoundEntry(models.Model):
    """One obligation as it stood when the round closed (texts copied: history must not move)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="entries")
    obligation = models.ForeignKey(Obligation, on_delete=models.SET_NULL, null=True, related_name="+")
    section = models.TextField(blank=True)
    item_number = models.CharField(max_length=20, blank=True)
    item_text = models.TextField()
    item_position = models.PositiveIntegerField(default=0)
    executor = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+")
    executor_name = models.CharField(max_length=200)
    municipality_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=16, blank=True)
    review_state = models.CharField(max_length=16, blank=True)
    is_late = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    evidence_count = models.PositiveIntegerField(default=0)
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_comparator = models.CharField(max_length=2, blank=True)
    target_unit = models.CharField(max_length=100, blank=True)
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    objects = GatedManager.showing(lambda: alive_roadmap("round__roadmap_id"))

    class Meta:
        ordering = ["round", "item_position", "executor_name", "due_date"]
        verbose_name = _("строка раунда")
        verbose_name_plural = _("строки раундов")

    def __str__(self) -> str:
        return f"{self.item_number} {self.executor_name}"


class TrashedExecutionReport(ExecutionReport):
    """The trash's view of execution reports: only deleted ones, gated for coordinators."""

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=False))

    class Meta:
        proxy = True
        verbose_name = _("удалённый отчёт об исполнении")
        verbose_name_plural = _("удалённые отчёты об исполнении")


class TrashedEvidence(Evidence):
    """The trash's view of evidence: only deleted ones, gated for coordinators."""

    objects = GatedManager.showing(lambda: Q(deleted_at__isnull=False))

    class Meta:
        proxy = True
        verbose_name = _("удалённое подтверждение")
        verbose_name_plural = _("удалённые подтверждения")
