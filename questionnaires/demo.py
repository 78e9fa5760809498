"""Shipped questionnaires (fixtures/questionnaires/*.json) loaded into the demo regions.

Each file is a published template (seed 003: the Tomsk city half-year form) plus, for a live
demo, one round for the current half-year assigned to the schools of the order with a deadline
in the future, one school submitted and one in draft. Loading again changes nothing.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils.datastructures import MultiValueDict

from questionnaires import periods, services
from questionnaires.models import Assignment, Question, Questionnaire
from schools.models import Organization, Region


@transaction.atomic
def load_demo(directory: Path, today: dt.date | None = None) -> int:
    count = 0
    for path in sorted(directory.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        region = Region.objects.filter(code=spec["region"]).first()
        if region is None:
            continue
        template = load_template(spec, region)
        count += 1
        if spec.get("demo_round"):
            count += load_round(template, spec["demo_round"], today)
    return count


def load_template(spec: dict, region: Region) -> Questionnaire:
    owner = Organization.objects.get(region=region, short_name=spec["owner"])
    existing = Questionnaire.objects.filter(
        owner=owner, title=spec["title"], period_label=spec["period_label"], is_template=True
    ).first()
    if existing:
        return existing
    q = services.do_create_questionnaire(
        actor=None,
        owner=owner,
        title=spec["title"],
        period_label=spec["period_label"],
        intro=spec.get("intro", ""),
    )
    q.is_template = True
    q.save(update_fields=["is_template"])
    for item in spec["questions"]:
        services.do_add_question(
            actor=None,
            questionnaire=q,
            number=item["number"],
            text=item["text"],
            kind=item.get("kind", Question.Kind.MULTIPLE),
            required=item.get("required", True),
            help_text=item.get("help_text", ""),
            option_rows=[
                (o.get("label", ""), o["text"], bool(o.get("is_other"))) for o in item.get("options", [])
            ],
        )
    services.do_set_status(actor=None, questionnaire=q, status=Questionnaire.Status.PUBLISHED)
    return q


def _form_data(questionnaire: Questionnaire, answers: dict, other: dict) -> MultiValueDict:
    data = MultiValueDict()
    for q in questionnaire.questions.prefetch_related("options"):
        options = list(q.options.all())
        picks = [options[i - 1] for i in answers.get(q.number, [])]
        data.setlist(f"q{q.pk}", [str(o.pk) for o in picks])
        if q.number in other:
            data[f"q{q.pk}_other"] = other[q.number]
    return data


def load_round(template: Questionnaire, spec: dict, today: dt.date | None = None) -> int:
    """The round of the half-year ``today`` falls in (a later half-year gets its own round)."""
    today = today or services.region_today(template.region)
    label = periods.label_for(today)
    if Questionnaire.objects.filter(copied_from=template, is_template=False, period_label=label).exists():
        return 0
    copy = services.do_copy_questionnaire(actor=None, source=template, period_label=label)
    services.do_set_status(actor=None, questionnaire=copy, status=Questionnaire.Status.PUBLISHED)
    schools = list(Organization.objects.filter(region=template.region, short_name__in=spec["schools"]))
    services.do_assign(
        actor=None,
        questionnaire=copy,
        schools=schools,
        deadline=today + dt.timedelta(days=spec.get("deadline_in_days", 14)),
    )
    for key, submit in (("submitted", True), ("draft", False)):
        if key not in spec:
            continue
        a = Assignment.objects.get(questionnaire=copy, school__short_name=spec[key]["school"])
        data = _form_data(copy, spec[key].get("answers", {}), spec[key].get("other", {}))
        if submit:
            services.do_submit_response(actor=None, assignment=a, data=data)
        else:
            services.do_save_draft(actor=None, assignment=a, data=data)
    return 1
