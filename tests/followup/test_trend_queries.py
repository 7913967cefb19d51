"""The year-over-year pages stay cheap for the database as the years and counties grow (issue 16).

Each figure is a correlated subquery, and a ratio repeats the subqueries of the sums it divides.
With the sums per instrument and per source too, PostgreSQL's estimate for every county and year
crossed its JIT threshold and the trend page spent 1–2 s a request compiling machine code for a
query that runs in a millisecond. The pages show no sum per instrument or source, so their queries
leave them out.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import selectors
from tests.factories.followup import AllocationFactory, AppropriationFactory, CoFinancingFactory, ExpenditureFactory

pytestmark = pytest.mark.django_db

# used, aligned and co-financing, and in the ratios used four times more, aligned and co-financing
# once more each; a year's figures add its frame summed over the counties (twice, with utilisation).
HEADLINE_SUBQUERIES = 9
SUMS_PER_INSTRUMENT_AND_SOURCE = 10
# A county's row also asks whether a RUS was in force that year (one EXISTS: "ingen RUS registrerad").
STRATEGY_IN_FORCE = 1


def _subqueries(sql: str) -> int:
    return len(re.findall(r"\(SELECT\b", sql))


@pytest.fixture
def years(region_a, region_b):
    for year in (2015, 2016, 2017):
        appropriation = AppropriationFactory(year=year)
        for region in (region_a, region_b):
            allocation = AllocationFactory(appropriation=appropriation, region=region)
            ExpenditureFactory(allocation=allocation, amount=2_000_000)
            CoFinancingFactory(allocation=allocation, amount=1_000_000)


@pytest.mark.usefixtures("years")
def test_trend_page_asks_four_queries_without_sums_per_instrument_or_source(client, ministry_user):
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("followup:trend"), {"measure": "leverage"})
    assert response.status_code == 200
    assert len(queries) == 4  # the user, the years summed, every county's years, the demo flag
    assert [_subqueries(q["sql"]) for q in queries] == [
        0,
        HEADLINE_SUBQUERIES + 2,
        HEADLINE_SUBQUERIES + STRATEGY_IN_FORCE,
        0,
    ]
    html = response.content.decode()
    assert html.count("1,50") >= 9  # leverage (2 + 1 mnkr) ÷ 2 mnkr: each county and year, each year summed
    assert "2017" in html


@pytest.mark.usefixtures("years")
def test_county_trend_page_asks_for_the_headline_figures_only(client, region_user):
    client.force_login(region_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("followup:region", kwargs={"slug": "kalmar-lan"}))
    assert response.status_code == 200
    assert max(_subqueries(q["sql"]) for q in queries) == HEADLINE_SUBQUERIES + STRATEGY_IN_FORCE
    assert response.content.decode().count("1,50") >= 3  # leverage (2 + 1) ÷ 2 each year


@pytest.mark.usefixtures("years")
def test_the_headline_queries_have_the_same_figures_as_the_full_ones():
    full = {
        (a.region_id, a.appropriation.year): a
        for year in (2015, 2016, 2017)
        for a in selectors.national_comparison(year=year)
    }
    for allocation in selectors.county_years():
        same = full[allocation.region_id, allocation.appropriation.year]
        for figure in ("frame_total", "used", "aligned", "cofinancing_total", "utilisation", "leverage", "alignment"):
            assert getattr(allocation, figure) == getattr(same, figure), figure
        assert not hasattr(allocation, "used_projects")
    assert len(full) == 6
    full_sql = str(selectors.allocations_with_figures().query)
    assert _subqueries(full_sql) == HEADLINE_SUBQUERIES + SUMS_PER_INSTRUMENT_AND_SOURCE + STRATEGY_IN_FORCE
