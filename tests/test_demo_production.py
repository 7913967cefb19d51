"""`load_demo` on an empty database with debug off: the counties load, the demo users do not (a
module of its own: tests/test_demo.py shares one load of the demo data between its tests)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from regions.models import Region

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_demo_users_in_production(settings):
    settings.DEBUG = False
    assert not Region.objects.exists()
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()
    assert Region.objects.count() == 21
