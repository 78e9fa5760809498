"""The server-drawn chart: pure markup, figures as text, no script."""

from core.charts import Bar, Segment, stacked_bars

SEGMENTS = [Segment("accepted", "принято", "#1e7a3e"), Segment("overdue", "просрочено", "#b3261e")]


def test_it_splits_each_bar_by_its_own_total():
    svg = stacked_bars(
        [Bar("Зырянский район", [1, 3], note="25% в срок"), Bar("Город Томск", [2, 2])],
        SEGMENTS,
        title="Муниципалитеты",
        width=500,
        label_width=100,
        note_width=0,
    )
    # 400 px of plot: a quarter and three quarters, then two halves.
    assert 'width="100.0"' in svg and 'width="300.0"' in svg and svg.count('width="200.0"') == 2
    assert "Зырянский район: просрочено — 3" in svg and "25% в срок" in svg
    assert "<script" not in svg and svg.startswith("<svg") and "<title>Муниципалитеты</title>" in svg


def test_it_escapes_names_and_draws_no_segment_for_zero():
    svg = stacked_bars([Bar('<b>"школа"</b>', [0, 0])], SEGMENTS, title="t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "— 0</title>" not in svg


def test_a_line_chart_labels_every_point_and_tells_lines_apart_without_colour():
    from core.charts import Series, line_chart

    svg = line_chart(
        [
            Series("Математика <5>", [(2024, 25.0), (2025, None), (2026, 21.8)]),
            Series("Русский", [(2024, 28.0)]),
        ],
        title="ВПР",
        unit="%",
    )
    assert svg.startswith("<svg") and "<script" not in svg
    assert "Математика &lt;5&gt;, 2024: 25%" in svg and "Математика &lt;5&gt;, 2026: 21,8%" in svg
    assert "2025" not in svg  # a year with no value is not drawn
    assert svg.count("<polyline") == 1  # one point alone draws no line
    assert "<rect" in svg and "<circle" in svg  # markers differ by shape, not only by colour
    assert ">50%<" in svg  # the axis ends on a round number


def test_a_count_grid_gathers_dots_by_range_and_names_the_quadrants():
    from core.charts import Dot, count_grid

    dots = [Dot(12, 2, "Школа А"), Dot(15, 2, "Школа Б"), Dot(0, 0, "Школа В")]
    svg = count_grid(dots, title="t", x_label="x", y_label="y", quadrants=["один", "два", "три", "четыре"])
    assert "<title>Школа А; Школа Б</title>" in svg and "<title>Школа В</title>" in svg
    assert ">2</text>" in svg and "1 — один" in svg and "4 — четыре" in svg
    assert ">10–19<" in svg and ">40+<" in svg
