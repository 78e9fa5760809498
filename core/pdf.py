"""PDF renderer: HTML in, bytes out (WeasyPrint). Fonts are the system's DejaVu (Cyrillic)."""

import logging


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    # WeasyPrint logs every unsupported CSS property at WARNING; that is noise for our templates.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
