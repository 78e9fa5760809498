"""Pages of the diagnostics import: /diagnostics/import/<region>/… (coordinators only)."""

from django.urls import path

from diagnostics import import_views as views

urlpatterns = [
    path("diagnostics/import/<str:code>/", views.ImportIndexView.as_view(), name="diagnostics-import"),
]
for kind, slug in views.SLUGS.items():
    urlpatterns += [
        path(
            f"diagnostics/import/<str:code>/{slug}/",
            views.ImportView.as_view(kind=kind),
            name=f"diagnostics-import-{slug}",
        ),
        path(
            f"diagnostics/import/<str:code>/{slug}/template.xlsx",
            views.ImportTemplateView.as_view(kind=kind),
            name=f"diagnostics-import-{slug}-template",
        ),
    ]
