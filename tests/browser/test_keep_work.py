"""What people type survives an ended session, and a session about to end can be kept going."""

import time
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from core.sessions import EXPIRES_KEY
from dialogues.models import Observation
from tests.factories.dialogues import DialogueFactory
from tests.helpers import recovery_code_for

from .conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TEXT = (
    "Regionen beskriver ett tydligt ledarskap i genomförandet av strategin, men uppföljningen av "
    "insatserna mot de prioriterade målen behöver utvecklas. " * 4
).strip()


def _session_of(page):
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def test_an_observation_typed_while_the_session_ended_is_offered_back_after_logging_in_again(
    page, ministry_user, password, region_a
):
    dialogue = DialogueFactory(region=region_a)
    form_path = reverse("dialogues:observation_create", args=[dialogue.pk])
    log_in(page, ministry_user.email, password)
    page.goto(form_path)
    page.get_by_label("Kategori").select_option(index=1)
    page.get_by_label("Rubrik").fill("Ledarskap och uppföljning")
    page.get_by_label("Text").fill(LONG_TEXT)

    _session_of(page).delete()  # the session ends on the server while the user types
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(f"{reverse('login')}?next={form_path}")
    code = recovery_code_for(ministry_user)
    page.get_by_label("E-postadress").fill(ministry_user.email)
    page.get_by_label("Lösenord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in").click()
    # The second factor, then on to the form (a recovery code: the app's code was used at the first log-in).
    page.locator("details summary").click()
    page.locator("input[name=recovery_code]").fill(code)
    with page.expect_navigation():
        page.locator("input[name=recovery_code]").press("Enter")

    expect(page).to_have_url(form_path)
    expect(page.get_by_text("Du skrev text här som inte sparades")).to_be_visible()
    assert_accessible(page, "the form with the offer to restore the text")
    page.get_by_role("button", name="Återställ texten").click()
    expect(page.get_by_label("Text")).to_have_value(LONG_TEXT)
    page.get_by_role("button", name="Spara").click()

    expect(page.locator(".alert-success")).to_be_visible()
    assert Observation.objects.get(dialogue=dialogue).text == LONG_TEXT
    page.goto(form_path)  # saved: the text is not offered again
    expect(page.get_by_label("Text")).to_have_value("")
    expect(page.get_by_text("Du skrev text här som inte sparades")).to_have_count(0)


def test_five_minutes_before_the_session_ends_the_user_is_warned_and_can_stay_logged_in(
    page, ministry_user, password, region_a
):
    log_in(page, ministry_user.email, password)
    session = _session_of(page)
    session[EXPIRES_KEY] = int(time.time()) + 120
    session.save()
    page.goto(reverse("regions:region_list"))

    dialog = page.get_by_role("dialog", name="Din session håller på att ta slut")
    expect(dialog).to_be_visible()
    assert_accessible(page, "the session warning")
    dialog.get_by_role("button", name="Stanna inloggad").click()
    expect(dialog).to_be_hidden()

    renewed = _session_of(page)[EXPIRES_KEY]
    assert renewed > time.time() + settings.SESSION_COOKIE_AGE - 60
