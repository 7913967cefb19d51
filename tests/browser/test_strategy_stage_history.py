"""The RUS process is a history the ministry builds in the browser: a stage recorded twice keeps both."""

import datetime

import pytest
from playwright.sync_api import expect

from regions.models import StrategyStage
from tests.factories.regions import RegionalStrategyFactory

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record_analysis(page, strategy, *, starts_on: str, note: str) -> None:
    page.goto(strategy.region.get_absolute_url())
    page.get_by_role("link", name=f"Registrera ett skede i processen {strategy.title}").click()
    page.get_by_label("Skede").select_option(label="Analys")
    page.get_by_label("Börjar").fill(starts_on)
    page.get_by_label("Information till myndigheterna").fill(note)
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    expect(page.locator(".alert-success")).to_contain_text("Skedet är registrerat")


def test_analysis_recorded_twice_shows_both_in_date_order_and_the_later_is_in_force(
    page, ministry_user, password, region_a
):
    strategy = RegionalStrategyFactory(region=region_a, title="RUS 2021–2030", start_year=2021, end_year=2030)
    log_in(page, ministry_user.email, password)

    # The later analysis is recorded first: the history orders by date, not by when it was typed.
    _record_analysis(page, strategy, starts_on="2019-02-01", note="Andra analysen")
    _record_analysis(page, strategy, starts_on="2018-09-01", note="Första analysen")

    history = page.get_by_role("table", name="Strategiprocessen: skeden och datum")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Analys")
    expect(rows.nth(0)).to_contain_text("1 sep 2018")
    expect(rows.nth(0)).to_contain_text("Första analysen")
    expect(rows.nth(1)).to_contain_text("Analys")
    expect(rows.nth(1)).to_contain_text("1 feb 2019")
    expect(rows.nth(1)).to_contain_text("Andra analysen")
    # The stage in force is the later one: only its row carries the badge.
    expect(history.get_by_text("nuvarande", exact=True)).to_have_count(1)
    expect(rows.nth(1).get_by_text("nuvarande", exact=True)).to_be_visible()
    expect(page.get_by_text("skede nu: Analys")).to_be_visible()
    assert_accessible(page, "the county page with two records of the analysis stage")

    in_force = strategy.stage_in_force()
    assert in_force.starts_on == datetime.date(2019, 2, 1)
    assert StrategyStage.objects.filter(strategy=strategy, stage="analysis").count() == 2
