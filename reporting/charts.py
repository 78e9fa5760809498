"""Charts as inline SVG drawn on the server: no JavaScript, no network, prints the same in PDF."""

from html import escape


def hbar_chart(
    rows: list[tuple[str, float]], *, width: int = 640, unit: str = "%", max_value: float = 100.0
) -> str:
    """Horizontal bars, one per (label, value); values are clipped to ``max_value``."""
    bar_h, gap, label_w = 16, 8, 260
    height = max(1, len(rows)) * (bar_h + gap) + gap
    scale = (width - label_w - 60) / (max_value or 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="DejaVu Sans, sans-serif" font-size="10">'
    ]
    for n, (label, value) in enumerate(rows):
        y = gap + n * (bar_h + gap)
        shown = max(0.0, min(float(value), max_value))
        colour = "#1e7a3e" if shown >= 80 else "#a35b00" if shown >= 50 else "#b3261e"
        text = label if len(label) <= 45 else label[:44] + "…"
        parts.append(f'<text x="0" y="{y + 12}">{escape(text)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{width - label_w - 60}" height="{bar_h}" fill="#eef2f7"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{shown * scale:.1f}" height="{bar_h}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_w + shown * scale + 4:.1f}" y="{y + 12}">{value:g}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
