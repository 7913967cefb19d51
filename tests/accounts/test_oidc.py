"""Single sign-on with OpenID Connect, end to end against a real provider on loopback
(tests/oidc_provider, oidc-provider in Node.js): the portal's views in Django's test client, the
provider's log-in driven over HTTP, the token exchanged and verified for real."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from auditlog.models import LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.choices import Role
from accounts.models import OidcIdentity, User
from accounts.oidc import AUDIT_OUTCOMES, OIDC_BACKEND, REFUSALS
from tests import oidc_fixtures
from tests.factories.accounts import PASSWORD, UserFactory
from tests.oidc_fixtures import CALLBACK_PATH, NAME

# The test provider's fixtures, bound here so that pytest finds them.
oidc_server = oidc_fixtures.oidc_server
sso = oidc_fixtures.sso

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal():
    """A browser at the portal's loopback address (the provider knows it as a redirect URI)."""
    return Client(HTTP_HOST="127.0.0.1")


def provider_log_in(authorize_url: str, login: str) -> str:
    """Log in at the provider as `login` (its log-in page takes any password); the address it
    sends the browser back to (the portal's callback with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if url.startswith(f"http://127.0.0.1{CALLBACK_PATH}"):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            response = browser.post(url, data={"login": login, "password": "x"}, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:500]
        url = requests.compat.urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back: {url}")


def sso_log_in(portal, login: str):
    """Press "Log in with …", log in at the provider, come back: the portal's last answer, followed."""
    start = portal.get(reverse("oidc_login", args=["test"]))
    assert start.status_code == 302, start
    callback = provider_log_in(start["Location"], login)
    parsed = urlparse(callback)
    return portal.get(f"{parsed.path}?{parsed.query}", follow=True)


def logged_in_user(portal):
    return User.objects.filter(pk=portal.session.get(SESSION_KEY)).first()


def refusal_text(reason: str) -> str:
    with translation.override("sv"):
        return escape(str(REFUSALS[reason]))


def test_sso_known_user_logs_in_and_is_remembered_by_subject(sso, portal):
    user = UserFactory(email="karin@kalmar.test", full_name="Karin Berg", role=Role.MINISTRY)
    sso.add_account("sub-karin", email="Karin@Kalmar.test", name="Karin Berg")

    response = sso_log_in(portal, "sub-karin")

    assert logged_in_user(portal) == user
    assert portal.session[BACKEND_SESSION_KEY] == OIDC_BACKEND
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Karin" in response.content.decode()
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, "sub-karin")
    entry = LogEntry.objects.filter(object_pk=str(user.pk), action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.additional_data["event"] == "sso_login"

    # The address changes at the provider: the stored subject still finds her.
    sso.add_account("sub-karin", email="karin.berg@ny-adress.test", email_verified=False)
    again = Client(HTTP_HOST="127.0.0.1")
    sso_log_in(again, "sub-karin")
    assert logged_in_user(again) == user


def test_sso_log_in_shows_in_the_accounts_admin_page(sso, portal, admin_client):
    user = UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email=user.email)
    sso_log_in(portal, "sub-karin")

    html = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    with translation.override("sv"):
        assert escape(f"{NAME}: {AUDIT_OUTCOMES[None]}") in html
    assert "sub-karin" in html  # the stored identity, which an administrator may remove


def test_sso_email_only_at_the_userinfo_endpoint_still_matches(sso, portal):
    user = UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email=user.email)
    sso.set_mode("claims_in_userinfo")

    sso_log_in(portal, "sub-karin")

    assert logged_in_user(portal) == user


def test_sso_log_in_goes_on_to_the_page_asked_for(sso, portal, region_user):
    sso.add_account("sub-region", email=region_user.email)
    login_page = portal.get(reverse("home"), follow=True)
    assert f'href="{reverse("oidc_login", args=["test"])}?next=/"' in login_page.content.decode()

    start = portal.get(reverse("oidc_login", args=["test"]), {"next": reverse("regions:region_list")})
    callback = urlparse(provider_log_in(start["Location"], "sub-region"))
    response = portal.get(f"{callback.path}?{callback.query}")

    assert response["Location"] == reverse("regions:region_list")


