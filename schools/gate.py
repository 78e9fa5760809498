"""The access gate for views: a mixin for pages and a base class for DRF views.

Both own ``get_queryset``/``get_object``, so a view that uses them cannot forget the tenant
filter; ``tests/test_url_access.py`` proves every URL of the project goes through one of them.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import FileResponse, Http404
from rest_framework import permissions, viewsets

from schools import access
from schools.signals import file_downloaded


class GatedViewMixin(LoginRequiredMixin):
    """Base of every page of the portal.

    ``gate_model`` — the model whose object the URL names (its pk, or ``slug_field``); the view
    sees only what ``access.scope_queryset`` lets through, so another region's object is a 404.
    ``write_action`` — required for unsafe methods (POST …); a role that may only read gets 403.
    Views that show no particular object (lists, dashboards) set ``gate_model = None`` and
    must build their querysets with ``visible(Model)``.
    """

    gate_model: type[models.Model] | None = None
    write_action: access.Action | None = None
    slug_field = "pk"
    slug_url_kwarg = "pk"

    def visible(self, model: type[models.Model]) -> models.QuerySet:
        return access.scope_queryset(model._default_manager.all(), self.request.user)

    def get_queryset(self) -> models.QuerySet:
        if self.gate_model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no gate_model")
        return self.visible(self.gate_model)

    def get_object(self, queryset=None):
        if hasattr(self, "_gated_object"):
            return self._gated_object
        queryset = self.get_queryset() if queryset is None else queryset
        value = self.kwargs.get(self.slug_url_kwarg)
        try:
            obj = queryset.get(**{self.slug_field: value})
        except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        self._gated_object = obj
        return obj

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.gate_model is not None and self.slug_url_kwarg in kwargs:
            obj = self.get_object()  # 404 before anything else for what the user cannot see
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                if self.write_action is None:
                    return self.http_method_not_allowed(request, *args, **kwargs)
                access.require(request.user, self.write_action, obj)
        elif request.method not in ("GET", "HEAD", "OPTIONS") and self.write_action is not None:
            raise ImproperlyConfigured(f"{type(self).__name__}: a write needs an object to gate on")
        return super().dispatch(request, *args, **kwargs)


class GatePermission(permissions.BasePermission):
    """DRF half of the gate: authenticated users only, writes need the view's ``write_action``."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        action = getattr(view, "write_action", None)
        if action is None:
            return False
        access.require(request.user, action, obj)
        return True


class GatedViewSet(viewsets.GenericViewSet):
    """Base of every API view: the queryset comes only from the gate."""

    gate_model: type[models.Model] | None = None
    write_action: access.Action | None = None
    permission_classes = [GatePermission]

    def get_queryset(self) -> models.QuerySet:
        if self.gate_model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no gate_model")
        return access.scope_queryset(self.gate_model._default_manager.all(), self.request.user)

    # Ids are bigints: a longer number is no id at all (and must not reach the database).
    lookup_value_regex = r"\d{1,18}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, GatePermission, throttling
        if (self.lookup_url_kwarg or self.lookup_field) in self.kwargs:
            # 404 before the method check: another region's object must look like no object at
            # all, whatever the method; for writes this also runs GatePermission on the object.
            self.get_object()

    def get_object(self):
        if not hasattr(self, "_gated_object"):
            self._gated_object = super().get_object()
        return self._gated_object


def attachment(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download, never rendered inline: uploaded content cannot run in our
    origin (no sniffing, sandboxed). A missing file is a 404, like an object out of reach."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    instance = getattr(field_file, "instance", None)
    if instance is not None:
        file_downloaded.send(sender=type(instance), instance=instance, filename=filename)
    return response
