import pytest
from auditlog.models import LogEntry

from accounts.choices import Role
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_audit_log_records_who_changed_a_users_role(client, admin_user, agency_user, region_a):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{agency_user.pk}/change/",
        {
            "email": agency_user.email,
            "full_name": agency_user.full_name,
            "title": "",
            "organisation": "",
            "role": Role.MINISTRY,
            "region": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(User.objects.get(pk=agency_user.pk)).latest("timestamp")
    assert entry.actor == admin_user
    assert entry.changes_dict["role"] == [Role.AGENCY, Role.MINISTRY]
    assert "password" not in entry.changes_dict


def test_audit_log_keeps_deleted_records(region_a):
    pk = region_a.pk
    region_a.responsibility_periods.all().delete()
    region_a.delete()
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).exists()
