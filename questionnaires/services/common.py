"""What every questionnaire service shares: the gate check, the region's today, answer errors."""

import datetime as dt

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from schools import access
from schools.models import Region, User


class AnswerErrors(DomainError):
    """Problems of a submission, per question id, to show next to each question."""

    def __init__(self, errors: dict[int, str]) -> None:
        self.by_question = errors
        super().__init__(_("Проверьте ответы: %(n)s.") % {"n": len(errors)})

    def api_fields(self) -> dict[str, list[str]]:
        return {f"q{qid}": [msg] for qid, msg in self.by_question.items()}


def _require(actor: User | None, action: str, obj: Model) -> None:
    if actor is not None:
        access.require(actor, action, obj)


def region_today(region: Region, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(region.tzinfo).date()


# --- Building ---------------------------------------------------------------------------------
