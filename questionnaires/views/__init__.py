"""Questionnaire pages: list, builder, assignment, answering (with autosave), tracking, results,
exports. Thin: parse, gate (GatedViewMixin), call a selector or a service, render.

Split by job: :mod:`.building`, :mod:`.assigning`, :mod:`.answering`."""
