from django.urls import path

from diagnostics import views

urlpatterns = [
    path("diagnostics/", views.RegionView.as_view(), name="diagnostics-region"),
    path("diagnostics/export.xlsx", views.RegionExportView.as_view(), name="diagnostics-region-export"),
    path("diagnostics/schools/<int:pk>/", views.SchoolCardView.as_view(), name="diagnostics-school"),
]
