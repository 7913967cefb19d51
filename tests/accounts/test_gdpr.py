import json

import pytest
from auditlog.models import LogEntry

from accounts.models import User
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db


def _action(client, action, user, **extra):
    return client.post(
        "/admin/accounts/user/", {"action": action, "_selected_action": [user.pk], **extra}, follow=False
    )


def test_gdpr_export_gives_the_person_their_data_as_json(client, admin_user, region_user):
    ContactFactory(user=region_user, name="Karin Kalmar", phone="0480-123 45")
    client.force_login(admin_user)
    response = _action(client, "export_personal_data", region_user)
    assert response["Content-Disposition"].startswith("attachment;")
    (data,) = json.loads(response.content)
    assert data["user"]["email"] == region_user.email
    assert data["user"]["county"] == "Kalmar län"
    assert data["contact"]["phone"] == "0480-123 45"


def test_gdpr_anonymise_asks_first_and_changes_nothing_until_confirmed(client, admin_user, agency_user):
    client.force_login(admin_user)
    response = _action(client, "anonymise", agency_user)
    assert "Anonymisera användare?" in response.content.decode()
    assert User.objects.get(pk=agency_user.pk).email == agency_user.email


def test_gdpr_anonymise_erases_identity_but_keeps_the_account_and_its_trail(client, admin_user, agency_user):
    old_email = agency_user.email
    client.force_login(admin_user)
    _action(client, "anonymise", agency_user, confirmed="yes")
    user = User.objects.get(pk=agency_user.pk)
    assert user.full_name == "Anonymiserad användare"
    assert user.email.startswith("anonymiserad-")
    assert not user.is_active
    assert not user.has_usable_password()
    trail = LogEntry.objects.get_for_object(user)
    assert trail.exists()
    assert all(old_email not in json.dumps(entry.changes) for entry in trail)
