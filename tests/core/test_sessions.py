"""The session's end is stamped at log-in, and a user can start a new session period."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from core.sessions import EXPIRES_KEY
from tests.helpers import log_in_with_code

pytestmark = pytest.mark.django_db


def test_logging_in_stamps_the_end_of_the_session_on_the_page(client, ministry_user, password):
    log_in_with_code(client, ministry_user, password)
    expires_at = client.session[EXPIRES_KEY]
    assert abs(expires_at - (time.time() + settings.SESSION_COOKIE_AGE)) < 30
    assert f'data-session-expires="{expires_at}"' in client.get(reverse("home")).content.decode()


def test_staying_logged_in_starts_a_new_period_and_answers_the_script_in_json(client, ministry_user):
    client.force_login(ministry_user)
    session = client.session
    session[EXPIRES_KEY] = int(time.time()) + 60
    session.save()
    response = client.post(reverse("session_extend"), HTTP_ACCEPT="application/json")
    assert response.json()["expires_at"] > time.time() + settings.SESSION_COOKIE_AGE - 30
    assert client.session[EXPIRES_KEY] == response.json()["expires_at"]


def test_without_the_script_the_button_goes_back_to_the_page_and_never_off_site(client, ministry_user):
    client.force_login(ministry_user)
    back = client.post(reverse("session_extend"), {"next": "/lan/"})
    assert back.url == "/lan/"
    off_site = client.post(reverse("session_extend"), {"next": "https://evil.example/"})
    assert off_site.url == "/"
    page = client.get("/")
    assert "Du är inloggad till klockan" in page.content.decode()


def test_an_ended_session_cannot_be_extended_the_user_logs_in_again(client):
    response = client.post(reverse("session_extend"), HTTP_ACCEPT="application/json")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