def test_sso_log_in_never_goes_on_to_another_site(sso, portal, region_user):
    sso.add_account("sub-region", email=region_user.email)

    start = portal.get(reverse("oidc_login", args=["test"]), {"next": "https://evil.example/"})
    callback = urlparse(provider_log_in(start["Location"], "sub-region"))
    response = portal.get(f"{callback.path}?{callback.query}")

    assert response["Location"] == reverse("home")


def test_sso_role_and_county_are_the_portals_never_a_claims(sso, portal, region_user):
    sso.add_account("sub-region", email=region_user.email)
    region = region_user.region

    sso_log_in(portal, "sub-region")

    region_user.refresh_from_db()
    assert logged_in_user(portal) == region_user
    assert (region_user.role, region_user.region) == (Role.REGION, region)


def test_sso_unknown_person_is_refused_with_a_message(sso, portal):
    sso.add_account("sub-stranger", email="stranger@elsewhere.test")

    response = sso_log_in(portal, "sub-stranger")

    assert logged_in_user(portal) is None
    assert response.redirect_chain[-1][0] == reverse("login")
    assert refusal_text("unknown") in response.content.decode()
    assert not User.objects.filter(email="stranger@elsewhere.test").exists()
    assert not OidcIdentity.objects.exists()


def test_sso_unverified_email_does_not_match_an_account(sso, portal):
    UserFactory(email="anna@agency.test", role=Role.AGENCY)
    sso.add_account("sub-anna", email="anna@agency.test", email_verified=False)

    response = sso_log_in(portal, "sub-anna")

    assert logged_in_user(portal) is None
    assert refusal_text("unknown") in response.content.decode()


def test_sso_inactive_user_is_refused_and_audited(sso, portal):
    user = UserFactory(email="gone@ministry.test", is_active=False)
    sso.add_account("sub-gone", email="gone@ministry.test")

    response = sso_log_in(portal, "sub-gone")

    assert logged_in_user(portal) is None
    assert refusal_text("inactive") in response.content.decode()
    entry = LogEntry.objects.get(object_pk=str(user.pk), action=LogEntry.Action.ACCESS)
    assert entry.additional_data["refusal"] == "inactive"


def test_sso_token_for_another_client_is_refused(sso, portal, caplog):
    user = UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email=user.email)
    sso.set_mode("wrong_audience")

    response = sso_log_in(portal, "sub-karin")

    assert logged_in_user(portal) is None
    assert response.status_code == 200
    assert refusal_text("failed") in response.content.decode()
    assert not OidcIdentity.objects.exists()
    # Refused for its audience (the authorized party is checked with it), not for anything else.
    assert re.search(r"reason=failed .*claim: '(aud|azp)'", caplog.text), caplog.text


def test_sso_expired_token_is_refused(sso, portal, caplog):
    user = UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email=user.email)
    sso.set_mode("expired")

    response = sso_log_in(portal, "sub-karin")

    assert logged_in_user(portal) is None
    assert refusal_text("failed") in response.content.decode()
    assert "reason=failed ExpiredTokenError" in caplog.text


def test_sso_callback_with_a_forged_state_is_refused(sso, portal):
    UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email="karin@kalmar.test")
    start = portal.get(reverse("oidc_login", args=["test"]))
    callback = urlparse(provider_log_in(start["Location"], "sub-karin"))
    query = parse_qs(callback.query)

    response = portal.get(callback.path, {"code": query["code"][0], "state": "forged"}, follow=True)

    assert logged_in_user(portal) is None
    assert refusal_text("failed") in response.content.decode()


