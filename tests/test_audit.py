import pytest
from auditlog.models import LogEntry

from accounts.choices import Role
from accounts.models import User
from tests.helpers import USER_ADMIN_INLINES

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
            **USER_ADMIN_INLINES,
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


def _role_change(client, admin_user, agency_user, **headers):
    client.force_login(admin_user)
    data = {"email": agency_user.email, "full_name": agency_user.full_name, "role": Role.MINISTRY, "is_active": "on"}
    data |= USER_ADMIN_INLINES
    response = client.post(f"/admin/accounts/user/{agency_user.pk}/change/", data, **headers)
    assert response.status_code == 302
    return LogEntry.objects.get_for_object(User.objects.get(pk=agency_user.pk)).latest("timestamp")


def test_a_client_cannot_write_another_address_into_the_log(client, admin_user, agency_user):
    entry = _role_change(client, admin_user, agency_user, HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.1.2.3")
    assert entry.remote_addr == "10.1.2.3"


def test_behind_a_proxy_the_forwarded_address_is_logged(client, admin_user, agency_user, settings):
    settings.TRUSTED_PROXIES = 1
    entry = _role_change(client, admin_user, agency_user, HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.1.2.3")
    assert entry.remote_addr == "203.0.113.9"


def test_behind_a_proxy_a_forged_leftmost_address_is_not_logged(client, admin_user, agency_user, settings):
    settings.TRUSTED_PROXIES = 1
    entry = _role_change(
        client, admin_user, agency_user, HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9", REMOTE_ADDR="10.1.2.3"
    )
    assert entry.remote_addr == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9, <b>x</b>", "1.2.3.4:5678", "unknown"])
def test_behind_a_proxy_junk_in_the_header_saves_the_change_with_the_proxys_address(
    client, admin_user, agency_user, settings, forwarded
):
    settings.TRUSTED_PROXIES = 1
    entry = _role_change(client, admin_user, agency_user, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.1.2.3")
    assert entry.remote_addr == "10.1.2.3"
    assert User.objects.get(pk=agency_user.pk).role == Role.MINISTRY


def test_the_e_mail_outbox_is_not_copied_into_the_log(ministry_user):
    from core.mail import mail_users

    mail_users(users=[ministry_user], subject="Påminnelse", body="Hej Maria")
    assert not LogEntry.objects.filter(content_type__model="outgoingmail").exists()
