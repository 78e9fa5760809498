"""PDF renderer: HTML in, bytes out (WeasyPrint). Fonts are the system's DejaVu (Cyrillic)."""

import logging


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    # WeasyPrint logs every unsupported CSS property at WARNING; that is noise for our templates.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # fontTools logs every glyph of every embedded font subset at INFO: hundreds of lines a file
    # in a worker's log (the root logger is at INFO), and time spent formatting them.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
