from django.urls import path

from monitoring import round_views, views

urlpatterns = [
    path("tasks/", views.TasksView.as_view(), name="tasks"),
    path("reviews/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("execution/", views.ExecutionView.as_view(), name="execution"),
    path("execution/matrix/", views.MatrixView.as_view(), name="execution-matrix"),
    path("obligations/<int:pk>/", views.ObligationView.as_view(), name="obligation-detail"),
    path("obligations/<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence-add"),
    path("obligations/<int:pk>/review/", views.ReviewView.as_view(), name="obligation-review"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("rounds/", round_views.RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", round_views.RoundDetailView.as_view(), name="round-detail"),
    path("regions/<str:code>/rounds/open/", round_views.RoundOpenView.as_view(), name="round-open"),
]
