"""The half-year questionnaire: built by a coordinator or a municipality, assigned to schools,
answered by directors, tracked and summarised.

Every row carries ``region`` (copied from its parent in ``save``), so the one access gate
scopes it with a single filter. Deadlines are dates: the end of that day in the region's own
time zone is the deadline (``roadmaps.schedule.due_datetime``).
"""

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmaps.schedule import due_datetime
from schools.models import GatedQuerySet, Organization, Region, User


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        PUBLISHED = "published", _("опубликована")
        CLOSED = "closed", _("закрыта")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("владелец")
    )
    title = models.CharField(_("название"), max_length=500)
    period_label = models.CharField(
        _("период"), max_length=200, help_text=_("Например: 1-е полугодие 2020–2021 учебного года")
    )
    intro = models.TextField(_("вступление"), blank=True)
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    is_template = models.BooleanField(_("шаблон"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    # Optimistic concurrency: raised on every save through a form (core/concurrency.py).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    def clean(self) -> None:
        if self.owner_id and self.owner.kind == Organization.Kind.SCHOOL:
            raise ValidationError(
                {"owner": _("Анкету ведёт орган управления или методический центр, не школа.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.owner_id:
            self.region_id = self.owner.region_id
        super().save(*args, **kwargs)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("один вариант")
        MULTIPLE = "multiple", _("несколько вариантов")
        SHORT_TEXT = "short_text", _("короткий текст")
        LONG_TEXT = "long_text", _("развёрнутый текст")
        NUMBER = "number", _("число")
        DATE = "date", _("дата")
        FILE = "file", _("файл")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("порядок"))
    number = models.CharField(_("номер"), max_length=20, help_text=_("Как в форме: «1.», «4.», «2.1»"))
    text = models.TextField(_("вопрос"))
    kind = models.CharField(_("тип"), max_length=16, choices=Kind.choices, default=Kind.MULTIPLE)
    required = models.BooleanField(_("обязательный"), default=True)
    help_text = models.TextField(_("подсказка"), blank=True)
    roadmap_item = models.ForeignKey(
        "roadmaps.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("мероприятие дорожной карты"),
    )
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("показывать, если в вопросе"),
    )
    show_if_options = models.ManyToManyField(
        "Option", blank=True, related_name="+", verbose_name=_("выбран один из вариантов")
    )

    # Optimistic concurrency: raised on every save through a form (core/concurrency.py).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="question_unique_number"),
            models.CheckConstraint(condition=~Q(number=""), name="question_number_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}".strip()

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    def clean(self) -> None:
        if self.show_if_question_id:
            target = self.show_if_question
            if target.questionnaire_id != self.questionnaire_id:
                raise ValidationError(
                    {"show_if_question": _("Условие должно ссылаться на вопрос этой же анкеты.")}
                )
            if target.kind not in self.CHOICE_KINDS:
                raise ValidationError(
                    {"show_if_question": _("Условие может ссылаться только на вопрос с вариантами ответа.")}
                )
            if self.position is not None and target.position >= self.position:
                raise ValidationError(
                    {"show_if_question": _("Условие должно ссылаться на один из предыдущих вопросов.")}
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.questionnaire_id:
            self.region_id = self.questionnaire.region_id
        super().save(*args, **kwargs)


class Option(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(_("порядок"))
    label = models.CharField(
        _("номер варианта"), max_length=10, blank=True, help_text=_("Как в форме: «1.», «3.»")
    )
    text = models.CharField(_("вариант ответа"), max_length=500)
    is_other = models.BooleanField(_("«Другое» — просит написать свой ответ"), default=False)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("вариант ответа")
        verbose_name_plural = _("варианты ответа")

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.question_id:
            self.region_id = self.question.region_id
        super().save(*args, **kwargs)


class Assignment(models.Model):
    """One school must answer one questionnaire by a deadline (end of that day, region's time)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="questionnaire_assignments",
        verbose_name=_("школа"),
    )
    deadline = models.DateField(_("срок"))
    lock_date = models.DateField(
        _("ответы можно менять до"), null=True, blank=True, help_text=_("После этой даты ответы закрыты.")
    )
    reopened_until = models.DateTimeField(_("открыта повторно до"), null=True, blank=True)
    reopened_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reminder_sent_at = models.DateTimeField(_("напоминание отправлено"), null=True, blank=True)
    auto_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "school__short_name"]
        verbose_name = _("назначение анкеты")
        verbose_name_plural = _("назначения анкет")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "school"], name="assignment_unique_school"),
            models.CheckConstraint(
                condition=Q(lock_date__isnull=True) | Q(lock_date__gte=models.F("deadline")),
                name="assignment_lock_after_deadline",
            ),
        ]
        indexes = [models.Index(fields=["region", "deadline"])]

    def __str__(self) -> str:
        return f"{self.school} — {self.questionnaire.title[:60]}"

    def clean(self) -> None:
        if self.school_id and self.school.kind != Organization.Kind.SCHOOL:
            raise ValidationError({"school": _("Анкету назначают только школам.")})
        if self.school_id and self.questionnaire_id and self.school.region_id != self.questionnaire.region_id:
            raise ValidationError({"school": _("Школа относится к другому региону.")})
        if self.lock_date and self.deadline and self.lock_date < self.deadline:
            raise ValidationError({"lock_date": _("Дата закрытия ответов не может быть раньше срока.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.questionnaire_id:
            self.region_id = self.questionnaire.region_id
        super().save(*args, **kwargs)

    @property
    def due_at(self) -> dt.datetime:
        return due_datetime(self.deadline, self.region.tzinfo)

    @property
    def locks_at(self) -> dt.datetime | None:
        return due_datetime(self.lock_date, self.region.tzinfo) if self.lock_date else None

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        """Answers are frozen after the lock date (or when the questionnaire is closed), unless a
        coordinator reopened them for this school."""
        now = now or timezone.now()
        if self.reopened_until and now <= self.reopened_until:
            return False
        if self.questionnaire.status == Questionnaire.Status.CLOSED:
            return True
        return bool(self.lock_date and now > self.locks_at)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.due_at


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлена")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="response")
    status = models.CharField(_("статус"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(_("начата"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменена"), default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("ответ школы")
        verbose_name_plural = _("ответы школ")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="response_submitted_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.assignment_id:
            self.region_id = self.assignment.region_id
        super().save(*args, **kwargs)


def answer_file_path(instance: "Answer", filename: str) -> str:
    # The stored name is a uuid: the director's file name is kept in ``file_name`` only.
    suffix = Path(filename).suffix.lower()[:8]
    return f"questionnaires/{instance.region_id}/{uuid.uuid4().hex}{suffix}"


class Answer(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("текст"), blank=True)
    number = models.DecimalField(_("число"), max_digits=14, decimal_places=4, null=True, blank=True)
    date = models.DateField(_("дата"), null=True, blank=True)
    file = models.FileField(_("файл"), upload_to=answer_file_path, blank=True, max_length=300)
    file_name = models.CharField(_("имя файла"), max_length=255, blank=True)
    selected_options = models.ManyToManyField(Option, blank=True, related_name="answers")
    other_text = models.TextField(_("свой вариант"), blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["response", "question__position"]
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question.number} — {self.response}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.response_id:
            self.region_id = self.response.region_id
        super().save(*args, **kwargs)
