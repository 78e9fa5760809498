"""The audit log: who did what, from where, to which object, in which region.

Rows are written by :func:`audit.record` (and the signal receivers in ``audit.receivers``) and
never changed. ``region`` is the tenant key, as on every region-owned row: a coordinator reads
their own region's events through the gate; events with no region (a failed login for an
unknown name, the admin's own logins) are for the platform administrator only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import GatedQuerySet, Region


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("вход")
        LOGIN_FAILED = "login_failed", _("неудачный вход")
        LOCKOUT = "lockout", _("блокировка входа")
        MEMBERSHIP_ADDED = "membership_added", _("роль выдана")
        MEMBERSHIP_CHANGED = "membership_changed", _("роль изменена")
        MEMBERSHIP_REMOVED = "membership_removed", _("роль снята")
        CURATOR_GRANTED = "curator_granted", _("куратор назначен")
        CURATOR_REVOKED = "curator_revoked", _("куратор снят")
        DOWNLOAD = "download", _("скачивание файла")
        EXPORT = "export", _("выгрузка")
        REGION_CREATED = "region_created", _("регион создан")
        ORGANIZATIONS_IMPORTED = "organizations_imported", _("организации загружены")
        STATUSES_IMPORTED = "statuses_imported", _("статусы школ загружены")
        USER_INVITED = "user_invited", _("приглашение отправлено")
        INVITATION_RESENT = "invitation_resent", _("приглашение отправлено повторно")
        USER_DEACTIVATED = "user_deactivated", _("пользователь отключён")
        USER_REACTIVATED = "user_reactivated", _("пользователь включён")
        ALIAS_SAVED = "alias_saved", _("обозначение исполнителя сохранено")
        ALIAS_DELETED = "alias_deleted", _("обозначение исполнителя удалено")
        MEASURE_SAVED = "measure_saved", _("мероприятие каталога сохранено")
        MEASURE_DELETED = "measure_deleted", _("мероприятие каталога удалено")
        ITEM_DEFICITS_SAVED = "item_deficits_saved", _("дефициты мероприятия отмечены")
        DIAGNOSTICS_IMPORTED = "diagnostics_imported", _("диагностика школ загружена")

    created_at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    # The name as typed or as it was then: kept when the user is deleted or does not exist.
    username = models.CharField(_("имя пользователя"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    action = models.CharField(_("действие"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("тип объекта"), max_length=100, blank=True)
    object_id = models.CharField(_("id объекта"), max_length=64, blank=True)
    object_label = models.CharField(_("объект"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("регион")
    )
    details = models.JSONField(_("подробности"), default=dict, blank=True)

    objects = GatedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("событие журнала")
        verbose_name_plural = _("журнал событий")
        indexes = [models.Index(fields=["region", "-created_at"], name="audit_region_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_label}"
