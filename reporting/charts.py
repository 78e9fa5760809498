"""Charts as inline SVG drawn on the server: no JavaScript, no network, prints the same in PDF."""

from html import escape

# DejaVu Sans at 10 px: about 6.3 px per Cyrillic letter on average, so a 250 px label column
# holds ~38 letters a line. Labels wrap onto up to three lines instead of running into the bars.
LABEL_CHARS, LABEL_LINES, LINE_H = 38, 3, 12


def wrap_label(label: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """A label as at most ``lines`` lines of at most ``width`` characters, broken between words;
    what does not fit ends with «…»."""
    out: list[str] = []
    current = ""
    words = label.split()
    for n, word in enumerate(words):
        while len(word) > width:  # a very long word is cut where it must be
            if current:
                out.append(current)
                current = ""
            out.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            rest = " ".join([current, *words[n + 1 :]])
            out[-1] = (out[-1] + " " + rest)[: width - 1].rstrip() + "…"
            return out
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out or [""]


def hbar_chart(
    rows: list[tuple[str, float]], *, width: int = 640, unit: str = "%", max_value: float = 100.0
) -> str:
    """Horizontal bars, one per (label, value); values are clipped to ``max_value``. Labels wrap
    (up to three lines) in their own column; the value is written after the bar, inside the
    picture even at 100 %."""
    bar_h, gap, label_w, value_w = 16, 8, 250, 48
    labels = [wrap_label(label) for label, _value in rows]
    heights = [max(bar_h, len(lines) * LINE_H + 4) for lines in labels]
    height = sum(h + gap for h in heights) + gap if rows else bar_h + 2 * gap
    track = width - label_w - 10 - value_w
    scale = track / (max_value or 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" font-family="DejaVu Sans, sans-serif" font-size="10">'
    ]
    y = gap
    for (_label, value), lines, row_h in zip(rows, labels, heights, strict=True):
        shown = max(0.0, min(float(value), max_value))
        colour = "#1e7a3e" if shown >= 80 else "#a35b00" if shown >= 50 else "#b3261e"
        first = y + (row_h - len(lines) * LINE_H) / 2 + 10
        spans = "".join(
            f'<tspan x="0" y="{first + i * LINE_H:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(f"<text>{spans}</text>")
        bar_y = y + (row_h - bar_h) / 2
        x0 = label_w + 10
        parts.append(f'<rect x="{x0}" y="{bar_y:.1f}" width="{track}" height="{bar_h}" fill="#eef2f7"/>')
        parts.append(
            f'<rect x="{x0}" y="{bar_y:.1f}" width="{shown * scale:.1f}" height="{bar_h}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x0 + shown * scale + 4:.1f}" y="{bar_y + 12:.1f}">{_number(value)}{escape(unit)}</text>'
        )
        y += row_h + gap
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    """27.5 → «27,5» (the Russian decimal comma)."""
    return f"{value:g}".replace(".", ",")
