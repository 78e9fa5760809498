from django.urls import path

from monitoring import round_views, trash_views, views

urlpatterns = [
    path("tasks/", views.TasksView.as_view(), name="tasks"),
    path("tasks/export.xlsx", views.TasksExportView.as_view(), name="tasks-export"),
    path("reviews/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("reviews/export.xlsx", views.ReviewQueueExportView.as_view(), name="review-queue-export"),
    path("execution/", views.ExecutionView.as_view(), name="execution"),
    path("execution/overview/", views.RegionOverviewView.as_view(), name="region-overview"),
    path(
        "execution/overview/export.xlsx",
        views.RegionOverviewExportView.as_view(),
        name="region-overview-export",
    ),
    path("execution/export.xlsx", views.ExecutionExportView.as_view(), name="execution-export"),
    path("execution/matrix/", views.MatrixView.as_view(), name="execution-matrix"),
    path("execution/matrix/export.xlsx", views.MatrixExportView.as_view(), name="execution-matrix-export"),
    path("obligations/<int:pk>/", views.ObligationView.as_view(), name="obligation-detail"),
    path("obligations/<int:pk>/evidence/", views.EvidenceAddView.as_view(), name="evidence-add"),
    path("obligations/<int:pk>/review/", views.ReviewView.as_view(), name="obligation-review"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("obligations/<int:pk>/report/delete/", trash_views.ReportDeleteView.as_view(), name="report-delete"),
    path("trash/", trash_views.TrashView.as_view(), name="trash"),
    path(
        "trash/roadmaps/<int:pk>/restore/",
        trash_views.RoadmapRestoreView.as_view(),
        name="trash-roadmap-restore",
    ),
    path(
        "trash/reports/<int:pk>/restore/",
        trash_views.ReportRestoreView.as_view(),
        name="trash-report-restore",
    ),
    path(
        "trash/evidence/<int:pk>/restore/",
        trash_views.EvidenceRestoreView.as_view(),
        name="trash-evidence-restore",
    ),
    path("rounds/", round_views.RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", round_views.RoundDetailView.as_view(), name="round-detail"),
    path("regions/<str:code>/rounds/open/", round_views.RoundOpenView.as_view(), name="round-open"),
]
