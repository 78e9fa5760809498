"""The one base of the portal's own errors: a Russian message for a person, and where it belongs.

Services raise a :class:`DomainError` (or Django's ``ValidationError``); pages show it next to the
form (:func:`core.forms.message_of`), the API turns it into ``{"detail", "fields"}`` in one place
(:func:`core.api.exception_handler`). It *is* a ``ValidationError``, so one ``except`` catches both.
"""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule of the domain was broken; ``field`` names the input it is about (or None)."""

    field: str | None = None
    http_status: int = 400  # what the API answers; a body over the size limit is a 413
    api_code: str = "invalid"  # the machine-readable ``code`` of the API's error body

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field is not None:
            self.field = field

    def __str__(self) -> str:
        return self.messages[0]

    def api_fields(self) -> dict[str, list[str]]:
        """The ``fields`` part of an API error body."""
        return {self.field: list(self.messages)} if self.field else {}


class ConflictError(DomainError):
    """The request is well-formed but the object's state forbids it now: a report already
    submitted or accepted, a review of a report that is not waiting for one, answers after the
    questionnaire closed. The API answers 409 — repeating the request will not help until the
    state changes."""

    http_status = 409
    api_code = "conflict"
