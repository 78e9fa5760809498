"""Charts as inline SVG drawn on the server: no script (the CSP forbids inline script), no CDN,
the same picture on screen, in print and in a PDF. Colours are SVG attributes, not styles, so
the page's style policy does not touch them; every bar carries its figures as text too
(``<title>`` and the label beside it) — the colour is never the only carrier of the meaning.

Pure: data in, markup out.
"""

import math
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


def _nice_ceiling(value: float) -> float:
    """The axis' top: the value rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(power * m for m in (1, 2, 2.5, 5, 10) if power * m >= value)


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
    left, right, top, legend_h = 48, 56, 12, 20 * max(1, len(series))
    plot_w, plot_h = width - left - right, height - top - 28
    total_h = height + legend_h
    top_value = y_max if y_max is not None else _nice_ceiling(max(values) * 1.1 if values else 1)
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
    x: int  # a count on the horizontal axis
    y: int  # a count on the vertical axis
    label: str  # what the dot is, for its <title>


def _bucket(value: int, bounds: Sequence[int]) -> int:
    """The index of the last lower bound not above ``value`` (bounds ascending, the first 0)."""
    found = 0
    for n, bound in enumerate(bounds):
        if value >= bound:
            found = n
    return found


def _bucket_label(bounds: Sequence[int], n: int) -> str:
    low = bounds[n]
    if n == len(bounds) - 1:
        return f"{low}+"
    high = bounds[n + 1] - 1
    return str(low) if high == low else f"{low}–{high}"


def count_grid(
    dots: Sequence[Dot],
    *,
    title: str,
    x_label: str,
    y_label: str,
    quadrants: Sequence[str],
    x_bounds: Sequence[int] = (0, 1, 5, 10, 20, 40),
    y_bounds: Sequence[int] = (0, 1, 2, 3, 4, 5),
    width: int = 640,
) -> str:
    """Dots on two counts (e.g. lagging reports × high risk factors), gathered by ranges
    (``x_bounds``/``y_bounds``: lower bounds, the first 0) into circles that say how many share
    the range. The plot is split between 0 and the rest on each axis into four quadrants,
    numbered in their corners and named in the legend under the plot (``quadrants``: top right,
    top left, bottom right, bottom left) — the meaning never rests on a colour."""
    left, top, right = 48, 12, 12
    plot_w, plot_h = width - left - right, 260
    legend_top = top + plot_h + 60
    height = legend_top + 18 * len(quadrants)
    # The «0» column and row get a wider share: they are the quadrants' border, and often full.
    zero_w, zero_h = plot_w * 0.22, plot_h * 0.22
    step_x = (plot_w - zero_w) / max(1, len(x_bounds) - 1)
    step_y = (plot_h - zero_h) / max(1, len(y_bounds) - 1)

    def cx(n: int) -> float:
        return left + zero_w / 2 if n == 0 else left + zero_w + step_x * (n - 0.5)

    def cy(n: int) -> float:
        bottom = top + plot_h
        return bottom - zero_h / 2 if n == 0 else bottom - zero_h - step_y * (n - 0.5)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"><title>{escape(title)}</title>'
    ]
    split_x, split_y = left + zero_w, top + plot_h - zero_h
    shades = ("#fbe3e1", "#fdf1dc", "#fdf1dc", "#eef2f7")
    boxes = (
        (split_x, top, left + plot_w - split_x, split_y - top),
        (left, top, zero_w, split_y - top),
        (split_x, split_y, left + plot_w - split_x, zero_h),
        (left, split_y, zero_w, zero_h),
    )
    for n, ((x, y, w, h), shade) in enumerate(zip(boxes, shades, strict=True), start=1):
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{shade}" '
            f'stroke="#ffffff" stroke-width="2"/>'
        )
        out.append(f'<circle cx="{x + 11:.1f}" cy="{y + 11:.1f}" r="9" fill="#ffffff" stroke="#4a5563"/>')
        out.append(f'<text x="{x + 11:.1f}" y="{y + 15:.1f}" text-anchor="middle" font-size="11">{n}</text>')
    for n in range(len(x_bounds)):
        out.append(
            f'<text x="{cx(n):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{_bucket_label(x_bounds, n)}</text>"
        )
    for n in range(len(y_bounds)):
        out.append(
            f'<text x="{left - 8}" y="{cy(n) + 4:.1f}" text-anchor="end">{_bucket_label(y_bounds, n)}</text>'
        )
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" text-anchor="middle">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    spots: dict[tuple[int, int], list[str]] = {}
    for dot in dots:
        spots.setdefault((_bucket(dot.x, x_bounds), _bucket(dot.y, y_bounds)), []).append(dot.label)
    largest = max((len(v) for v in spots.values()), default=1)
    biggest = min(step_x, step_y, zero_w, zero_h) / 2 - 2
    for (bx, by), labels in sorted(spots.items()):
        r = 8 + (biggest - 8) * (len(labels) / largest) ** 0.5
        tip = "; ".join(labels[:20]) + (" …" if len(labels) > 20 else "")
        out.append(
            f'<circle cx="{cx(bx):.1f}" cy="{cy(by):.1f}" r="{r:.1f}" fill="#2f6fb5">'
            f"<title>{escape(tip)}</title></circle>"
        )
        out.append(
            f'<text x="{cx(bx):.1f}" y="{cy(by) + 4:.1f}" text-anchor="middle" fill="#ffffff" '
            f'font-weight="bold">{len(labels)}</text>'
        )
    for n, words in enumerate(quadrants, start=1):
        y = legend_top + 18 * (n - 1)
        out.append(f'<text x="{left}" y="{y}">{n} — {escape(words)}</text>')
    out.append("</svg>")
    return "".join(out)
