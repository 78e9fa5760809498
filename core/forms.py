"""The one way a page shows a service's refusal: next to the form field it is about, or as a
message above the page. Services raise ``ValidationError`` (or a :class:`core.errors.DomainError`);
views wrap the call::

    with errors_on_form(form):
        services.do_update_item(...)
        return redirect(...)
    return self.render_to_response(...)        # the form, now with the error next to its field

    with errors_as_messages(request):
        services.do_approve_roadmap(...)
        messages.success(request, _("Дорожная карта утверждена."))
    return redirect(...)
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.concurrency import StaleEdit
from core.errors import DomainError


def message_of(exc: ValidationError) -> str:
    """All of an error's messages as one Russian sentence or several."""
    return " ".join(exc.messages)


def add_errors(form: forms.Form, exc: ValidationError, *, field: str | None = None) -> None:
    """Put ``exc`` on ``form``: by the field it names when the form has that field, else on
    ``field`` (the input the whole call is about), else above the form."""

    def target(name: str | None) -> str | None:
        if name and name in form.fields:
            return name
        return field if field in form.fields else None

    if isinstance(exc, StaleEdit):
        # The user keeps what they typed; the form now carries the current version, so saving
        # again (after reading what changed) overwrites on purpose.
        form.add_error(None, list(exc.messages))
        if "version" in form.fields and form.is_bound:
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = str(exc.current_version)
    elif isinstance(exc, DomainError):
        form.add_error(target(exc.field), list(exc.messages))
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(target(name), errors)
    else:
        form.add_error(target(None), list(exc.messages))


@contextmanager
def errors_on_form(form: forms.Form, *, field: str | None = None) -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        add_errors(form, exc, field=field)


@contextmanager
def errors_as_messages(request: HttpRequest) -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        messages.error(request, message_of(exc))
