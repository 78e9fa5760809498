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
