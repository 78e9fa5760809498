"""The access gate's rules for questionnaires (registered from QuestionnairesConfig.ready).

- coordinators see and manage every questionnaire of their region; department officials see
  everything there and change nothing;
- a municipal official sees questionnaires owned by their municipality's bodies or assigned to
  its schools, builds questionnaires owned by their body and assigns them to their schools;
- a director sees only published questionnaires assigned to their school, and answers them;
- a curator sees (reads) the assignments and answers of the schools granted to them.
"""

from typing import TYPE_CHECKING

from django.db.models import Model, Q, QuerySet

from schools import access
from schools.access import Scope
from schools.models import Organization

if TYPE_CHECKING:  # only for hints: the rules import models lazily, inside functions
    from questionnaires.models import Questionnaire

BUILD = "build_questionnaire"
COPY = "copy_questionnaire"
ASSIGN = "assign_questionnaire"
TRACK = "track_questionnaire"
REMIND = "remind_questionnaire"
ANSWER = "answer_questionnaire"
REOPEN = "reopen_answers"

OWNER_KINDS = (
    Organization.Kind.DEPARTMENT,
    Organization.Kind.INSTITUTE,
    Organization.Kind.ASSESSMENT_CENTRE,
    Organization.Kind.MUNICIPAL_AUTHORITY,
    Organization.Kind.METHODICAL_CENTRE,
)
MUNICIPAL_OWNER_KINDS = (Organization.Kind.MUNICIPAL_AUTHORITY, Organization.Kind.METHODICAL_CENTRE)


def _individual_school_ids(scope: Scope) -> frozenset[int]:
    return scope.school_ids | scope.curated_school_ids


def _partial_region_ids(scope: Scope) -> frozenset[int]:
    """Regions the user reaches only in part (municipality, school, curated schools)."""
    return scope.member_region_ids - scope.full_region_ids


def _municipal_org_ids(scope: Scope) -> frozenset[int]:
    """Organizations of the user's municipalities (their schools and bodies), as ids once per
    scope: the filters compare the row's own column with them instead of joining organizations."""

    def compute() -> frozenset[int]:
        if not scope.municipality_ids:
            return frozenset()
        orgs = Organization.objects.filter(
            region_id__in=_partial_region_ids(scope), municipality_id__in=scope.municipality_ids
        )
        return frozenset(orgs.order_by().values_list("pk", flat=True))

    return access.memo(scope, "questionnaires.municipal_orgs", compute)


def _published_ids(scope: Scope) -> frozenset[int]:
    """Questionnaires past their draft in the regions a user reaches school by school."""

    def compute() -> frozenset[int]:
        from questionnaires.models import Questionnaire

        qs = Questionnaire.objects.filter(region_id__in=_partial_region_ids(scope)).exclude(status="draft")
        return frozenset(qs.order_by().values_list("pk", flat=True))

    return access.memo(scope, "questionnaires.published", compute)


def _assignment_q(scope: Scope, prefix: str = "") -> Q:
    """Every branch starts from the row's own ``region_id`` (assignments, responses and answers
    all carry it), then small id sets: PostgreSQL reads one region through its index instead of
    hashing the country's assignments or organizations (tests/monitoring/test_region_first.py)."""
    q = Q(region_id__in=scope.full_region_ids)
    partial = _partial_region_ids(scope)
    if not partial:
        return q
    # A response's or answer's assignment is in the row's own region (copied on save): naming its
    # region too lets PostgreSQL read the region's assignments through their index and filter the
    # schools, instead of one descent of the school index per school (67 of a municipal official's
    # 71 buffers at 85 regions).
    joined = {f"{prefix}region_id__in": partial} if prefix else {}
    if municipal := _municipal_org_ids(scope):
        q |= Q(region_id__in=partial, **joined, **{f"{prefix}school_id__in": municipal})
    if individual := _individual_school_ids(scope):
        q |= Q(
            region_id__in=partial,
            **joined,
            **{f"{prefix}school_id__in": individual, f"{prefix}questionnaire_id__in": _published_ids(scope)},
        )
    return q


def _questionnaire_q(scope: Scope) -> Q:
    from questionnaires.models import Assignment

    q = Q(region_id__in=scope.full_region_ids)
    partial = _partial_region_ids(scope)
    if not partial:
        return q
    if owners := _municipal_org_ids(scope):
        q |= Q(region_id__in=partial, owner_id__in=owners)
    assigned = Assignment.objects.filter(_assignment_q(scope)).values("questionnaire_id")
    return q | Q(region_id__in=partial, pk__in=assigned)


def scope_questionnaires(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_questionnaire_q(scope))


