"""``css_string``: text safe inside a double-quoted CSS string, for the page headers of PDFs
(``@top-left { content: "{{ region|css_string }}" }``).

``escapejs`` is JavaScript's escaping, not CSS's: its ``\\u002D`` for a hyphen is read by CSS as
«u002D», so «Ханты-Мансийский» came out as «Ханты002DМансийский». CSS escapes a character as a
backslash, its hex code and a space.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Closes the string or the style element, or starts an escape; control characters break the rule.
_ESCAPED = frozenset("\\\"'<>&") | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}


@register.filter
def css_string(value: object) -> SafeString:
    text = "" if value is None else str(value)
    return mark_safe("".join(f"\\{ord(ch):x} " if ch in _ESCAPED else ch for ch in text))  # noqa: S308
