"""Panels other apps add to the roadmap pages, registered from their ``AppConfig.ready`` so that
roadmaps need not know them (as with ``services.ASSIGNMENT_PREVIEW``).

A panel function takes the request and the roadmap (``ROADMAP_PANELS``, shown on the roadmap page)
or the item (``ITEM_PANELS``, shown on the item's edit page) and returns a dict with the
``template`` to include and whatever that template reads, or None to show nothing.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any], dict | None]

ROADMAP_PANELS: list[Panel] = []
ITEM_PANELS: list[Panel] = []


def collect(hooks: list[Panel], request: HttpRequest, obj: Any) -> list[dict]:
    """The panels to show for ``obj``, in the order they were registered."""
    return [panel for hook in hooks if (panel := hook(request, obj))]