def test_sso_authorization_request_has_state_nonce_and_pkce(sso, portal):
    response = portal.get(reverse("oidc_login", args=["test"]))

    query = parse_qs(urlparse(response["Location"]).query)
    assert response["Location"].startswith(sso.issuer)
    assert query["client_id"] == ["portal"]
    assert query["redirect_uri"] == [f"http://127.0.0.1{CALLBACK_PATH}"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 20 and len(query["nonce"][0]) >= 20
    assert len(query["code_challenge"][0]) == 43


def test_sso_callback_address_follows_the_proxy_settings(sso, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["portal.example.se"]
    portal = Client(HTTP_HOST="portal.example.se", HTTP_X_FORWARDED_PROTO="https")

    response = portal.get(reverse("oidc_login", args=["test"]))

    query = parse_qs(urlparse(response["Location"]).query)
    assert query["redirect_uri"] == [f"https://portal.example.se{CALLBACK_PATH}"]


def test_sso_creates_an_inactive_account_without_role_only_when_enabled(sso, portal, settings):
    settings.OIDC_CREATE_USERS = True
    sso.add_account("sub-new", email="new@county.test", name="Ny Person")

    response = sso_log_in(portal, "sub-new")

    user = User.objects.get(email="new@county.test")
    assert (user.role, user.region, user.is_active, user.full_name) == ("", None, False, "Ny Person")
    assert not user.has_usable_password()
    assert logged_in_user(portal) is None
    assert refusal_text("pending") in response.content.decode()

    # An administrator gives the account a role and switches it on: the subject finds it.
    User.objects.filter(pk=user.pk).update(role=Role.AGENCY, is_active=True)
    again = Client(HTTP_HOST="127.0.0.1")
    sso_log_in(again, "sub-new")
    assert logged_in_user(again) == user


def test_sso_creates_no_account_for_an_address_the_portal_does_not_take(sso, portal, settings):
    settings.OIDC_CREATE_USERS = True
    sso.add_account("sub-odd", email="not an address")

    response = sso_log_in(portal, "sub-odd")

    assert not User.objects.exists()
    assert refusal_text("unknown") in response.content.decode()


def test_sso_log_out_ends_the_session_and_goes_to_the_providers_log_out(sso, portal):
    UserFactory(email="karin@kalmar.test")
    sso.add_account("sub-karin", email="karin@kalmar.test")
    sso_log_in(portal, "sub-karin")
    id_token = portal.session["oidc_id_token"]

    response = portal.post(reverse("logout"))

    assert logged_in_user(portal) is None
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert response["Location"].startswith(f"{sso.issuer}/session/end")
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1/konto/logga-in/"]
    # The provider accepts the request (an invalid one gets its error page).
    answer = requests.get(response["Location"], timeout=10)
    assert answer.status_code == 200 and "<title>Error" not in answer.text


def test_password_log_out_stays_in_the_portal(sso, portal):
    user = UserFactory(email="karin@kalmar.test")
    response = portal.post(reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True)
    assert logged_in_user(portal) == user

    response = portal.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert logged_in_user(portal) is None


def test_sso_provider_that_does_not_answer_is_a_message(settings, portal):
    settings.OIDC_PROVIDERS = [
        {
            "slug": "test",
            "name": NAME,
            "issuer": "http://127.0.0.1:9",  # the discard port: nothing listens
            "client_id": "portal",
            "client_secret": "x",
            "discovery_url": "",
            "scope": "openid",
        }
    ]

    response = portal.get(reverse("oidc_login", args=["test"]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert refusal_text("unreachable") in response.content.decode()


def test_sso_unknown_provider_is_a_message(portal):
    response = portal.get(reverse("oidc_callback", args=["nobody"]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert refusal_text("no_provider") in response.content.decode()


def test_login_page_shows_one_button_per_provider(sso, settings, portal):
    settings.OIDC_PROVIDERS = [
        *settings.OIDC_PROVIDERS,
        {**settings.OIDC_PROVIDERS[0], "slug": "kalmar", "name": "Region Kalmar län"},
    ]

    html = portal.get(reverse("login")).content.decode()

    assert html.count("btn btn-outline-primary") == 2
    assert f'href="{reverse("oidc_login", args=["test"])}"' in html
    assert f'href="{reverse("oidc_login", args=["kalmar"])}"' in html
    assert NAME in html and "Region Kalmar län" in html


def test_login_page_has_no_buttons_without_providers(portal):
    html = portal.get(reverse("login")).content.decode()

    assert "/logga-in/sso/" not in html
    assert 'name="username"' in html
