"""Writes for questionnaires: building, copying, assigning, answering, reopening, reminders.

Each write is one transaction and checks the gate itself (``access.require``), so a view, a
command or a task cannot skip it; e-mails leave only after the transaction commits. ``actor=None``
is the system (the demo loader, the scheduled reminder run).

Split by job: :mod:`.building`, :mod:`.assigning`, :mod:`.answering`, :mod:`.reminders`; this
package is their one entry point (``from questionnaires import services``).
"""

from questionnaires.services.answering import do_save_draft, do_submit_response, questions_of
from questionnaires.services.assigning import do_assign, do_reopen
from questionnaires.services.building import (
    OTHER_DEFAULT,
    do_add_question,
    do_copy_questionnaire,
    do_create_questionnaire,
    do_delete_question,
    do_move_question,
    do_set_status,
    do_update_question,
    do_update_questionnaire,
    next_number,
    owner_choices,
    publish_problems,
)
from questionnaires.services.common import AnswerErrors, region_today
from questionnaires.services.reminders import (
    director_recipients,
    do_send_due_reminders,
    do_send_reminders,
    pending_assignments,
    send_reminder_emails,
)

__all__ = [
    "AnswerErrors",
    "OTHER_DEFAULT",
    "director_recipients",
    "do_add_question",
    "do_assign",
    "do_copy_questionnaire",
    "do_create_questionnaire",
    "do_delete_question",
    "do_move_question",
    "do_reopen",
    "do_save_draft",
    "do_send_due_reminders",
    "do_send_reminders",
    "do_set_status",
    "do_submit_response",
    "do_update_question",
    "do_update_questionnaire",
    "next_number",
    "owner_choices",
    "pending_assignments",
    "publish_problems",
    "questions_of",
    "region_today",
    "send_reminder_emails",
]
