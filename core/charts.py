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
