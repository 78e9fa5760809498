from django.urls import path

from roadmaps import views

urlpatterns = [
    path("roadmaps/", views.RoadmapListView.as_view(), name="roadmap-list"),
    path("roadmaps/due/", views.DueView.as_view(), name="roadmap-due"),
    path("roadmaps/<int:pk>/", views.RoadmapDetailView.as_view(), name="roadmap-detail"),
    path("roadmaps/<int:pk>/approve/", views.RoadmapApproveView.as_view(), name="roadmap-approve"),
    path("roadmaps/<int:pk>/delete/", views.RoadmapDeleteView.as_view(), name="roadmap-delete"),
    path("roadmaps/<int:pk>/revisions/new/", views.RevisionCreateView.as_view(), name="revision-create"),
    path("roadmaps/<int:pk>/export.xlsx", views.RoadmapExportView.as_view(fmt="xlsx"), name="roadmap-xlsx"),
    path("roadmaps/<int:pk>/export.pdf", views.RoadmapExportView.as_view(fmt="pdf"), name="roadmap-pdf"),
    path("roadmaps/<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("roadmaps/items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("roadmaps/items/<int:pk>/remove/", views.ItemRemoveView.as_view(), name="item-remove"),
    path("roadmaps/items/<int:pk>/move/", views.ItemMoveView.as_view(), name="item-move"),
    path("roadmaps/<int:pk>/amend/", views.RoadmapAmendView.as_view(), name="roadmap-amend"),
    path("roadmaps/revisions/<int:pk>/", views.RevisionDetailView.as_view(), name="revision-detail"),
    path("regions/<str:code>/roadmaps/import/", views.ImportUploadView.as_view(), name="roadmap-import"),
    path("roadmaps/imports/<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
]
