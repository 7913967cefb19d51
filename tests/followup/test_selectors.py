from decimal import Decimal

import pytest

from followup import selectors
from tests.factories.followup import (
    AllocationFactory,
    AppropriationFactory,
    CoFinancingFactory,
    ExpenditureFactory,
)
from tests.factories.regions import StrategyPriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_figures(year_2015):
    """Kalmar 2015: frame 10 mnkr, use 4 mnkr (3 mnkr tied to a priority), co-financing 6 mnkr."""
    kalmar = year_2015["kalmar"]
    priority = kalmar.region.strategies.get().priorities.get(number=1)
    ExpenditureFactory(allocation=kalmar, instrument="projects", amount=2_000_000, priority=priority)
    ExpenditureFactory(allocation=kalmar, instrument="eu_cofinancing", amount=1_000_000, priority=priority)
    ExpenditureFactory(allocation=kalmar, instrument="business_support", amount=1_000_000)
    CoFinancingFactory(allocation=kalmar, source="eu_structural_funds", amount=4_000_000)
    CoFinancingFactory(allocation=kalmar, source="municipalities", amount=2_000_000)
    return year_2015


def test_national_comparison_computes_the_derived_figures_on_known_numbers(known_figures):
    kalmar, kronoberg = selectors.national_comparison(year=2015, sort="-used")
    assert kalmar.region.code == "08"
    assert kalmar.used == Decimal(4_000_000)
    assert kalmar.used_projects == Decimal(2_000_000)
    assert kalmar.used_commercial_service == 0
    assert kalmar.cofinancing_total == Decimal(6_000_000)
    assert kalmar.cofinancing_eu_structural_funds == Decimal(4_000_000)
    assert kalmar.cofinancing_private == 0
    assert kalmar.utilisation == pytest.approx(40.0)
    assert kalmar.leverage == pytest.approx(2.5)
    assert kalmar.alignment == pytest.approx(75.0)
    # Nothing used: the ratios are undefined, not zero.
    assert (kronoberg.used, kronoberg.utilisation, kronoberg.leverage, kronoberg.alignment) == (0, 0.0, None, None)


def test_national_comparison_sorts_by_a_column_and_ignores_unknown_columns(known_figures):
    assert [a.region.code for a in selectors.national_comparison(year=2015, sort="leverage")] == ["08", "07"]
    assert [a.region.code for a in selectors.national_comparison(year=2015, sort="-region__code")] == ["08", "07"]
    assert [a.region.code for a in selectors.national_comparison(year=2015, sort="password")] == ["07", "08"]


def test_appropriations_with_totals_sum_all_counties_per_year(known_figures, region_b):
    kronoberg = known_figures["kronoberg"]
    ExpenditureFactory(allocation=kronoberg, amount=1_000_000)
    later = AllocationFactory(appropriation=AppropriationFactory(year=2016), region=region_b, frame_amount=1_000_000)
    ExpenditureFactory(allocation=later, amount=500_000)
    first, second = selectors.appropriations_with_totals()
    assert (first.year, first.frame_total, first.used, first.cofinancing_total) == (
        2015,
        Decimal(15_000_000),
        Decimal(5_000_000),
        Decimal(6_000_000),
    )
    assert first.leverage == pytest.approx(11 / 5)
    assert first.alignment == pytest.approx(60.0)
    assert (second.year, second.used, second.utilisation) == (2016, Decimal(500_000), pytest.approx(50.0))


def test_region_trend_is_empty_for_a_regional_user_of_another_county(known_figures, other_region_user, region_user):
    assert list(selectors.region_trend(user=other_region_user, slug="kalmar-lan")) == []
    assert [a.appropriation.year for a in selectors.region_trend(user=region_user, slug="kalmar-lan")] == [2015]


def test_priorities_for_gives_the_strategy_in_force_that_year(year_2015, region_a):
    assert [p.number for p in selectors.priorities_for(region_id=region_a.pk, year=2016)] == [1, 2]
    assert list(selectors.priorities_for(region_id=region_a.pk, year=2021)) == []
    StrategyPriorityFactory(strategy__region=region_a, strategy__start_year=2021, strategy__end_year=2030, number=1)
    assert [p.strategy.start_year for p in selectors.priorities_for(region_id=region_a.pk, year=2021)] == [2021]
