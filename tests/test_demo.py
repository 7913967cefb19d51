"""`load_demo` on a database where it has run once (the module's shared load, tests/conftest.py):
what it made, that a second run changes nothing and that the printed log-ins work. What it does on
an empty database in production is in test_demo_production.py."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from forum.models import Forum
from portal.demo import DEMO_PASSWORD, DEMO_USERS
from regions.models import Region, ResponsibilityPeriod, Topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_loaded")]


def _counts():
    return {model.__name__: model.objects.count() for model in (Region, ResponsibilityPeriod, User, Forum, Topic)}


def test_load_demo_creates_the_21_counties_with_their_history():
    assert Region.objects.count() == 21
    assert list(Region.objects.values_list("code", flat=True)[:3]) == ["01", "03", "04"]
    stockholm = Region.objects.get(code="01")
    periods = list(stockholm.responsibility_periods.values_list("body_type", "valid_to", "valid_from"))
    assert periods == [("county_board", 2018, None), ("region", None, 2019)]
    assert Forum.objects.get(kind="politician").chair.name == "Elisabeth Backteman"


def test_load_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    before = _counts()
    call_command("load_demo")
    assert _counts() == before


def test_load_demo_users_can_log_in_with_the_printed_password(client):
    """And, for the roles that require it, a code from the published demo key (what `demo_code` prints)."""
    for spec in DEMO_USERS:
        client.post(reverse("login"), {"username": spec["email"], "password": DEMO_PASSWORD})
        if spec["role"] != Role.REGION:
            out = io.StringIO()
            call_command("demo_code", stdout=out)
            code = out.getvalue().split()[0]
            assert len(code) == 6 and code.isdigit()
            client.post(reverse("second_factor_verify"), {"code": code})
        response = client.get(reverse("home"))
        assert response.status_code == 200, spec["email"]
        assert spec["full_name"].split()[0] in response.content.decode()
        client.post(reverse("logout"))
