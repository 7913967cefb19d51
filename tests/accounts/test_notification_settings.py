"""My account / Notifications: each person chooses immediate e-mails or one daily digest."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.models import User
from core.models import MailDelivery

pytestmark = pytest.mark.django_db

URL = reverse("notification_settings")


def _checked(html: str) -> list[str]:
    """The values of the radio buttons that are chosen on the page."""
    tags = re.findall(r'<input type="radio"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag)[1] for tag in tags if re.search(r"\schecked[\s>]", tag)]


def _swedish(message: str) -> str:
    with translation.override("sv"):
        return escape(gettext(message))


def test_settings_page_is_in_the_user_menu_and_shows_the_current_choice(client, region_user):
    client.force_login(region_user)
    start = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in start

    html = client.get(URL).content.decode()
    assert 'value="immediate"' in html and 'value="digest"' in html
    assert _checked(html) == ["immediate"]  # the default
    assert "<h1>" in html


def test_choosing_the_daily_digest_saves_it_and_says_so(client, region_user):
    client.force_login(region_user)
    response = client.post(URL, {"mail_delivery": MailDelivery.DIGEST}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert _swedish("Your choice of e-mail notifications has been saved.") in response.content.decode()
    assert User.objects.get(pk=region_user.pk).mail_delivery == MailDelivery.DIGEST
    assert _checked(response.content.decode()) == ["digest"]


def test_choosing_immediate_again_is_saved(client, ministry_user):
    ministry_user.mail_delivery = MailDelivery.DIGEST
    ministry_user.save(update_fields=["mail_delivery"])
    client.force_login(ministry_user)
    client.post(URL, {"mail_delivery": MailDelivery.IMMEDIATE})
    assert User.objects.get(pk=ministry_user.pk).mail_delivery == MailDelivery.IMMEDIATE


@pytest.mark.parametrize("value", ["weekly", "", "digest' OR 1=1"])
def test_a_bad_value_is_refused_with_a_message_and_changes_nothing(client, agency_user, value):
    client.force_login(agency_user)
    response = client.post(URL, {"mail_delivery": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert _swedish("Your choice could not be saved, and nothing was changed.") in html
    expected = "Choose immediate e-mails or one daily digest." if value else "This field is required."
    assert _swedish(expected) in html
    assert User.objects.get(pk=agency_user.pk).mail_delivery == MailDelivery.IMMEDIATE


def test_the_page_changes_only_the_own_account(client, ministry_user, agency_user):
    client.force_login(ministry_user)
    client.post(URL, {"mail_delivery": MailDelivery.DIGEST})
    assert User.objects.get(pk=agency_user.pk).mail_delivery == MailDelivery.IMMEDIATE


def test_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
