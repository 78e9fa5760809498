"""Charts as inline SVG drawn on the server: no script (the CSP forbids inline script), no CDN,
the same picture on screen, in print and in a PDF. Colours are SVG attributes, not styles, so
the page's style policy does not touch them; every bar carries its figures as text too
(``<title>`` and the label beside it) — the colour is never the only carrier of the meaning.

Pure: data in, markup out.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class Segment:
    key: str  # what it is (for the legend): "accepted", "overdue", …
    label: Any  # its words: «принято» (a lazy translation too)
    colour: str  # #rrggbb


@dataclass(frozen=True)
class Bar:
    label: str
    values: Sequence[int]  # one per segment, in the segments' order
    note: str = ""  # text after the bar: «62% в срок»


def stacked_bars(
    bars: Sequence[Bar],
    segments: Sequence[Segment],
    *,
    title: str,
    width: int = 760,
    label_width: int = 250,
    note_width: int = 110,
) -> str:
    """One horizontal bar per row, each as 100 % of its own total, split into ``segments``;
    a legend with the segments' words under the bars."""
    bar_h, gap, legend_h = 18, 8, 24
    plot = max(80, width - label_width - note_width)
    height = max(1, len(bars)) * (bar_h + gap) + gap + legend_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"><title>{escape(title)}</title>'
    ]
    for n, bar in enumerate(bars):
        y = gap + n * (bar_h + gap)
        text = bar.label if len(bar.label) <= 36 else bar.label[:35] + "…"
        out.append(f'<text x="0" y="{y + 13}">{escape(text)}<title>{escape(bar.label)}</title></text>')
        out.append(f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_h}" fill="#eef2f7"/>')
        total = sum(bar.values)
        x = float(label_width)
        for segment, value in zip(segments, bar.values, strict=True):
            if not value or not total:
                continue
            w = plot * value / total
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{segment.colour}">'
                f"<title>{escape(bar.label)}: {escape(str(segment.label))} — {value}</title></rect>"
            )
            x += w
        if bar.note:
            out.append(f'<text x="{label_width + plot + 6}" y="{y + 13}">{escape(bar.note)}</text>')
    y = height - legend_h + 14
    x = 0
    for segment in segments:
        label = str(segment.label)
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{segment.colour}"/>')
        out.append(f'<text x="{x + 16}" y="{y}">{escape(label)}</text>')
        x += 24 + 7 * len(label)
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Series:
    label: str  # its words in the legend: «ВПР, математика, 5 кл.»
    points: Sequence[tuple[int, float | None]]  # (year, value); None where there is no value


# Told apart by the dash and the marker as well as by the colour (never by colour alone).
_LINE_STYLES = (
    ("#2f6fb5", "", "circle"),
    ("#c77700", "6 3", "square"),
    ("#1e7a3e", "2 3", "diamond"),
    ("#6b3fa0", "8 3 2 3", "circle"),
    ("#b3261e", "4 4", "square"),
    ("#4a5563", "1 2", "diamond"),
)


