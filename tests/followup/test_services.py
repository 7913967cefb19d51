from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.concurrency import StaleEditError
from followup import services
from followup.models import Allocation, CoFinancing, Expenditure
from tests.factories.followup import ExpenditureFactory
from tests.followup.conftest import xlsx

pytestmark = pytest.mark.django_db

BAD_ROWS = [
    ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovationsprojekt"],
    ["99", "", "Projektverksamhet", "", 1000, "", ""],
    ["08", "Kalmar län", "Regionala företagsstöd", "", -200, "", ""],
    ["08", "Kalmar län", "Projektverksamhet", 7, "200 000", "", ""],
]
GOOD_ROWS = [
    ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovationsprojekt"],
    ["08", "Kalmar län", "Projektverksamhet", "", 1000, "", ""],
    ["08", "Kalmar län", "Regionala företagsstöd", "", 200, "", ""],
    ["08", "Kalmar län", "Projektverksamhet", 2, "200 000", "", ""],
]


def test_expenditure_import_with_three_bad_rows_saves_nothing_then_the_corrected_file_goes_in(year_2015, region_user):
    ExpenditureFactory(allocation=year_2015["kalmar"], amount=42)
    with pytest.raises(services.ImportRefused) as refused:
        services.expenditure_import(appropriation=year_2015["appropriation"], user=region_user, content=xlsx(BAD_ROWS))
    assert [error.line for error in refused.value.result.errors] == [3, 4, 5]
    assert list(Expenditure.objects.values_list("amount", flat=True)) == [Decimal(42)]

    services.expenditure_import(appropriation=year_2015["appropriation"], user=region_user, content=xlsx(GOOD_ROWS))
    lines = Expenditure.objects.filter(allocation=year_2015["kalmar"]).order_by("amount")
    assert [(line.amount, line.priority and line.priority.number) for line in lines] == [
        (Decimal(200), None),
        (Decimal(1000), None),
        (Decimal(200_000), 2),
        (Decimal(1_000_000), 1),
    ]
    year_2015["kalmar"].refresh_from_db()
    assert year_2015["kalmar"].version == 2


def test_expenditure_import_failing_on_its_last_row_saves_nothing(year_2015, ministry_user):
    rows = [["07", "", "Projektverksamhet", "", 1000, "", ""]] * 30 + [["07", "", "Projektverksamhet", "", "x", "", ""]]
    with pytest.raises(services.ImportRefused):
        services.expenditure_import(appropriation=year_2015["appropriation"], user=ministry_user, content=xlsx(rows))
    assert not Expenditure.objects.exists()


def test_expenditure_import_by_kronoberg_user_refuses_kalmar_rows(year_2015, other_region_user):
    rows = [["07", "", "Projektverksamhet", "", 1000, "", ""], ["08", "", "Projektverksamhet", "", 1000, "", ""]]
    with pytest.raises(services.ImportRefused) as refused:
        services.expenditure_import(
            appropriation=year_2015["appropriation"], user=other_region_user, content=xlsx(rows)
        )
    assert [error.line for error in refused.value.result.errors] == [3]
    assert not Expenditure.objects.exists()


def test_allocation_report_use_above_the_frame_is_refused_with_a_swedish_message(year_2015, region_user):
    kalmar = year_2015["kalmar"]
    lines = [Expenditure(instrument="projects", amount=6_000_000), Expenditure(instrument="other", amount=5_000_000)]
    with pytest.raises(ValidationError) as refused:
        services.allocation_report_use(allocation=kalmar, expected_version=1, saved=lines, deleted=[])
    assert "överstiger ramen" in refused.value.messages[0]
    assert "11\u00a0000\u00a0000\u00a0kr" in refused.value.messages[0]
    assert not Expenditure.objects.exists()
    assert Allocation.objects.get(pk=kalmar.pk).version == 1


def test_allocation_report_use_above_the_frame_as_approved_exception_is_saved(year_2015):
    kalmar = year_2015["kalmar"]
    lines = [
        Expenditure(instrument="projects", amount=9_000_000),
        Expenditure(instrument="other", amount=5_000_000, approved_exception=True),
    ]
    services.allocation_report_use(allocation=kalmar, expected_version=1, saved=lines, deleted=[])
    assert Expenditure.objects.filter(allocation=kalmar).count() == 2


def test_allocation_update_from_an_old_version_is_refused(year_2015):
    alice = Allocation.objects.get(pk=year_2015["kalmar"].pk)
    bob = Allocation.objects.get(pk=year_2015["kalmar"].pk)
    fields = {"conditions_decided_on": None, "conditions": "", "reporting_requirements": ""}
    services.allocation_update(allocation=alice, expected_version=1, frame_amount=Decimal(12_000_000), **fields)
    with pytest.raises(StaleEditError):
        services.allocation_update(allocation=bob, expected_version=1, frame_amount=Decimal(9_000_000), **fields)
    stored = Allocation.objects.get(pk=alice.pk)
    assert (stored.frame_amount, stored.version) == (Decimal(12_000_000), 2)


def test_allocation_update_frame_below_the_reported_use_is_refused(year_2015):
    kalmar = year_2015["kalmar"]
    ExpenditureFactory(allocation=kalmar, amount=8_000_000)
    fields = {"conditions_decided_on": None, "conditions": "", "reporting_requirements": ""}
    with pytest.raises(ValidationError):
        services.allocation_update(allocation=kalmar, expected_version=1, frame_amount=Decimal(7_000_000), **fields)
    assert Allocation.objects.get(pk=kalmar.pk).frame_amount == Decimal(10_000_000)


def test_allocation_report_cofinancing_sets_and_removes_sources(year_2015):
    kalmar = year_2015["kalmar"]
    services.allocation_report_cofinancing(
        allocation=kalmar, expected_version=1, amounts={"region": Decimal(300), "private": Decimal(100)}
    )
    services.allocation_report_cofinancing(
        allocation=kalmar, expected_version=2, amounts={"region": Decimal(400), "private": None}
    )
    assert dict(CoFinancing.objects.values_list("source", "amount")) == {"region": Decimal(400)}
    with pytest.raises(StaleEditError):
        services.allocation_report_cofinancing(allocation=kalmar, expected_version=2, amounts={"region": Decimal(1)})


def test_appropriation_create_gives_every_county_an_allocation(region_a, region_b):
    appropriation = services.appropriation_create(year=2021, total_amount=Decimal(1_800_000_000))
    assert set(appropriation.allocations.values_list("region__code", "frame_amount")) == {("07", 0), ("08", 0)}
