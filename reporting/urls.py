from django.urls import path

from reporting import views

urlpatterns = [
    path("reports/", views.ReportsView.as_view(), name="report-list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report-download"),
    path("roadmaps/<int:pk>/export/", views.RoadmapExportOrderView.as_view(), name="roadmap-export-order"),
]
