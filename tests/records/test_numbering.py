"""Registration numbers: a yearly series the portal gives out in order, with no gaps and no number
twice, in the transaction of the event that makes the document official (given back if the event
rolls back), or entered by hand from the ministry's own registry."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from records.choices import Direction, DocumentType
from records.models import Record, RecordSeries
from records.services import record_number_set, record_register
from tests.factories.regions import OrganisationFactory
from tests.racing import race

YEAR = timezone.localdate().year


def _register(document, region, **fields):
    return record_register(
        document=document,
        document_type=DocumentType.OTHER,
        direction=Direction.RECEIVED,
        cases=(region,),
        region=region,
        year=YEAR,
        **fields,
    )


def _documents(count):
    # Any model instance can be a document; organisations are the cheapest to make.
    return [OrganisationFactory(name=f"Handling {n}") for n in range(count)]


@pytest.mark.django_db
def test_record_register_numbers_the_year_in_order_from_one(region_a):
    numbers = [_register(document, region_a).number for document in _documents(3)]

    assert numbers == [f"N{YEAR}/00001", f"N{YEAR}/00002", f"N{YEAR}/00003"]
    assert RecordSeries.objects.get(prefix="N", year=YEAR).last_number == 3


@pytest.mark.django_db
def test_record_register_twice_returns_the_first_record_and_takes_no_number(region_a):
    document, other = _documents(2)
    first = _register(document, region_a)

    again = _register(document, region_a)

    assert again.pk == first.pk and Record.objects.count() == 1
    assert _register(other, region_a).number == f"N{YEAR}/00002"


@pytest.mark.django_db
def test_record_register_rolled_back_with_its_event_gives_the_number_back(region_a):
    lost, kept = _documents(2)

    with pytest.raises(RuntimeError), transaction.atomic():
        assert _register(lost, region_a).number == f"N{YEAR}/00001"
        raise RuntimeError("the event failed after registering")

    assert not Record.objects.exists()
    assert _register(kept, region_a).number == f"N{YEAR}/00001"


@pytest.mark.django_db
def test_record_register_starts_a_new_year_at_one(region_a):
    RecordSeries.objects.create(prefix="N", year=YEAR - 1, last_number=57)

    record = _register(_documents(1)[0], region_a)

    assert record.number == f"N{YEAR}/00001" and record.sequence == 1
    assert RecordSeries.objects.get(year=YEAR - 1).last_number == 57


@pytest.mark.django_db
def test_record_register_uses_the_configured_prefix(region_a, settings):
    settings.RECORDS_SERIES_PREFIX = "Fi"

    assert _register(_documents(1)[0], region_a).number == f"Fi{YEAR}/00001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("series_exists", [True, False], ids=["series-open", "first-of-the-year"])
def test_record_register_at_the_same_moment_gives_each_its_own_next_number(region_a, series_exists):
    if series_exists:
        RecordSeries.objects.create(prefix="N", year=YEAR, last_number=4)
    first, second, third = _documents(3)
    start = 4 if series_exists else 0

    def register(document):
        return lambda: _register(document, region_a).number

    # Every registration is held up by a lock on the counter table until all three wait for it.
    numbers = race(
        register(first),
        register(second),
        register(third),
        lock_sql="LOCK TABLE records_recordseries IN EXCLUSIVE MODE",
    )

    assert sorted(numbers) == [f"N{YEAR}/{n:05d}" for n in range(start + 1, start + 4)]
    assert sorted(Record.objects.values_list("sequence", flat=True)) == [start + 1, start + 2, start + 3]
    assert RecordSeries.objects.get(year=YEAR).last_number == start + 3


@pytest.mark.django_db(transaction=True)
def test_record_register_of_the_same_document_at_once_makes_one_record(region_a):
    (document,) = _documents(1)
    RecordSeries.objects.create(prefix="N", year=YEAR)

    records = race(
        lambda: _register(document, region_a).pk,
        lambda: _register(document, region_a).pk,
        lock_sql="LOCK TABLE records_recordseries IN EXCLUSIVE MODE",
    )

    assert records[0] == records[1]
    assert list(Record.objects.values_list("number", flat=True)) == [f"N{YEAR}/00001"]
    assert RecordSeries.objects.get(year=YEAR).last_number == 1


# --- Numbers from the ministry's registry -----------------------------------------------------


@pytest.fixture
def registry_numbers(settings):
    settings.RECORDS_NUMBERS_FROM = "registry"


@pytest.mark.django_db
def test_record_with_registry_numbers_waits_for_the_registrar_and_takes_no_portal_number(region_a, registry_numbers):
    record = _register(_documents(1)[0], region_a)

    assert record.number == "" and record.number_external and record.sequence is None
    saved = record_number_set(record=record, number=" N2026/04711 ", expected_version=record.version)
    record.refresh_from_db()
    assert saved.number == record.number == "N2026/04711"
    assert not RecordSeries.objects.filter(last_number__gt=0).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["", "   ", "hemligt", "N26/1", "N2026/", "<b>N2026/1</b>"])
def test_record_number_set_refuses_what_is_not_a_registration_number(region_a, registry_numbers, number):
    record = _register(_documents(1)[0], region_a)

    with pytest.raises(ValidationError) as error:
        record_number_set(record=record, number=number, expected_version=record.version)

    assert "number" in error.value.message_dict
    record.refresh_from_db()
    assert record.number == ""


@pytest.mark.django_db
def test_record_number_set_refuses_a_number_another_record_has(region_a, registry_numbers):
    first, second = (_register(document, region_a) for document in _documents(2))
    record_number_set(record=first, number="N2026/00010", expected_version=first.version)

    with pytest.raises(ValidationError) as error:
        record_number_set(record=second, number="N2026/00010", expected_version=second.version)

    assert error.value.message_dict["number"] == ["Another record has this registration number."]

    second.refresh_from_db()
    assert second.number == ""


@pytest.mark.django_db
def test_record_number_set_refuses_to_change_a_number_the_portal_gave(region_a):
    record = _register(_documents(1)[0], region_a)

    with pytest.raises(ValidationError):
        record_number_set(record=record, number="N2026/09999", expected_version=record.version)

    record.refresh_from_db()
    assert record.number == f"N{YEAR}/00001"
