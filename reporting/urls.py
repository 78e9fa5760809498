from django.urls import path

from reporting import views

urlpatterns = [
    path("reports/", views.ReportsView.as_view(), name="report-list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report-download"),
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("regions/<str:code>/rounds/open/", views.RoundOpenView.as_view(), name="round-open"),
]
