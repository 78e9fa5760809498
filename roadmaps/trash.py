"""Roadmaps in the trash (README «Корзина»): deleting marks who and when, restoring clears it.

A deleted roadmap, its items, sections, obligations, reports and evidence disappear from every
read at once: the models' default managers leave out whatever hangs under a trashed roadmap.
Purging after the retention period lives in ``monitoring.trash`` (it removes evidence files too).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmaps import rules
from roadmaps.models import Roadmap, TrashedRoadmap
from schools import access
from schools.models import User


@transaction.atomic
def do_delete_roadmap(*, actor: User, roadmap: Roadmap) -> None:
    access.require(actor, rules.DELETE_ROADMAP, roadmap)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    children = Roadmap.objects.filter(parent=roadmap).count()
    if children:
        raise ValidationError(
            _("Эту дорожную карту исполняют другие (%(n)d): сначала удалите или перепривяжите их.")
            % {"n": children}
        )
    Roadmap.objects.filter(pk=roadmap.pk).update(deleted_at=timezone.now(), deleted_by=actor)


@transaction.atomic
def do_restore_roadmap(*, actor: User, roadmap: TrashedRoadmap) -> None:
    access.require(actor, rules.RESTORE_FROM_TRASH, roadmap)
    if roadmap.parent_id and TrashedRoadmap.objects.filter(pk=roadmap.parent_id).exists():
        raise ValidationError(
            _("Сначала восстановите дорожную карту, которую она исполняет: «%(title)s».")
            % {"title": roadmap.parent.title}
        )
    TrashedRoadmap.objects.filter(pk=roadmap.pk).update(deleted_at=None, deleted_by=None)