def _visible_questionnaires(scope: Scope) -> QuerySet:
    from questionnaires.models import Questionnaire

    return Questionnaire.objects.filter(_questionnaire_q(scope)).values("pk")


def scope_questionnaire_parts(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(region_id__in=scope.member_region_ids, questionnaire__in=_visible_questionnaires(scope))


def scope_options(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(
        region_id__in=scope.member_region_ids, question__questionnaire__in=_visible_questionnaires(scope)
    )


def scope_assignments(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_assignment_q(scope))


def scope_responses(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_assignment_q(scope, prefix="assignment__"))


def scope_answers(qs: QuerySet, scope: Scope) -> QuerySet:
    return qs.filter(_assignment_q(scope, prefix="response__assignment__"))


# --- Actions ----------------------------------------------------------------------------------


def _questionnaire_of(obj: Model) -> "Questionnaire | None":
    from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response

    if isinstance(obj, Questionnaire):
        return obj
    if isinstance(obj, Question | Assignment):
        return obj.questionnaire
    if isinstance(obj, Option):
        return obj.question.questionnaire
    if isinstance(obj, Response):
        return obj.assignment.questionnaire
    if isinstance(obj, Answer):
        return obj.response.assignment.questionnaire
    return None


def may_own(scope: Scope, org: Organization) -> bool:
    """Whether a questionnaire may be owned (built) by ``org`` on behalf of this user."""
    if org.kind not in OWNER_KINDS:
        return False
    if scope.may_manage(org.region_id):
        return True
    return org.kind in MUNICIPAL_OWNER_KINDS and org.municipality_id in scope.municipality_ids


def may_build(scope: Scope, obj: Model) -> bool:
    """Region: may start a questionnaire there; Organization: may own one; else: may edit it."""
    from schools.models import Region

    if isinstance(obj, Region):
        return scope.may_manage(obj.pk) or (
            bool(scope.municipality_ids)
            and obj.pk in scope.member_region_ids
            and not scope.is_read_only_in(obj.pk)
        )
    if isinstance(obj, Organization):
        return may_own(scope, obj)
    return may_own(scope, _questionnaire_of(obj).owner)


def may_copy(scope: Scope, obj: Model) -> bool:
    """Anyone who builds questionnaires in the region may copy one they see (into their own body)."""
    region_id = access.region_id_of(obj)
    return scope.may_manage(region_id) or (
        bool(scope.municipality_ids)
        and region_id in scope.member_region_ids
        and not scope.is_read_only_in(region_id)
    )


def may_assign(scope: Scope, obj: Model) -> bool:
    from questionnaires.models import Assignment

    if scope.may_manage(access.region_id_of(obj)):
        return True
    if isinstance(obj, Assignment):
        return obj.school.municipality_id in scope.municipality_ids
    return may_own(scope, _questionnaire_of(obj).owner)


def may_track(scope: Scope, obj: Model) -> bool:
    """Who follows a questionnaire's progress (read): everyone who sees it except a pure director."""
    region_id = access.region_id_of(obj)
    return (
        scope.reaches_region_fully(region_id)
        or bool(scope.municipality_ids)
        or bool(scope.curated_school_ids)
    )


def may_remind(scope: Scope, obj: Model) -> bool:
    if scope.may_manage(access.region_id_of(obj)):
        return True
    return bool(scope.municipality_ids) and not scope.is_read_only_in(access.region_id_of(obj))


def may_answer(scope: Scope, obj: Model) -> bool:
    from questionnaires.models import Answer, Assignment, Response

    if isinstance(obj, Assignment):
        school_id = obj.school_id
    elif isinstance(obj, Response):
        school_id = obj.assignment.school_id
    elif isinstance(obj, Answer):
        school_id = obj.response.assignment.school_id
    else:
        return False
    return school_id in scope.school_ids


def may_reopen(scope: Scope, obj: Model) -> bool:
    # The coordinator, and the municipal official who assigned the round to their schools.
    return may_assign(scope, obj)


def register() -> None:
    from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response

    access.register(Questionnaire, scope_questionnaires)
    access.register(Question, scope_questionnaire_parts)
    access.register(Option, scope_options)
    access.register(Assignment, scope_assignments)
    access.register(Response, scope_responses)
    access.register(Answer, scope_answers)
    access.register_action(BUILD, may_build)
    access.register_action(COPY, may_copy)
    access.register_action(ASSIGN, may_assign)
    access.register_action(TRACK, may_track)
    access.register_action(REMIND, may_remind)
    access.register_action(ANSWER, may_answer)
    access.register_action(REOPEN, may_reopen)
