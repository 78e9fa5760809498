from django.urls import path

from questionnaires.views import answering, assigning, building

urlpatterns = [
    path("questionnaires/", building.QuestionnaireListView.as_view(), name="questionnaire-list"),
    path(
        "regions/<str:code>/questionnaires/new/",
        building.QuestionnaireCreateView.as_view(),
        name="questionnaire-create",
    ),
    path("questionnaires/<int:pk>/", building.QuestionnaireDetailView.as_view(), name="questionnaire-detail"),
    path(
        "questionnaires/<int:pk>/edit/", building.QuestionnaireEditView.as_view(), name="questionnaire-edit"
    ),
    path(
        "questionnaires/<int:pk>/status/",
        building.QuestionnaireStatusView.as_view(),
        name="questionnaire-status",
    ),
    path(
        "questionnaires/<int:pk>/copy/", building.QuestionnaireCopyView.as_view(), name="questionnaire-copy"
    ),
    path(
        "questionnaires/<int:pk>/questions/new/",
        building.QuestionCreateView.as_view(),
        name="question-create",
    ),
    path("questionnaires/<int:pk>/assign/", assigning.AssignView.as_view(), name="questionnaire-assign"),
    path(
        "questionnaires/<int:pk>/tracking/", assigning.TrackingView.as_view(), name="questionnaire-tracking"
    ),
    path(
        "questionnaires/<int:pk>/tracking.xlsx",
        assigning.TrackingExportView.as_view(),
        name="questionnaire-tracking-export",
    ),
    path("questionnaires/<int:pk>/remind/", assigning.RemindView.as_view(), name="questionnaire-remind"),
    path("questionnaires/<int:pk>/results/", assigning.ResultsView.as_view(), name="questionnaire-results"),
    path(
        "questionnaires/<int:pk>/results.xlsx",
        assigning.ResultsExportView.as_view(),
        name="questionnaire-xlsx",
    ),
    path(
        "questionnaires/questions/<int:pk>/edit/", building.QuestionEditView.as_view(), name="question-edit"
    ),
    path(
        "questionnaires/questions/<int:pk>/delete/",
        building.QuestionDeleteView.as_view(),
        name="question-delete",
    ),
    path(
        "questionnaires/questions/<int:pk>/move/", building.QuestionMoveView.as_view(), name="question-move"
    ),
    path("questionnaires/assignments/<int:pk>/", answering.AnswerView.as_view(), name="questionnaire-answer"),
    path(
        "questionnaires/assignments/<int:pk>/autosave/",
        answering.AutosaveView.as_view(),
        name="questionnaire-autosave",
    ),
    path(
        "questionnaires/assignments/<int:pk>/answers.pdf",
        answering.ResponsePdfView.as_view(),
        name="questionnaire-pdf",
    ),
    path(
        "questionnaires/assignments/<int:pk>/reopen/",
        assigning.ReopenView.as_view(),
        name="questionnaire-reopen",
    ),
    path(
        "questionnaires/answers/<int:pk>/file/", answering.AnswerFileView.as_view(), name="questionnaire-file"
    ),
]
