from django.urls import path

from schools import focus, views
from schools import onboarding_views as onboarding

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("focus/", focus.RegionFocusView.as_view(), name="region-focus"),
    path("regions/new/", onboarding.RegionCreateView.as_view(), name="region-create"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("regions/<str:code>/setup/", onboarding.RegionSetupView.as_view(), name="region-setup"),
    path(
        "regions/<str:code>/setup/organizations/",
        onboarding.OrganizationImportView.as_view(),
        name="onboarding-organizations",
    ),
    path(
        "regions/<str:code>/setup/organizations/template.xlsx",
        onboarding.OrganizationSheetView.as_view(),
        name="onboarding-organizations-template",
    ),
    path(
        "regions/<str:code>/setup/organizations/export.xlsx",
        onboarding.OrganizationSheetView.as_view(export=True),
        name="onboarding-organizations-export",
    ),
    path(
        "regions/<str:code>/setup/statuses/",
        onboarding.StatusImportView.as_view(),
        name="onboarding-statuses",
    ),
    path("regions/<str:code>/setup/people/", onboarding.PeopleView.as_view(), name="onboarding-people"),
    path(
        "regions/<str:code>/setup/curators/",
        onboarding.CuratorGrantsView.as_view(),
        name="onboarding-curators",
    ),
    path("regions/<str:code>/setup/aliases/", onboarding.AliasesView.as_view(), name="onboarding-aliases"),
    path("municipalities/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("organizations/<int:pk>/curators/", views.CuratorAssignView.as_view(), name="organization-curators"),
]
