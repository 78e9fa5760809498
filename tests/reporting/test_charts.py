"""Server-drawn SVG charts: labels wrap in their own column instead of being cut or overlapping."""

import re

from reporting.charts import LABEL_CHARS, hbar_chart, wrap_label

LONG = (
    "Организационно-управленческая деятельность по сопровождению школ с низкими образовательными результатами"
)


def test_a_long_label_wraps_between_words_and_keeps_its_start():
    lines = wrap_label(LONG)
    assert 1 < len(lines) <= 3 and all(len(line) <= LABEL_CHARS for line in lines)
    assert lines[0] == "Организационно-управленческая"
    assert (
        " ".join(lines).rstrip("…").startswith("Организационно-управленческая деятельность по сопровождению")
    )


def test_short_labels_are_whole():
    assert wrap_label("Методическое сопровождение") == ["Методическое сопровождение"]
    assert " ".join(wrap_label("Организационно-технологическая деятельность")) == (
        "Организационно-технологическая деятельность"
    )


def test_labels_stay_left_of_the_bars_and_values_inside_the_picture():
    svg = hbar_chart([(LONG, 100.0), ("Аналитическая деятельность", 36.4)])
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    bars = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    longest = max(len(line) for line in wrap_label(LONG))
    assert longest * 6.5 < min(bars)  # the widest line (DejaVu Sans 10 px) ends before the bars
    values = re.findall(r'<text x="([\d.]+)" y="[\d.]+">([^<]+)</text>', svg)
    assert [v for _x, v in values] == ["100%", "36,4%"]
    assert all(float(x) + 6.5 * len(v) <= width for x, v in values)
    # Rows grow with their lines: nothing is drawn on top of the next row.
    ys = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg)[::2]]
    assert ys[1] - ys[0] >= 3 * 12
