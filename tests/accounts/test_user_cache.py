"""The logged-in user is read once per change, not on every page (issue 20: the page floor), and a
change to the account or its county counts from the very next request."""

import pytest
from cachalot.settings import cachalot_settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import _user_tables
from accounts.models import User
from core.fragments import tables_stamp
from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _user_kept(settings):
    settings.USER_CACHE_SECONDS = 60


def _statement(client):
    return client.get(reverse("accessibility"))


def test_a_second_page_does_not_read_the_user_again(client, region_user):
    client.force_login(region_user)
    _statement(client)

    with CaptureQueriesContext(connection) as queries:
        response = _statement(client)

    assert response.status_code == 200
    assert "Karin Kalmar" in response.text
    assert queries.captured_queries == []


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, region_user):
    client.force_login(region_user)
    _statement(client)
    User.objects.filter(pk=region_user.pk).update(is_active=False)  # no signal, no save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_password_elsewhere_ends_the_session_on_the_next_request(client, region_user):
    client.force_login(region_user)
    _statement(client)
    region_user.set_password("ett-helt-annat-lösenord-2026")
    region_user.save()

    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_new_name_and_county_name_show_on_the_next_page(client, region_user, region_a):
    client.force_login(region_user)
    assert "Karin Kalmar" in _statement(client).text
    User.objects.filter(pk=region_user.pk).update(full_name="Karin Nyman")
    Region.objects.filter(pk=region_a.pk).update(name="Nya Kalmar län")

    page = _statement(client).text

    assert "Karin Nyman" in page and "Karin Kalmar" not in page
    assert "Nya Kalmar län" in page


def test_two_users_of_one_process_never_get_each_others_user_or_header(client, region_user, other_region_user):
    client.force_login(region_user)
    assert "Karin Kalmar" in _statement(client).text
    client.force_login(other_region_user)

    page = _statement(client).text

    assert "Kristian Kronoberg" in page
    assert "Karin Kalmar" not in page


@pytest.mark.parametrize("why", ["Redis away", "turned off"])
def test_without_a_record_of_changes_the_user_is_read_on_every_request(client, region_user, monkeypatch, settings, why):
    if why == "Redis away":
        monkeypatch.setattr("accounts.backends.tables_stamp", lambda tables: 0.0)
    else:
        settings.USER_CACHE_SECONDS = 0
    client.force_login(region_user)
    _statement(client)

    with CaptureQueriesContext(connection) as queries:
        _statement(client)

    assert len(queries.captured_queries) == 1
    assert "accounts_user" in queries.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_lost_record_of_changes_is_renewed_never_set_back():
    """An evicted stamp must not let an older one count as current: the tables are recorded as
    changed now, and "unknown" is answered until then."""
    tables = _user_tables()
    tables_stamp(tables)
    before = tables_stamp(tables)
    assert before > 0
    stamps = caches[cachalot_settings.CACHALOT_CACHE]
    stamps.delete_many([cachalot_settings.CACHALOT_TABLE_KEYGEN(connection.alias, Region._meta.db_table)])

    assert tables_stamp(tables) == 0.0
    assert tables_stamp(tables) > before