def _marker(shape: str, x: float, y: float, colour: str, tip: str) -> str:
    tip = f"<title>{escape(tip)}</title>"
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{tip}</rect>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 220,
    y_max: float | None = None,
) -> str:
    """Values over years, one line per series, each point labelled with its value (and a
    ``<title>``); the lines differ by dash and marker too. The y axis starts at zero."""
    years = sorted({year for s in series for year, value in s.points if value is not None})
    values = [value for s in series for _, value in s.points if value is not None]
    left, right, top, legend_h = 44, 16, 12, 20 * max(1, len(series))
    plot_w, plot_h = width - left - right, height - top - 28
    total_h = height + legend_h
    top_value = y_max if y_max is not None else (max(values) * 1.15 if values else 1) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"><title>{escape(title)}</title>'
    ]

    def x_of(year: int) -> float:
        if len(years) == 1:
            return left + plot_w / 2
        return left + 20 + (plot_w - 40) * years.index(year) / (len(years) - 1)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * min(value, top_value) / top_value

    for fraction in (0, 0.5, 1):
        y = top + plot_h - plot_h * fraction
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d5dce5"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(top_value * fraction)}{escape(unit)}</text>'
        )
    for year in years:
        out.append(f'<text x="{x_of(year):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{year}</text>')
    for n, s in enumerate(series):
        colour, dash, shape = _LINE_STYLES[n % len(_LINE_STYLES)]
        pts = [(year, value) for year, value in s.points if value is not None]
        if len(pts) > 1:
            path = " ".join(f"{x_of(year):.1f},{y_of(value):.1f}" for year, value in pts)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        for year, value in pts:
            x, y = x_of(year), y_of(value)
            text = f"{_number(value)}{unit}"
            out.append(_marker(shape, x, y, colour, f"{s.label}, {year}: {text}"))
            out.append(f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="11">{escape(text)}</text>')
        y = height + 20 * n + 8
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="0" y1="{y}" x2="24" y2="{y}" stroke="{colour}" stroke-width="2"{dashed}/>')
        out.append(_marker(shape, 12, y, colour, s.label))
        out.append(f'<text x="32" y="{y + 4}">{escape(s.label)}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Dot:
    x: int  # a count on the horizontal axis (capped at the axis' end)
    y: int  # a count on the vertical axis
    label: str  # what the dot is, for its <title>


def count_grid(
    dots: Sequence[Dot],
    *,
    title: str,
    x_label: str,
    y_label: str,
    quadrants: Sequence[str],
    x_cap: int = 6,
    y_cap: int = 6,
    width: int = 560,
    height: int = 320,
) -> str:
    """Dots on two counts (e.g. lagging reports × high risk factors) gathered into circles that
    say how many share the spot; the plot is split at 1 on each axis into four named quadrants
    (``quadrants``: top right, top left, bottom right, bottom left — their words are written in
    the corners, so the meaning never rests on a colour)."""
    left, bottom, top, right = 48, 44, 12, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    step_x, step_y = plot_w / (x_cap + 1), plot_h / (y_cap + 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"><title>{escape(title)}</title>'
    ]
    split_x, split_y = left + step_x, top + plot_h - step_y
    shades = ("#fbe3e1", "#fdf1dc", "#fdf1dc", "#eef2f7")
    boxes = (
        (split_x, top, left + plot_w - split_x, split_y - top),
        (left, top, split_x - left, split_y - top),
        (split_x, split_y, left + plot_w - split_x, top + plot_h - split_y),
        (left, split_y, split_x - left, top + plot_h - split_y),
    )
    for (x, y, w, h), shade, words in zip(boxes, shades, quadrants, strict=True):
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{shade}"/>')
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + 14:.1f}" font-size="11" fill="#333">{escape(words)}</text>'
        )
    for n in range(x_cap + 1):
        x = left + step_x * (n + 0.5)
        mark = f"{n}+" if n == x_cap else str(n)
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{mark}</text>')
    for n in range(y_cap + 1):
        y = top + plot_h - step_y * (n + 0.5)
        mark = f"{n}+" if n == y_cap else str(n)
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{mark}</text>')
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    spots: dict[tuple[int, int], list[str]] = {}
    for dot in dots:
        spots.setdefault((min(dot.x, x_cap), min(dot.y, y_cap)), []).append(dot.label)
    largest = max((len(v) for v in spots.values()), default=1)
    for (cx, cy), labels in sorted(spots.items()):
        x, y = left + step_x * (cx + 0.5), top + plot_h - step_y * (cy + 0.5)
        r = 5 + (min(step_x, step_y) / 2 - 6) * (len(labels) / largest) ** 0.5
        tip = "; ".join(labels[:20]) + (" …" if len(labels) > 20 else "")
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#2f6fb5" fill-opacity="0.75">'
            f"<title>{escape(tip)}</title></circle>"
        )
        out.append(
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#fff" font-weight="bold">{len(labels)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
