"""What a user may do comes from their role (rules.py), never from Django's permission tables."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission

from tests.factories.dialogues import BriefFactory

pytestmark = pytest.mark.django_db


def test_a_permission_row_in_the_database_grants_nothing(region_user):
    brief = BriefFactory()
    region_user.user_permissions.add(Permission.objects.get(codename="change_brief"))
    region_user = type(region_user).objects.get(pk=region_user.pk)  # no cached permissions

    assert not region_user.has_perm("dialogues.change_brief", brief)
    assert not region_user.has_perm("dialogues.change_brief")


def test_log_in_by_email_and_password_still_works(region_user, password, rf):
    request = rf.post("/konto/logga-in/")
    assert authenticate(request, username=region_user.email, password=password) == region_user
    assert authenticate(request, username=region_user.email, password="fel-lösenord-123") is None
