from django.urls import path

from audit import views

urlpatterns = [
    path("audit/", views.AuditListView.as_view(), name="audit-list"),
    path("audit/<int:pk>/", views.AuditEventDetailView.as_view(), name="audit-detail"),
]
