"""From a builder's data to file bytes: PDF through a template, XLSX through the report layout."""

from django.template.loader import render_to_string

from core.pdf import html_to_pdf
from reporting.xlsx import render_xlsx_report

__all__ = ["render_pdf", "render_xlsx_report"]


def render_pdf(data: dict) -> bytes:
    return html_to_pdf(render_to_string(f"reporting/{data['kind']}.html", data))
