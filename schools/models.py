"""The hierarchy every other part hangs on: region (the tenant) → municipality → organization.

Region-owned rows carry ``region`` directly, even where it could be derived, so that a single
filter scopes every query (see ``schools.access``).
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.school_calendar import FEDERAL_CALENDAR, SchoolCalendar

if TYPE_CHECKING:
    from schools.access import Requester


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("Неизвестный часовой пояс «%(value)s». Укажите его по базе IANA, например Asia/Tomsk."),
            params={"value": value},
        ) from exc


def validate_school_calendar(value: object) -> None:
    try:
        SchoolCalendar.from_json(value)
    except ValueError as exc:
        raise ValidationError(_("Календарь учебного года: %(error)s.") % {"error": exc}) from exc


def validate_region_code(value: str) -> None:
    if not re.fullmatch(r"\d{2,3}", value or ""):
        raise ValidationError(_("Код субъекта РФ — две цифры, например 70 для Томской области."))


class GatedQuerySet(models.QuerySet):
    """A queryset that knows how to scope itself through the one access gate."""

    def visible_to(self, user: "Requester") -> "models.QuerySet":
        from schools import access

        return access._scope_queryset(self, user)


class GatedManager(models.Manager.from_queryset(GatedQuerySet)):
    """A gated manager that shows only the rows ``where()`` admits (e.g. not in the trash).

    As the default manager it hides those rows from every read — pages, the API, reports,
    tasks, related managers — while ``_base_manager`` (saves, cascades, forward relations) still
    sees them. ``where`` is called per query so it may build subqueries on other models.
    """

    where: "Callable[[], Q] | None" = None

    def get_queryset(self) -> models.QuerySet:
        qs = super().get_queryset()
        return qs if self.where is None else qs.filter(self.where())

    @classmethod
    def showing(cls, where: "Callable[[], Q]") -> "GatedManager":
        # A class per filter: related managers subclass the default manager's class and
        # instantiate it without arguments.
        return type("GatedManagerShowing", (cls,), {"where": staticmethod(where)})()


class Region(models.Model):
    code = models.CharField(
        _("код субъекта РФ"), max_length=3, unique=True, validators=[validate_region_code]
    )
    name = models.CharField(_("название"), max_length=200, unique=True)
    short_name = models.CharField(_("краткое название"), max_length=100, blank=True)
    timezone = models.CharField(
        _("часовой пояс"), max_length=64, default="Europe/Moscow", validators=[validate_timezone]
    )
    # Terms and holidays when they differ from the federal ones (schools.school_calendar):
    # {"terms": [["01.09", "27.10"], …], "holidays": {"autumn": ["28.10", "05.11"]}}.
    school_calendar = models.JSONField(
        _("календарь учебного года"),
        default=dict,
        blank=True,
        validators=[validate_school_calendar],
        help_text=_("Пусто — федеральные сроки четвертей и каникул."),
    )
    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def calendar(self) -> SchoolCalendar:
        """The region's school year; the federal one if its setting is empty or was broken by hand."""
        try:
            return SchoolCalendar.from_json(self.school_calendar)
        except ValueError:
            return FEDERAL_CALENDAR

    def school_year_of(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The school year (first day, last day) that ``day`` falls in or follows (its calendar's
        ``year``: 1 September – 31 May unless the region set its own)."""
        start_md, end_md = self.calendar.year
        start_year = day.year if (day.month, day.day) >= start_md else day.year - 1
        end_year = start_year if end_md > start_md else start_year + 1
        return dt.date(start_year, *start_md), _day_or_month_end(end_year, *end_md)


def _day_or_month_end(year: int, month: int, day: int) -> dt.date:
    # 29 February in a common year is the 28th.
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 28)


class Municipality(models.Model):
    class Kind(models.TextChoices):
        CITY_DISTRICT = "city_district", _("городской округ")
        MUNICIPAL_DISTRICT = "municipal_district", _("муниципальный район")
        MUNICIPAL_OKRUG = "municipal_okrug", _("муниципальный округ")
        ZATO = "zato", _("ЗАТО")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("регион")
    )
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name")]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("региональный орган управления образованием")
        INSTITUTE = "institute", _("региональный институт / оператор")
        ASSESSMENT_CENTRE = "assessment_centre", _("центр оценки качества")
        MUNICIPAL_AUTHORITY = "municipal_authority", _("муниципальный орган управления образованием")
        METHODICAL_CENTRE = "methodical_centre", _("муниципальный методический центр")
        SCHOOL = "school", _("общеобразовательная организация")
        OTHER = "other", _("другая организация")

    MUNICIPAL_KINDS = (Kind.MUNICIPAL_AUTHORITY, Kind.METHODICAL_CENTRE, Kind.SCHOOL)

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("регион")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("муниципалитет"),
    )
    kind = models.CharField(_("вид"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("полное название"), max_length=500)
    short_name = models.CharField(_("краткое название"), max_length=200)
    legal_form = models.CharField(
        _("организационно-правовая форма"), max_length=50, blank=True, help_text=_("МАОУ, МБОУ, ОГБУ …")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name=_("головная организация"),
        help_text=_("Заполняется для филиала школы."),
    )
    is_rural = models.BooleanField(_("сельская"), default=False)
    is_small = models.BooleanField(_("малокомплектная"), default=False)
    director_name = models.CharField(_("руководитель (ФИО)"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    website = models.URLField(_("сайт"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    # A stable code from the region's registry (e.g. the school's code in the ФИС ФРДО or the
    # region's own register): a re-uploaded spreadsheet finds its organizations by it.
    external_code = models.CharField(_("внешний код"), max_length=64, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "short_name"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        permissions = [("curate_school", _("Курирует школу"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "short_name"], name="organization_unique_short_name"),
            models.UniqueConstraint(
                fields=["region", "external_code"],
                condition=~Q(external_code=""),
                name="organization_unique_external_code",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["municipal_authority", "methodical_centre", "school"])
                | Q(municipality__isnull=False),
                name="municipal_organization_has_municipality",
            ),
        ]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL

    def clean(self) -> None:
        errors = {}
        if self.kind in self.MUNICIPAL_KINDS and not self.municipality_id:
            errors["municipality"] = _("Для школы и муниципальной организации укажите муниципалитет.")
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            errors["municipality"] = _("Муниципалитет относится к другому региону.")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("Организация не может быть филиалом самой себя.")
            elif self.parent.region_id != self.region_id:
                errors["parent"] = _("Головная организация относится к другому региону.")
            elif self.kind != self.Kind.SCHOOL or self.parent.kind != self.Kind.SCHOOL:
                errors["parent"] = _("Филиалы бывают только у школ.")
        if errors:
            raise ValidationError(errors)


class SchoolStatus(models.Model):
    """A school's programme status in a given year: lists are approved yearly by the region."""

    class Category(models.TextChoices):
        SHNOR = "shnor", _("ШНОР")
        SHNSU = "shnsu", _("ШНСУ")
        RISK = "risk", _("группа риска")
        SUPPORT = "support", _("опорная школа")
        MINPROS = "minpros", _("«Школа Минпросвещения России»")

    class Level(models.TextChoices):
        BELOW_BASIC = "below_basic", _("ниже базового")
        BASIC = "basic", _("базовый")
        MEDIUM = "medium", _("средний")
        FULL = "full", _("полный")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    school = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("школа")
    )
    year = models.PositiveSmallIntegerField(_("год"))
    category = models.CharField(_("категория"), max_length=16, choices=Category.choices)
    level = models.CharField(_("уровень"), max_length=16, choices=Level.choices, blank=True)
    basis_document = models.CharField(_("основание (документ)"), max_length=300, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "category"]
        verbose_name = _("статус школы")
        verbose_name_plural = _("статусы школ")
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "category"], name="school_status_unique"),
            models.CheckConstraint(
                condition=Q(category="minpros") | Q(level=""), name="school_status_level_only_for_minpros"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_category_display()
        if self.level:
            label = f"{label} ({self.get_level_display()})"
        return f"{label}, {self.year}"

    def clean(self) -> None:
        if self.school_id and self.school.kind != Organization.Kind.SCHOOL:
            raise ValidationError({"school": _("Статус присваивается только школе.")})
        if self.category != self.Category.MINPROS and self.level:
            raise ValidationError(
                {"level": _("Уровень указывается только для «Школы Минпросвещения России».")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.school_id:
            self.region_id = self.school.region_id
        super().save(*args, **kwargs)


class ExecutorAlias(models.Model):
    """How roadmaps of a region name their executors: «ДОО ТО», «МОУО», «руководители ШНОР».

    The same abbreviation can mean different organizations in different regions (ТОИПКРО is
    both Tomsk's and Tambov's institute), so aliases are per region. An alias points either at
    one organization or at a group that expands to many when obligations are generated.
    """

    class Group(models.TextChoices):
        MUNICIPAL_AUTHORITIES = "municipal_authorities", _("все муниципальные органы управления образованием")
        SCHOOLS = "schools", _("все школы программы")
        SHNOR_SCHOOLS = "shnor_schools", _("школы ШНОР")
        SHNSU_SCHOOLS = "shnsu_schools", _("школы ШНСУ")
        SUPPORT_SCHOOLS = "support_schools", _("опорные школы")
        CURATORS = "curators", _("кураторы")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="executor_aliases", verbose_name=_("регион")
    )
    alias = models.CharField(_("как пишут в документах"), max_length=200)
    normalized = models.CharField(max_length=200, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("организация"),
    )
    group = models.CharField(_("группа"), max_length=32, choices=Group.choices, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "alias"]
        verbose_name = _("обозначение исполнителя")
        verbose_name_plural = _("обозначения исполнителей")
        constraints = [
            models.UniqueConstraint(fields=["region", "normalized"], name="executor_alias_unique"),
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(group=""))
                | (Q(organization__isnull=True) & ~Q(group="")),
                name="executor_alias_org_xor_group",
            ),
        ]

    def __str__(self) -> str:
        return self.alias

    @staticmethod
    def normalize(text: str) -> str:
        """Case, «ё», quotes and whitespace differ between documents; the meaning does not."""
        text = text.lower().replace("ё", "е")
        text = re.sub(r"[«»\"'“”]", "", text)
        return re.sub(r"\s+", " ", text).strip(" .,;")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalized = self.normalize(self.alias)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if bool(self.organization_id) == bool(self.group):
            raise ValidationError(_("Укажите либо организацию, либо группу исполнителей — одно из двух."))
        if self.organization_id and self.organization.region_id != self.region_id:
            raise ValidationError({"organization": _("Организация относится к другому региону.")})


