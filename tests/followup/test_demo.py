from decimal import Decimal

import pytest
from django.urls import reverse

from followup import demo
from followup.models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator
from followup.selectors import national_comparison
from regions import demo as regions_demo
from regions.models import StrategyPriority

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in (
            (Appropriation, ("year", "total_amount", "is_demo")),
            (Allocation, ("appropriation__year", "region__code", "frame_amount")),
            (Expenditure, ("allocation_id", "instrument", "description", "amount", "priority_id")),
            (CoFinancing, ("allocation_id", "source", "amount")),
            (ResultIndicator, ("allocation_id", "name", "outcome")),
        )
    }


def test_demo_load_gives_every_county_figures_for_2015_to_2020_and_twice_changes_nothing():
    regions_demo.load()
    StrategyPriority.objects.all().delete()  # without any RUS the figures load all the same
    demo.load()
    first = _snapshot()
    demo.load()
    assert _snapshot() == first
    assert [year for year, *_rest in first["Appropriation"]] == list(range(2015, 2021))
    assert Allocation.objects.count() == 21 * 6
    assert not Allocation.objects.filter(is_demo=False).exists()
    # The sourced totals are not demo data: ESV's 1:1 budget for 2018 and 2019.
    sourced = Appropriation.objects.filter(is_demo=False)
    assert list(sourced.values_list("year", "total_amount")) == [
        (2018, Decimal(2_100_000_000)),
        (2019, Decimal(1_675_000_000)),
    ]
    assert "esv.se" in sourced.first().source
    for row in national_comparison(year=2015):
        assert row.used <= row.frame_amount, row.region.name
        assert row.leverage > 1


def test_demo_figures_are_marked_as_demo_data_on_the_pages(client, ministry_user):
    regions_demo.load()
    demo.load()
    client.force_login(ministry_user)
    html = client.get(reverse("followup:national"), {"year": 2015}).content.decode()
    assert "Demodata" in html
    assert "Norrbottens län" in html
    html = client.get(reverse("followup:trend")).content.decode()
    assert "data.riksdagen.se" in html or "esv.se" in html
