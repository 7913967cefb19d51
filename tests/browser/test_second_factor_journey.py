"""Two-factor authentication in Chromium: an agency reviewer sets up an authenticator app from the
QR page's key and logs in with its codes; the code field is one a phone or password manager fills
and a paste reaches (WCAG 2.2 3.3.8); the pages meet WCAG 2.2 AA, with their errors too."""

import re
import time

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.models import UserSession
from tests.factories.accounts import PASSWORD, UserFactory
from tests.helpers import recovery_code_for

from .conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTOCOMPLETE = "(selector) => document.querySelector(selector).getAttribute('autocomplete')"


def _password_step(page, email):
    page.goto(reverse("login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()


def _next_code(totp: pyotp.TOTP, used: str | None) -> str:
    """The app's current code; if it is the one just used, the next one (codes work once)."""
    while (code := totp.now()) == used:
        time.sleep(1)
    return code


def test_agency_user_enrols_an_app_and_logs_in_with_its_codes(page, live_server):
    user = UserFactory(role=Role.AGENCY, full_name="Tomas Tillväxtverket")
    _password_step(page, user.email)

    # Straight to the set-up: nothing else opens until it is done.
    expect(page).to_have_url(re.compile(r"/konto/tvastegs/aktivera/"))
    page.goto(reverse("home"))
    expect(page).to_have_url(re.compile(r"/konto/tvastegs/aktivera/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    assert_accessible(page, "the set-up page")
    screenshot(page, "totp-enrol")
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)

    page.fill("#id_code", "12")
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page.locator("#id_code.is-invalid")).to_have_count(1)
    assert_accessible(page, "the set-up page with its error")

    first = _next_code(totp, None)
    page.fill("#id_code", first)
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/tvastegs/reservkoder/"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page, "the recovery codes")
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert len(download.value.path().read_text().split()) > 10
    page.goto(reverse("home"))
    expect(page.get_by_text("Välkommen, Tomas")).to_be_visible()

    # Log out, and in again with the app's next code.
    page.context.clear_cookies()
    _password_step(page, user.email)
    expect(page).to_have_url(re.compile(r"/konto/logga-in/kod/"))
    expect(page.locator("#id_code")).to_be_focused()
    assert_accessible(page, "the code step")
    screenshot(page, "totp-code-step")
    page.fill("#id_code", "000000" if totp.now() != "000000" else "111111")
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page.locator("#id_code.is-invalid")).to_have_count(1)
    assert_accessible(page, "the code step with its error")

    time.sleep(1.1)  # django-otp throttles the device for a second after a wrong code
    page.fill("#id_code", _next_code(totp, first))
    with page.expect_navigation():
        page.locator("#id_code").press("Enter")
    expect(page.get_by_text("Välkommen, Tomas")).to_be_visible()

    # The sessions page lists this browser, marked as this session.
    page.goto(reverse("sessions"))
    expect(page.locator("tr.table-active")).to_contain_text("Chrome")
    assert_accessible(page, "the sessions page")
    assert UserSession.objects.filter(user=user).count() >= 1


def test_code_field_is_filled_by_the_phone_or_pasted(browser, live_server):
    """3.3.8 Accessible authentication: autocomplete="one-time-code" lets the phone or a password
    manager offer the code, the keyboard is numeric, and pasting is never blocked."""
    user = UserFactory(role=Role.MINISTRY)
    recovery_code_for(user)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        _password_step(page, user.email)
        expect(page).to_have_url(re.compile(r"/konto/logga-in/kod/"))
        assert page.evaluate(AUTOCOMPLETE, "#id_code") == "one-time-code"
        assert page.evaluate("() => document.querySelector('#id_code').inputMode") == "numeric"
        page.evaluate("(text) => navigator.clipboard.writeText(text)", "123 456")
        page.focus("#id_code")
        page.keyboard.press("Control+V")
        assert page.input_value("#id_code") == "123 456", "pasting into the code field was blocked"
        page.locator("details summary").click()
        page.evaluate("(text) => navigator.clipboard.writeText(text)", "abcd2345")
        page.focus("#id_recovery_code")
        page.keyboard.press("Control+V")
        assert page.input_value("#id_recovery_code") == "abcd2345"
    finally:
        context.close()
