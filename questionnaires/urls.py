from django.urls import path

from questionnaires import views

urlpatterns = [
    path("questionnaires/", views.QuestionnaireListView.as_view(), name="questionnaire-list"),
    path(
        "regions/<str:code>/questionnaires/new/",
        views.QuestionnaireCreateView.as_view(),
        name="questionnaire-create",
    ),
    path("questionnaires/<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire-detail"),
    path("questionnaires/<int:pk>/edit/", views.QuestionnaireEditView.as_view(), name="questionnaire-edit"),
    path(
        "questionnaires/<int:pk>/status/",
        views.QuestionnaireStatusView.as_view(),
        name="questionnaire-status",
    ),
    path("questionnaires/<int:pk>/copy/", views.QuestionnaireCopyView.as_view(), name="questionnaire-copy"),
    path(
        "questionnaires/<int:pk>/questions/new/", views.QuestionCreateView.as_view(), name="question-create"
    ),
    path("questionnaires/<int:pk>/assign/", views.AssignView.as_view(), name="questionnaire-assign"),
    path("questionnaires/<int:pk>/tracking/", views.TrackingView.as_view(), name="questionnaire-tracking"),
    path("questionnaires/<int:pk>/remind/", views.RemindView.as_view(), name="questionnaire-remind"),
    path("questionnaires/<int:pk>/results/", views.ResultsView.as_view(), name="questionnaire-results"),
    path(
        "questionnaires/<int:pk>/results.xlsx", views.ResultsExportView.as_view(), name="questionnaire-xlsx"
    ),
    path("questionnaires/questions/<int:pk>/edit/", views.QuestionEditView.as_view(), name="question-edit"),
    path(
        "questionnaires/questions/<int:pk>/delete/",
        views.QuestionDeleteView.as_view(),
        name="question-delete",
    ),
    path("questionnaires/questions/<int:pk>/move/", views.QuestionMoveView.as_view(), name="question-move"),
    path("questionnaires/assignments/<int:pk>/", views.AnswerView.as_view(), name="questionnaire-answer"),
    path(
        "questionnaires/assignments/<int:pk>/autosave/",
        views.AutosaveView.as_view(),
        name="questionnaire-autosave",
    ),
    path(
        "questionnaires/assignments/<int:pk>/answers.pdf",
        views.ResponsePdfView.as_view(),
        name="questionnaire-pdf",
    ),
    path(
        "questionnaires/assignments/<int:pk>/reopen/", views.ReopenView.as_view(), name="questionnaire-reopen"
    ),
    path("questionnaires/answers/<int:pk>/file/", views.AnswerFileView.as_view(), name="questionnaire-file"),
]
