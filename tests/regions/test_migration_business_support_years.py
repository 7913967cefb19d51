"""A responsibility period flagged "county board handles regional business support" before the flag
moved to a per county and year setting becomes one row for each year it covered."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from regions.models import BusinessSupportYear

BEFORE = [("regions", "0004_stage_history")]
AFTER = [("regions", "0005_business_support_years")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets[0]).apps


@pytest.mark.django_db(transaction=True)
def test_a_flagged_period_becomes_its_years_and_an_unflagged_one_none(region_a, region_b):
    try:
        old = _migrate(BEFORE)
        Period = old.get_model("regions", "ResponsibilityPeriod")
        Period.objects.filter(region_id=region_a.pk).delete()
        Period.objects.create(
            region_id=region_a.pk,
            body_type="region",
            body_name="Region Kalmar län",
            valid_from=2016,
            valid_to=2018,
            handles_business_support=True,
        )
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert list(BusinessSupportYear.objects.filter(region=region_a).values_list("year", flat=True)) == [
        2016,
        2017,
        2018,
    ]
    assert not BusinessSupportYear.objects.filter(region=region_b).exists()
