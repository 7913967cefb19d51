"""Log-in lockout behind a reverse proxy, with forged headers (issue 13)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.helpers import recovery_code_for

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def _login(client, email, password, *, address, forged=""):
    """A log-in through the proxy: the client's own X-Forwarded-For text, then the address the proxy saw."""
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        follow=True,
    )


def test_lockout_a_strangers_failures_do_not_lock_the_user_out_of_their_own_address(
    client, ministry_user, password, settings
):
    code = recovery_code_for(ministry_user)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login(client, ministry_user.email, "fel-lösenord", address="203.0.113.66")
    response = _login(client, ministry_user.email, password, address="198.51.100.7")
    assert response.wsgi_request.user.is_authenticated
    response = client.post(
        reverse("second_factor_verify"),
        {"recovery_code": code},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        follow=True,
    )
    assert "Välkommen" in response.content.decode()


def test_lockout_the_stranger_is_locked_out_even_when_forging_the_users_address(
    client, ministry_user, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, ministry_user.email, "fel-lösenord", address="203.0.113.66", forged="198.51.100.7")
    # Right password, from the same real address, with a different forged address in front.
    response = _login(client, ministry_user.email, password, address="203.0.113.66", forged="192.0.2.44")
    assert not response.wsgi_request.user.is_authenticated
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    # The user, from their real address, still gets in.
    response = _login(client, ministry_user.email, password, address="198.51.100.7")
    assert response.wsgi_request.user.is_authenticated


def test_lockout_one_address_trying_many_accounts_is_throttled(client, agency_user, password, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _login(client, f"gissning{number}@example.se", "fel-lösenord", address="203.0.113.66")
    # Never more than one failure per account, yet the address is refused, even with a real password.
    response = _login(client, agency_user.email, password, address="203.0.113.66")
    assert not response.wsgi_request.user.is_authenticated
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    # Other addresses are not affected.
    response = _login(client, agency_user.email, password, address="198.51.100.7")
    assert response.wsgi_request.user.is_authenticated


def test_lockout_junk_in_the_header_counts_the_failure_for_the_proxys_address(client, ministry_user):
    response = client.post(
        reverse("login"),
        {"username": ministry_user.email, "password": "fel-lösenord"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="<script>, not-an-address",
    )
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]
