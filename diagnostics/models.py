"""School diagnostics per school and year, beside the execution of the school's roadmaps.

Three kinds, each imported from the region's spreadsheets (``diagnostics/importing.py``):

- :class:`SelfDiagnosis` — the «Школа Минпросвещения России» self-diagnosis: points per direction
  (:class:`DirectionScore`), the resulting level, critical indicators not met;
- :class:`RiskLevel` — one risk factor's level in a school's risk profile for a year;
- :class:`AssessmentResult` — aggregates of an assessment (ВПР, ОГЭ, ЕГЭ) per school, year, subject.

And the region's catalogue that links deficits to measures (:class:`Measure`), with the link
from a roadmap item to the deficits it addresses (:class:`ItemDeficit`), which the gap check of a
school roadmap reads.

This is diagnosis and support, not a rating of schools or teachers: nothing here ranks schools
by results (README «Результаты и исполнение»).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnostics.vocabulary import ASSESSMENTS, DIRECTIONS, RISK_FACTORS
from roadmaps.models import Item
from schools.models import GatedQuerySet, Organization, Region, SchoolStatus

DIRECTION_CHOICES = [(t.code, t.name) for t in DIRECTIONS]
RISK_FACTOR_CHOICES = [(t.code, t.name) for t in RISK_FACTORS]
ASSESSMENT_CHOICES = [(t.code, t.name) for t in ASSESSMENTS]
# A deficit is a risk factor or a self-diagnosis direction (codes never collide).
DEFICIT_CHOICES = [
    (_("Факторы риска"), RISK_FACTOR_CHOICES),
    (_("Направления самодиагностики"), DIRECTION_CHOICES),
]


class SchoolRow(models.Model):
    """A row about one school in one year, owned by the school's region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    school = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("школа")
    )
    year = models.PositiveSmallIntegerField(_("год"))
    imported_at = models.DateTimeField(_("загружено"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by the living demo (diagnostics/demo.py), which replaces only such rows.
    demo = models.BooleanField(_("демонстрационные данные"), default=False, editable=False)

    objects = GatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.school_id and not self.region_id:
            self.region_id = self.school.region_id
        super().save(*args, **kwargs)


class SelfDiagnosis(SchoolRow):
    Level = SchoolStatus.Level

    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices)
    total_points = models.DecimalField(
        _("баллов всего"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    # Critical indicators not met, as written in the source («нет школьного театра», …).
    critical_unmet = models.JSONField(_("не выполнены критические показатели"), default=list, blank=True)

    class Meta:
        verbose_name = _("самодиагностика")
        verbose_name_plural = _("самодиагностика")
        ordering = ["school_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="self_diagnosis_unique")]
        indexes = [models.Index(fields=["region", "year"], name="self_diagnosis_region_year")]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_level_display()}, {self.year}"


class DirectionScore(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    diagnosis = models.ForeignKey(SelfDiagnosis, on_delete=models.CASCADE, related_name="scores")
    direction = models.CharField(_("направление"), max_length=32, choices=DIRECTION_CHOICES)
    points = models.DecimalField(_("баллы"), max_digits=6, decimal_places=1)
    max_points = models.DecimalField(_("из"), max_digits=6, decimal_places=1, null=True, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("баллы по направлению")
        verbose_name_plural = _("баллы по направлениям")
        ordering = ["diagnosis_id", "direction"]
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "direction"], name="direction_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.points}"

    @property
    def share(self) -> float | None:
        """Points as a share of the maximum, 0–1 (None where the maximum is not known)."""
        if not self.max_points:
            return None
        return float(self.points) / float(self.max_points)


class RiskLevel(SchoolRow):
    class Level(models.TextChoices):
        LOW = "low", _("низкий")
        MEDIUM = "medium", _("средний")
        HIGH = "high", _("высокий")

    factor = models.CharField(_("фактор риска"), max_length=32, choices=RISK_FACTOR_CHOICES)
    level = models.CharField(_("уровень риска"), max_length=8, choices=Level.choices)

    class Meta:
        verbose_name = _("фактор риска школы")
        verbose_name_plural = _("рисковый профиль")
        ordering = ["school_id", "-year", "factor"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "factor"], name="risk_level_unique")]
        indexes = [models.Index(fields=["region", "year", "level"], name="risk_level_region_year")]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.get_level_display()}"


class AssessmentResult(SchoolRow):
    kind = models.CharField(_("процедура"), max_length=8, choices=ASSESSMENT_CHOICES)
    subject = models.CharField(_("предмет"), max_length=100)
    # Grade for ВПР (4–11); ОГЭ is 9 and ЕГЭ 11 by nature, stored so rows stay one shape.
    grade = models.PositiveSmallIntegerField(_("класс"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("участников"))
    lowest_share = models.DecimalField(
        _("доля низшего результата, %"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("«2» по ВПР и ОГЭ, ниже минимального балла по ЕГЭ"),
    )
    mean_score = models.DecimalField(_("средний балл"), max_digits=6, decimal_places=2, null=True, blank=True)
    doubtful_objectivity = models.BooleanField(_("признаки необъективности"), default=False)

    class Meta:
        verbose_name = _("результат оценочной процедуры")
        verbose_name_plural = _("результаты оценочных процедур")
        ordering = ["school_id", "-year", "kind", "subject", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "kind", "subject", "grade"],
                name="assessment_result_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["region", "year", "kind"], name="assessment_region_year")]

    def __str__(self) -> str:
        grade = f", {self.grade} кл." if self.grade else ""
        return f"{self.get_kind_display()} {self.subject}{grade}, {self.year}"


class Measure(models.Model):
    """The region's catalogue: a measure recommended for a deficit (a risk factor or a direction),
    taken from one of the region's roadmap items or written by the coordinator."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    deficit = models.CharField(_("дефицит"), max_length=32, choices=DEFICIT_CHOICES)
    title = models.CharField(_("мероприятие"), max_length=500)
    description = models.TextField(_("пояснение"), blank=True)
    source_item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("из пункта дорожной карты"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    demo = models.BooleanField(_("демонстрационные данные"), default=False, editable=False)

    objects = GatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("рекомендуемое мероприятие")
        verbose_name_plural = _("каталог мероприятий по дефицитам")
        ordering = ["deficit", "title"]
        indexes = [models.Index(fields=["region", "deficit"], name="measure_region_deficit")]

    def __str__(self) -> str:
        return self.title


class ItemDeficit(models.Model):
    """A roadmap item addresses a deficit: what the gap check of a school roadmap counts."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="deficits")
    deficit = models.CharField(_("дефицит"), max_length=32, choices=DEFICIT_CHOICES)
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("из каталога"),
    )

    objects = GatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("дефицит, на который направлен пункт")
        verbose_name_plural = _("дефициты пунктов")
        constraints = [models.UniqueConstraint(fields=["item", "deficit"], name="item_deficit_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_deficit_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.item_id and not self.region_id:
            self.region_id = self.item.region_id
        super().save(*args, **kwargs)
