"""Rows written in bulk are logged in bulk (one insert), each entry as a single save or delete logs it."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from core.audit import audit_delete, audit_record_created
from followup.models import Allocation, Expenditure
from tests.factories.followup import AllocationFactory, ExpenditureFactory

pytestmark = pytest.mark.django_db

FIELDS = ("content_type_id", "object_repr", "action", "actor_id", "actor_email", "remote_addr", "additional_data")


def _entry(instance, action) -> LogEntry:
    return LogEntry.objects.get_for_object(instance).get(action=action)


def test_bulk_created_rows_are_logged_like_a_save_with_the_actor(ministry_user):
    allocation = AllocationFactory()
    with set_actor(ministry_user, remote_addr="192.0.2.7"):
        saved = ExpenditureFactory(allocation=allocation, amount=1_000, description="Sparad")
        (bulk,) = Expenditure.objects.bulk_create(
            [Expenditure(allocation=allocation, instrument="projects", amount=1_000, description="Bulk")]
        )
        audit_record_created([bulk])
    one, other = _entry(saved, LogEntry.Action.CREATE), _entry(bulk, LogEntry.Action.CREATE)
    assert [getattr(other, field) for field in FIELDS] == [getattr(one, field) for field in FIELDS]
    assert other.actor == ministry_user and other.remote_addr == "192.0.2.7"
    assert other.object_id == bulk.pk
    assert other.changes_dict["description"] == ["None", "Bulk"]
    assert set(other.changes_dict) == set(one.changes_dict)


@pytest.mark.parametrize("n", (1, 3))
def test_audit_delete_logs_each_row_like_a_delete_in_the_same_queries_whatever_their_number(
    ministry_user, n, django_assert_num_queries
):
    allocation = AllocationFactory()
    lines = ExpenditureFactory.create_batch(n, allocation=allocation, description="Borta")
    single = ExpenditureFactory(allocation=allocation, description="Borta")
    single_pk = single.pk  # delete() forgets it
    with set_actor(ministry_user):
        single.delete()
        # Read the rows, delete them (Django reads them again for the delete signals), log them.
        with django_assert_num_queries(4):
            deleted = audit_delete(Expenditure.objects.filter(allocation=allocation))
    assert deleted == n and not Expenditure.objects.exists()
    reference = LogEntry.objects.get(object_id=single_pk, action=LogEntry.Action.DELETE)
    for line in lines:
        entry = LogEntry.objects.get(object_id=line.pk, action=LogEntry.Action.DELETE)
        assert [getattr(entry, field) for field in FIELDS] == [getattr(reference, field) for field in FIELDS]
        assert entry.changes_dict["description"] == ["Borta", "None"]


def test_audit_delete_refuses_a_model_whose_deletion_cascades():
    AllocationFactory()
    with pytest.raises(ValueError, match="cascade"):
        audit_delete(Allocation.objects.all())
    assert Allocation.objects.exists()
