"""Single sign-on in Chromium: a county's user presses "Logga in med …", logs in at a real OpenID
Connect provider on loopback (tests/oidc_provider), lands on her start page, and logs out of the
portal and the provider; a person without an account is refused on the log-in page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OidcIdentity
from tests import oidc_fixtures
from tests.oidc_fixtures import NAME

from .conftest import assert_accessible, screenshot

# The test provider's fixtures, bound here so that pytest finds them.
oidc_server = oidc_fixtures.oidc_server
sso = oidc_fixtures.sso

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def provider_log_in(page, login: str) -> None:
    page.get_by_role("link", name=f"Log in with {NAME}").or_(
        page.get_by_role("link", name=f"Logga in med {NAME}")
    ).click()
    expect(page.get_by_role("heading", name="Test provider log-in")).to_be_visible()
    page.get_by_label("User").fill(login)
    page.get_by_label("Password").fill("whatever")
    page.get_by_role("button", name="Sign in").click()


def test_sso_journey_ministry_user_logs_in_without_the_portals_second_factor_and_out(
    page, sso, ministry_user, live_server
):
    """A ministry user, whose password log-in requires an authenticator app, logs in through the
    provider and goes straight to the start page: the provider's own log-in stands for the code."""
    sso.add_account("sub-maria", email=ministry_user.email, name="Maria Departementet")
    page.goto("/konto/logga-in/")
    assert_accessible(page, "log-in page with single sign-on")
    screenshot(page, "sso-login-page")

    provider_log_in(page, "sub-maria")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name=re.compile("Maria Departementet"))).to_be_visible()
    assert OidcIdentity.objects.filter(user=ministry_user, subject="sub-maria").exists()
    page.goto("/dialoger/")  # another page: no step asks for a code
    expect(page).to_have_url(re.compile(r"/dialoger/$"))

    page.get_by_role("button", name=re.compile("Maria Departementet")).click()
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Log out of the test provider?")).to_be_visible()
    page.get_by_role("button", name="Yes, log me out").click()

    expect(page).to_have_url(re.compile(r"/konto/logga-in/"))
    expect(page.locator("input[name=username]")).to_be_visible()
    # The portal's session is over: the start page asks to log in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/logga-in/\?next=/"))


def test_sso_journey_unknown_person_is_refused_on_the_log_in_page(page, sso):
    sso.add_account("sub-stranger", email="stranger@elsewhere.test")
    page.goto("/konto/logga-in/")

    provider_log_in(page, "sub-stranger")

    expect(page).to_have_url(re.compile(r"/konto/logga-in/$"))
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        re.compile("no account in the portal|inget konto i portalen", re.IGNORECASE)
    )
    assert_accessible(page, "log-in page with a single sign-on refusal")
