"""Questionnaires in the API: questionnaires with their questions, assignments to schools and the
schools' responses. A director saves a draft or submits answers through the same services as the
answering page (they check the gate and the deadline)."""

from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.serializers import BaseSerializer

from core.api import ERROR, error_body, per_action
from questionnaires import rules, selectors, services
from questionnaires.filters import AssignmentFilter, QuestionnaireFilter, ResponseFilter
from questionnaires.models import Answer, Assignment, Option, Question, Questionnaire, Response
from schools.gate import GatedViewSet


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "position", "label", "text", "is_other"]


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    field = serializers.SerializerMethodField(help_text=_("Имя поля ответа при отправке: q<id>"))

    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "number",
            "text",
            "kind",
            "required",
            "help_text",
            "show_if_question",
            "show_if_options",
            "options",
            "field",
        ]

    def get_field(self, obj: Question) -> str:
        return f"q{obj.pk}"


class QuestionnaireSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "region", "owner", "title", "period_label", "status", "is_template", "created_at"]


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "intro", "questions"]


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "text", "number", "date", "file_name", "selected_options", "other_text"]


class QuestionnaireResponseSerializer(serializers.ModelSerializer):
    """Named for the questionnaire: a bare «Response» component collides with generated clients'
    own ``Response`` class (openapi-python-client)."""

    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "assignment", "status", "started_at", "updated_at", "submitted_at", "answers"]


class QuestionnaireResponseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Response
        fields = ["id", "status", "updated_at", "submitted_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.short_name", read_only=True)
    locked = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "questionnaire",
            "school",
            "school_name",
            "deadline",
            "lock_date",
            "reopened_until",
            "locked",
            "response",
        ]

    def get_locked(self, obj: Assignment) -> bool:
        return obj.is_locked()

    @extend_schema_field(QuestionnaireResponseSummarySerializer(allow_null=True))
    def get_response(self, obj: Assignment) -> dict[str, Any] | None:
        try:
            return QuestionnaireResponseSummarySerializer(obj.response).data
        except Response.DoesNotExist:
            return None


class AnswersInputSerializer(serializers.Serializer):
    """JSON: ``{"answers": {"q12": ["34"], "q13": "текст", "q14_other": "свой вариант"}}``;
    or multipart/form-data with the same ``q<id>`` fields (files for questions of kind «file»)."""

    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("Поле q<id> → значение (для выбора — список id вариантов)"),
    )


def _form_data(request: Request) -> tuple[QueryDict, dict]:
    """The answers as the answering page would post them: a QueryDict of ``q<id>`` fields."""
    data = request.data
    if isinstance(data, QueryDict):
        return data, request.FILES
    if not isinstance(data, dict):
        raise serializers.ValidationError(_('Тело запроса — объект JSON: {"answers": {"q<id>": значение}}.'))
    unknown = sorted(set(data) - {"answers"})
    if unknown:
        message = _("Неизвестное поле. Допустимые: %(names)s.") % {"names": "answers"}
        raise serializers.ValidationError({name: [message] for name in unknown})
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise serializers.ValidationError({"answers": [_("Ожидается объект «поле → значение».")]})
    form = QueryDict(mutable=True)
    for key, value in answers.items():
        values = value if isinstance(value, list) else [value]
        form.setlist(str(key), ["" if v is None else str(v) for v in values])
    return form, {}


# The schema shows the JSON form; the multipart one has a field per question, which a schema of
# this API (the same for every questionnaire) cannot list.
ANSWERS_IN_MULTIPART = _(
    "Ответы с файлами (вопросы вида «file») отправляются как multipart/form-data: поля q<id> "
    "(и q<id>_other), как на странице анкеты."
)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Questionnaire
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilter
    ordering_fields = ["created_at", "title", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet:
        qs = super().get_queryset().select_related("region")
        if self.action == "retrieve":
            qs = qs.prefetch_related("questions__options", "questions__show_if_options")
        return qs

    def get_serializer_class(self) -> type[BaseSerializer]:
        return QuestionnaireDetailSerializer if self.action == "retrieve" else QuestionnaireSerializer


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """A questionnaire given to a school; its director saves and submits the answers here."""

    gate_model = Assignment
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["deadline", "id"]
    ordering = ["deadline", "id"]
    write_action = per_action(save_draft=rules.ANSWER, submit=rules.ANSWER)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("school", "questionnaire", "response")

    def _done(self, response: Response) -> ApiResponse:
        """The saved or submitted response, read again through the gate, with its answers and
        their chosen options read once (not the options answer by answer)."""
        saved = Response.objects.visible_to(self.request.user).get(pk=response.pk)
        selectors.prefetch_answers([saved])
        return ApiResponse(QuestionnaireResponseSerializer(saved).data)

    @extend_schema(
        request=AnswersInputSerializer,
        description=ANSWERS_IN_MULTIPART,
        responses={200: QuestionnaireResponseSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Сохранить черновик ответов (неполный можно; нечитаемые значения вернутся в fields)"),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="save",
        url_name="save",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def save_draft(self, request: Request, pk: int | None = None) -> ApiResponse:
        data, files = _form_data(request)
        response, errors = services.do_save_draft(
            actor=request.user, assignment=self.get_object(), data=data, files=files
        )
        if errors:
            return ApiResponse(
                error_body(
                    "invalid",
                    _("Сохранено, кроме ответов с ошибками."),
                    {f"q{qid}": [msg] for qid, msg in errors.items()},
                ),
                status=400,
            )
        return self._done(response)

    @extend_schema(
        request=AnswersInputSerializer,
        description=ANSWERS_IN_MULTIPART,
        responses={200: QuestionnaireResponseSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
        summary=_("Отправить ответы (все обязательные вопросы; ошибки — по полям q<id>)"),
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def submit(self, request: Request, pk: int | None = None) -> ApiResponse:
        data, files = _form_data(request)
        response = services.do_submit_response(
            actor=request.user, assignment=self.get_object(), data=data, files=files
        )
        return self._done(response)


class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    gate_model = Response
    serializer_class = QuestionnaireResponseSerializer
    filterset_class = ResponseFilter
    ordering_fields = ["updated_at", "submitted_at", "id"]
    ordering = ["-updated_at", "-id"]

    def paginate_queryset(self, queryset: QuerySet) -> list[Response] | None:
        # The answers of the page's responses, read for the page once it is cut (within its
        # regions: selectors.prefetch_answers), not as a prefetch of every listed response.
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.prefetch_answers(page)
        return page

    def get_object(self) -> Response:
        response = super().get_object()
        selectors.prefetch_answers([response])
        return response
