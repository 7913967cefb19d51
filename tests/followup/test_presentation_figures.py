"""A missing figure is "–" with the reason, never "0,0 %" (issue #15): formatting, pages and the report."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from followup import presentation
from followup.formatting import format_missing
from tests.factories.followup import AllocationFactory, AppropriationFactory, ExpenditureFactory
from tests.factories.regions import RegionalStrategyFactory

ZERO_SHARE = re.compile(r"(?<![\d,])0,0\u00a0%")


def _row(**figures):
    base = {"frame_total": 10_000_000, "used": 2_000_000, "utilisation": 20.0, "leverage": 1.5, "alignment": 50.0}
    return SimpleNamespace(**(base | figures))


def test_format_missing_gives_the_dash_and_the_reason():
    assert format_missing("ingen ram beslutad") == "– (ingen ram beslutad)"
    assert format_missing("") == "–"


@pytest.mark.parametrize(
    ("figures", "measure", "shown"),
    [
        ({}, "utilisation", "20,0\u00a0%"),
        ({}, "leverage", "1,50"),
        ({}, "alignment", "50,0\u00a0%"),
        ({"frame_total": 0, "utilisation": None}, "utilisation", "– (ingen ram beslutad)"),
        ({"used": 0, "utilisation": 0.0}, "utilisation", "– (ingen användning rapporterad)"),
        ({"used": 0, "leverage": None}, "leverage", "– (ingen användning rapporterad)"),
        ({"used": 0, "alignment": None}, "alignment", "– (ingen användning rapporterad)"),
        ({"alignment": 0.0, "has_strategy": False}, "alignment", "– (ingen RUS registrerad)"),
        ({"alignment": 0.0, "has_strategy": True}, "alignment", "0,0\u00a0%"),
    ],
)
def test_figure_is_the_value_or_the_reason_it_is_missing(figures, measure, shown):
    with translation.override("sv"):
        assert presentation.figure(_row(**figures), measure) == shown


def test_the_county_year_table_gives_reasons_not_zeros():
    allocation = _row(used=0, utilisation=0.0, leverage=None, alignment=None)
    allocation.region_id, allocation.region = 1, "Kalmar län"
    allocation.appropriation = SimpleNamespace(year=2015)
    with translation.override("sv"):
        _years, rows = presentation.county_year_table([allocation], "utilisation")
    assert rows == [("Kalmar län", ["– (ingen användning rapporterad)"])]


@pytest.fixture
def counties_2015(region_a, region_b):
    """Kalmar has used 2 of 10 mnkr; Kronoberg has a frame of 5 mnkr and has reported no use."""
    appropriation = AppropriationFactory(year=2015)
    kalmar = AllocationFactory(appropriation=appropriation, region=region_a, frame_amount=10_000_000)
    AllocationFactory(appropriation=appropriation, region=region_b, frame_amount=5_000_000)
    ExpenditureFactory(allocation=kalmar, amount=2_000_000)
    return appropriation


def test_national_page_and_its_charts_show_no_zero_shares_for_a_county_without_use(
    client, ministry_user, counties_2015
):
    client.force_login(ministry_user)
    html = client.get(reverse("followup:national"), {"year": 2015}).content.decode()
    assert "20,0\u00a0%" in html  # Kalmar's utilisation
    assert not ZERO_SHARE.search(html)
    assert "– (ingen användning rapporterad)" in html
    assert "no use reported" not in html


def test_allocation_page_without_a_frame_says_no_frame_was_decided(client, ministry_user, region_a):
    AllocationFactory(appropriation=AppropriationFactory(year=2015), region=region_a, frame_amount=0)
    client.force_login(ministry_user)
    url = reverse("followup:allocation_detail", kwargs={"slug": region_a.slug, "year": 2015})
    html = client.get(url).content.decode()
    assert "– (ingen ram beslutad)" in html
    assert not ZERO_SHARE.search(html)


def test_year_over_year_page_shows_reasons_for_a_county_without_use(client, ministry_user, counties_2015):
    client.force_login(ministry_user)
    html = client.get(reverse("followup:trend"), {"measure": "leverage"}).content.decode()
    assert "– (ingen användning rapporterad)" in html


def test_a_county_without_a_rus_has_no_alignment_rather_than_zero(client, ministry_user, counties_2015, region_b):
    client.force_login(ministry_user)
    html = client.get(reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2015})).content
    assert "– (ingen RUS registrerad)" in html.decode()


def test_a_county_with_a_rus_and_no_tied_use_has_zero_alignment(client, ministry_user, counties_2015, region_a):
    RegionalStrategyFactory(region=region_a, start_year=2014, end_year=2020)
    client.force_login(ministry_user)
    html = client.get(reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2015})).content
    assert ZERO_SHARE.search(html.decode())
    assert "ingen RUS registrerad" not in html.decode()


def test_the_reports_figures_section_gives_reasons_not_zeros(region_b, counties_2015):
    """Kronoberg's feedback report (round 2015): a frame but no use reported."""
    from reports.rendering import report_body_html
    from tests.factories.dialogues import DialogueRoundFactory, FeedbackReportFactory

    report = FeedbackReportFactory(round=DialogueRoundFactory(year=2015), region=region_b)
    with translation.override("sv"):
        html = report_body_html(report)
    figures = html[html.index('id="report-figures"') :].replace("\u00a0", " ")
    assert "– (ingen användning rapporterad)" in figures
    assert not re.search(r"(?<![\d,])0,0 %", figures)
