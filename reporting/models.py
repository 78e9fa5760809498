"""Reports built by workers: what was asked, by whom, how far the build got, and the file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models import GatedQuerySet, Region


class Report(models.Model):
    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Квартальный мониторинг дорожной карты")
        MUNICIPAL = "municipal", _("Сводная информация по муниципалитету")
        QUESTIONNAIRE = "questionnaire", _("Аналитическая справка по анкетированию")
        SCHOOL = "school", _("Карточка школы")
        ROADMAP = "roadmap", _("Дорожная карта (выгрузка)")
        NATIONAL = "national", _("Выгрузка всех обязательств по стране")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("строится")
        DONE = "done", _("готов")
        FAILED = "failed", _("ошибка")

    # Empty only for the national export (kind «national»), which belongs to no region: the gate
    # shows it to whoever ordered it and to federal viewers (reporting.rules.scope_reports).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    fmt = models.CharField(_("формат"), max_length=4, choices=Format.choices, default=Format.PDF)
    params = models.JSONField(_("параметры"), default=dict)
    title = models.CharField(_("название"), max_length=500)
    status = models.CharField(_("состояние"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    message = models.TextField(_("сообщение"), blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True, max_length=255)
    filename = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто заказал"),
    )
    # Built by the portal itself for the whole region (a closed round's quarterly reports), not
    # for a person: a report whose requester was deleted is not automatic and is not rebuilt.
    automatic = models.BooleanField(_("по расписанию"), default=False)
    created_at = models.DateTimeField(_("заказан"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The report row is its own outbox: when its build message last reached the broker (null:
    # never — the broker was down), and when the building worker last showed it was alive.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("отчёт")
        verbose_name_plural = _("отчёты")
        indexes = [models.Index(fields=["region", "kind", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
