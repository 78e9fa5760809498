from django.urls import path

from diagnostics import measure_views as views

urlpatterns = [
    path("diagnostics/measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("diagnostics/measures/export.xlsx", views.MeasureExportView.as_view(), name="measure-export"),
    path(
        "diagnostics/regions/<str:code>/measures/new/",
        views.MeasureCreateView.as_view(),
        name="measure-create",
    ),
    path(
        "diagnostics/regions/<str:code>/measures/from-roadmap/",
        views.MeasurePickItemView.as_view(),
        name="measure-pick-item",
    ),
    path("diagnostics/measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="measure-edit"),
    path("diagnostics/measures/<int:pk>/delete/", views.MeasureDeleteView.as_view(), name="measure-delete"),
    path("diagnostics/items/<int:pk>/deficits/", views.ItemDeficitsView.as_view(), name="item-deficits"),
    path("diagnostics/roadmaps/<int:pk>/coverage/", views.CoverageView.as_view(), name="roadmap-coverage"),
    path(
        "diagnostics/roadmaps/<int:pk>/coverage/add/",
        views.CoverageAddView.as_view(),
        name="roadmap-coverage-add",
    ),
]
