from django.contrib import admin
from django.urls import include, path

from schools.accounts import InvitationAcceptView, ThrottledPasswordResetView

admin.site.site_header = "Портал дорожных карт — администрирование"
admin.site.site_title = "Администрирование"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own account URLs: the reset form with its per-address limits.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/invitation/<uidb64>/<token>/", InvitationAcceptView.as_view(), name="invitation-accept"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("audit.urls")),
    path("api/v1/", include("config.api_urls")),
    path("", include("roadmaps.urls")),
    path("", include("monitoring.urls")),
    path("", include("diagnostics.urls")),
    path("", include("reporting.urls")),
    path("", include("questionnaires.urls")),
    path("", include("diagnostics.measure_urls")),
    path("", include("diagnostics.import_urls")),
    path("", include("schools.urls")),
    path("", include("dashboard.urls")),
]

handler404 = "core.errorpages.not_found"
handler500 = "core.errorpages.server_error"
