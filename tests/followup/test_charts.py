import re
from decimal import Decimal

from django.template import Context, Template

from followup import charts
from followup.formatting import format_kronor, format_percent, format_ratio


def test_format_kronor_groups_thousands_the_swedish_way():
    assert format_kronor(Decimal(1234567)) == "1\u00a0234\u00a0567\u00a0kr"
    assert format_kronor(0) == "0\u00a0kr"
    assert format_kronor(None) == "–"
    assert format_percent(87.54) == "87,5\u00a0%"
    assert format_ratio(2.345) == "2,35"


def test_kronor_filter_renders_money_in_templates():
    rendered = Template("{% load followup_tags %}{{ amount|kronor }}").render(Context({"amount": Decimal(1234567)}))
    assert rendered == "1\u00a0234\u00a0567\u00a0kr"


def test_stacked_bars_are_an_accessible_svg_with_the_data_table():
    markup = charts.stacked_bars(
        chart_id="use-2015",
        title="Användning per insats 2015",
        description="Staplar per län.",
        categories=["Kalmar län", "Kronobergs län"],
        series=[
            charts.Series("Projektverksamhet", [Decimal(2_000_000), Decimal(0)]),
            charts.Series("Regionala företagsstöd", [Decimal(1_000_000), Decimal(500_000)]),
        ],
        category_heading="Län",
    )
    assert 'role="img"' in markup
    assert 'aria-labelledby="use-2015-title use-2015-desc"' in markup
    assert '<title id="use-2015-title">Användning per insats 2015</title>' in markup
    assert '<desc id="use-2015-desc">Staplar per län.</desc>' in markup
    # Patterns as well as colours: one <pattern> per series.
    assert markup.count("<pattern ") == 2
    # The figures one click away, in a table with a caption and header cells.
    details = re.search(r"<details>.*</details>", markup, re.S).group(0)
    assert "<caption>Användning per insats 2015</caption>" in details
    assert '<th scope="row">Kalmar län</th>' in details
    assert "2\u00a0000\u00a0000\u00a0kr" in details
    assert "3\u00a0000\u00a0000\u00a0kr" in details  # Kalmar's total


def test_bars_and_lines_escape_labels_and_open_the_table_for_print():
    bars = charts.bars(
        chart_id="leverage",
        title="Uppväxling <2015>",
        description="d",
        categories=["A & B", "C"],
        values=[2.5, None],
        value_heading="Uppväxling",
        value_format=format_ratio,
        reference=1.0,
        reference_label="1,0",
        table_open=True,
    )
    assert "Uppväxling &lt;2015&gt;" in bars
    assert "A &amp; B" in bars
    assert "<details open>" in bars
    assert "2,50" in bars
    lines = charts.lines(
        chart_id="trend",
        title="Trend",
        description="Linjer",
        x_labels=["2015", "2016", "2017"],
        series=[charts.Series("Ram", [1, 2, 3]), charts.Series("Använt", [1, None, 2])],
        value_format=str,
    )
    assert lines.count("<path d=") == 2
    assert '<title id="trend-title">Trend</title>' in lines
    assert '<th scope="row">2016</th>' in lines


def test_charts_render_in_a_pdf_the_way_reports_will_use_them():
    from weasyprint import HTML

    figure = charts.bars(
        chart_id="alignment",
        title="Koppling till RUS",
        description="Andel kopplad till RUS.",
        categories=["Kalmar län", "Kronobergs län"],
        values=[62.5, 40.0],
        value_heading="Koppling till RUS",
        value_format=format_percent,
        table_open=True,
    )
    pdf = HTML(string=f"<html><body>{figure}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
