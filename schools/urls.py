from django.urls import path

from schools import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("municipalities/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("organizations/<int:pk>/curators/", views.CuratorAssignView.as_view(), name="organization-curators"),
]