class User(AbstractUser):
    """A person; what they may do comes from memberships (see ``schools.access``)."""

    full_name = models.CharField(_("ФИО"), max_length=200, blank=True)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    email_reminders = models.BooleanField(_("получать напоминания по e-mail"), default=True)
    # Set when somebody was invited through the portal; until they choose a password (the link in
    # the invitation) their password is unusable and they are listed as «не принял приглашение».
    invited_at = models.DateTimeField(_("приглашён"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кем приглашён"),
    )
    # Read-only reach of every region (the ministry's analysts): set by the platform administrator
    # only; it is not a membership because it belongs to no region or organization (schools.access).
    federal_viewer = models.BooleanField(
        _("федеральный наблюдатель"),
        default=False,
        help_text=_(
            "Просмотр всех регионов и выгрузка по стране; ничего не меняет, не отправляет и не проверяет."
        ),
    )

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def invitation_pending(self) -> bool:
        return self.invited_at is not None and not self.has_usable_password()


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("региональный координатор")
        CURATOR = "curator", _("куратор")
        MUNICIPAL = "municipal", _("специалист МОУО")
        DIRECTOR = "director", _("руководитель ОО")
        DEPARTMENT = "department", _("специалист департамента (просмотр)")

    # Which organization kinds each role can belong to: a director belongs to a school, a
    # municipal official to a municipal body, and so on. Checked in ``clean``.
    ALLOWED_KINDS = {
        Role.COORDINATOR: {
            Organization.Kind.INSTITUTE,
            Organization.Kind.DEPARTMENT,
            Organization.Kind.ASSESSMENT_CENTRE,
        },
        Role.CURATOR: set(Organization.Kind) - {Organization.Kind.SCHOOL},
        Role.MUNICIPAL: {Organization.Kind.MUNICIPAL_AUTHORITY, Organization.Kind.METHODICAL_CENTRE},
        Role.DIRECTOR: {Organization.Kind.SCHOOL},
        Role.DEPARTMENT: {Organization.Kind.DEPARTMENT},
    }

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("регион"))
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("пользователь")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("организация")
    )
    role = models.CharField(_("роль"), max_length=16, choices=Role.choices)
    position = models.CharField(_("должность в организации"), max_length=200, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "organization", "role"]
        verbose_name = _("членство")
        verbose_name_plural = _("членства")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organization}"

    def clean(self) -> None:
        if not self.organization_id:
            return
        if self.region_id and self.organization.region_id != self.region_id:
            raise ValidationError({"organization": _("Организация относится к другому региону.")})
        allowed = self.ALLOWED_KINDS.get(self.role, set())
        if self.organization.kind not in allowed:
            raise ValidationError(
                {
                    "role": _("Роль «%(role)s» нельзя назначить в организации вида «%(kind)s».")
                    % {"role": self.get_role_display(), "kind": self.organization.get_kind_display()}
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The tenant key always follows the organization: it cannot be set inconsistently.
        if self.organization_id:
            self.region_id = self.organization.region_id
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A personal token for scripts. Only a short prefix (to find the row) and the SHA-256 of the
    whole token are kept: the secret is shown once, on creation, and cannot be recovered."""

    user = models.ForeignKey(
        "schools.User", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("пользователь")
    )
    name = models.CharField(_("название"), max_length=100)
    prefix = models.CharField(_("начало ключа"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Scope(models.TextChoices):
        READ = "read", _("только чтение")
        READ_WRITE = "read_write", _("чтение и запись")

    # What the token may do on top of its owner's rights: a reading script cannot write even if
    # its owner may (GET/HEAD/OPTIONS only), and a token may stop working on a date.
    scope = models.CharField(_("права"), max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)
    expires_at = models.DateTimeField(_("действует до"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-токен")
        verbose_name_plural = _("API-токены")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
