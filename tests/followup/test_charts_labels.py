"""Chart texts: translated, and never cut at the chart's edge (issue #15)."""

import re
from decimal import Decimal

from django.utils import translation

from followup import charts
from followup.formatting import format_kronor, format_percent, format_ratio


def _texts(markup: str) -> list[str]:
    """The <text> elements of the SVG, with the x they start at and their anchor."""
    return re.findall(r"<text [^>]*>.*?</text>", markup, re.S)


def _leverage(values, categories=("Kalmar län", "Kronobergs län"), **kwargs):
    return charts.bars(
        chart_id="leverage",
        title="Uppväxling",
        description="d",
        categories=list(categories),
        values=values,
        value_heading="Uppväxling",
        value_format=format_ratio,
        reference=1.0,
        reference_label="1,0: ingen medfinansiering",
        **kwargs,
    )


def test_a_missing_bar_reads_no_use_reported_in_swedish():
    with translation.override("sv"):
        markup = _leverage([2.5, None])
    assert "no use reported" not in markup
    assert "– (ingen användning rapporterad)" in markup
    # In the table too: "–" with the reason, never 0.
    assert '<td class="text-end">– (ingen användning rapporterad)</td>' in markup


def test_a_missing_bar_gives_the_reason_it_is_given():
    markup = _leverage([None, None], missing=["ingen ram beslutad", None])
    assert "– (ingen ram beslutad)" in markup
    assert "0,00" not in markup


def test_the_reference_label_at_the_right_edge_turns_left_instead_of_being_cut():
    # Every county at 1.0: the axis ends at 1.0, so the reference line is the chart's right edge.
    markup = _leverage([1.0, 1.0])
    label = next(t for t in _texts(markup) if "ingen medfinansiering" in t)
    assert 'text-anchor="end"' in label
    assert ">1,0: ingen medfinansiering</text>" in label


def test_a_long_category_name_is_cut_with_an_ellipsis_and_keeps_the_full_name_as_its_title():
    name = "Regionförbundet i en mycket lång länsbeteckning med många ord som inte får plats " * 2
    markup = _leverage([2.0, 1.5], categories=(name, "Kalmar län"))
    label = next(t for t in _texts(markup) if "Regionförbundet" in t)
    assert "…" in label
    assert f"<title>{name}</title>" in label
    # The visible part fits left of the bars (the label area is at most 320 px).
    visible = re.sub(r"<title>.*?</title>", "", label)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert len(visible) * charts.CHAR_WIDTH <= 320
    # The short name is shown whole, without a title.
    kalmar = next(t for t in _texts(markup) if "Kalmar län" in t)
    assert "…" not in kalmar and "<title>" not in kalmar


def test_line_end_labels_stay_inside_the_chart():
    markup = charts.lines(
        chart_id="shares",
        title="Andelar",
        description="d",
        x_labels=["2015", "2016"],
        series=[
            charts.Series("Koppling till den regionala utvecklingsstrategin", [Decimal(50), Decimal("87.5")]),
        ],
        value_format=format_percent,
    )
    label = next(t for t in _texts(markup) if "Koppling" in t)
    x = float(re.search(r'x="([\d.]+)"', label).group(1))
    visible = re.sub(r"<title>.*?</title>", "", label)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert x + len(visible) * charts.CHAR_WIDTH <= charts.WIDTH
    assert "<title>Koppling till den regionala utvecklingsstrategin: 87,5\u00a0%</title>" in label


def test_legend_labels_that_are_too_long_are_cut_with_their_title():
    long_label = "Projektverksamhet inom regional tillväxt och kompetensförsörjning i hela länet"
    markup = charts.stacked_bars(
        chart_id="use",
        title="Användning",
        description="d",
        categories=["Kalmar län"],
        series=[charts.Series(long_label, [Decimal(1_000_000)])],
        table_format=format_kronor,
    )
    label = next(t for t in _texts(markup) if "Projektverksamhet" in t)
    assert "…" in label and f"<title>{long_label}</title>" in label


def test_a_long_value_beside_the_longest_bar_widens_the_margin_instead_of_being_cut():
    markup = charts.bars(
        chart_id="use",
        title="Användning",
        description="d",
        categories=["Kalmar län", "Kronobergs län"],
        values=[Decimal(123_456_789_012), Decimal(1_000_000)],
        value_heading="Använt",
        value_format=format_kronor,
    )
    label = next(t for t in _texts(markup) if "123\u00a0456\u00a0789\u00a0012\u00a0kr" in t)
    x = float(re.search(r'x="([\d.]+)"', label).group(1))
    assert x + len("123 456 789 012 kr") * charts.CHAR_WIDTH <= charts.WIDTH
