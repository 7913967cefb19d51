"""Two-factor authentication (accounts.mfa): who must give a code after the password, enrolment by
QR code, wrong and reused codes, recovery codes, the lockout and the administrator's reset."""

import re
from base64 import b32encode

import pyotp
import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.choices import Role
from tests.factories.accounts import UserFactory
from tests.helpers import recovery_code_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("strict_second_factor")]


def _password_step(client, user, password, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": password}, **extra)


def _authenticator(user) -> pyotp.TOTP:
    device = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    return pyotp.TOTP(b32encode(device.bin_key).decode())


def _code_step(client, code, **extra):
    return client.post(reverse("second_factor_verify"), {"code": code}, **extra)


@pytest.mark.parametrize(
    ("role", "counties_required", "mandatory"),
    [
        (Role.MINISTRY, False, True),
        (Role.AGENCY, False, True),
        (Role.ADMIN, False, True),
        (Role.REGION, False, False),
        (Role.REGION, True, True),
    ],
)
def test_second_factor_mandatory_by_role_and_setting(role, counties_required, mandatory, region_a, settings):
    settings.OTP_REQUIRED_FOR_COUNTIES = counties_required
    user = UserFactory(role=role, region=region_a if role == Role.REGION else None)
    assert mfa.second_factor_mandatory(user) is mandatory


def test_required_user_without_an_app_is_sent_to_enrol_and_can_open_nothing_else(client, agency_user, password):
    response = _password_step(client, agency_user, password)
    assert response.status_code == 302
    for url in (reverse("home"), reverse("sessions"), reverse("notification_settings"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("totp_enrol")), url
    page = client.get(reverse("totp_enrol")).content.decode()
    assert "Din roll kräver en kod från en autentiseringsapp" in page or "Your role requires" in page


def test_county_user_without_an_app_logs_in_with_the_password_alone(client, region_user, password):
    _password_step(client, region_user, password)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Välkommen, Karin" in response.content.decode()


def test_county_user_with_an_app_is_asked_for_its_code(client, region_user, password):
    totp = _authenticator(region_user)
    _password_step(client, region_user, password)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second_factor_verify"))
    response = _code_step(client, totp.now(), follow=True)
    assert "Välkommen, Karin" in response.content.decode()


def test_sso_session_skips_the_code(client, ministry_user, password):
    _password_step(client, ministry_user, password)
    session = client.session
    session[mfa.SSO_SESSION_KEY] = True
    session.save()
    assert mfa.second_factor_required(ministry_user, type("R", (), {"session": session})()) is False
    assert client.get(reverse("home")).status_code == 200


def test_enrolment_shows_qr_code_and_grouped_key_and_confirms_with_a_code(client, agency_user, password):
    _password_step(client, agency_user, password)
    page = client.get(reverse("totp_enrol")).content.decode()
    assert "<svg" in page and 'class="qr"' in page
    device = TOTPDevice.objects.get(user=agency_user, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page

    wrong = client.post(reverse("totp_enrol"), {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=agency_user, confirmed=True).exists()

    response = client.post(reverse("totp_enrol"), {"code": pyotp.TOTP(secret).now()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("recovery_codes")
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=agency_user).confirmed
    # The codes come once as a text file, then never again.
    download = client.get(reverse("recovery_codes_download"))
    assert all(code in download.content.decode() for code in codes)
    assert download["Content-Disposition"].startswith("attachment")
    client.get(reverse("second_factor"))
    assert not any(code in client.get(reverse("recovery_codes")).content.decode() for code in codes)
    assert client.get(reverse("recovery_codes_download")).status_code == 302
    # The rest of the portal is open now.
    assert client.get(reverse("home")).status_code == 200
    assert LogEntry.objects.filter(object_pk=str(agency_user.pk), changes__has_key="tvåstegsverifiering").exists()


def test_code_step_wrong_code_says_so_and_a_used_code_is_refused(client, ministry_user, password):
    totp = _authenticator(ministry_user)
    _password_step(client, ministry_user, password)
    code = totp.now()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = _code_step(client, wrong)
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode() or "The code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # django-otp throttles the device for a second after a failure.
    TOTPDevice.objects.filter(user=ministry_user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    response = _code_step(client, code)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200

    other = Client()
    _password_step(other, ministry_user, password)
    response = _code_step(other, code)  # the same code again, within its window
    assert response.status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_code_field_refuses_letters_with_a_message_and_accepts_spaces(client, ministry_user, password):
    totp = _authenticator(ministry_user)
    _password_step(client, ministry_user, password)
    response = _code_step(client, "abc")
    assert "sex siffror" in response.content.decode() or "six digits" in response.content.decode()
    code = totp.now()
    response = _code_step(client, f"{code[:3]} {code[3:]}")
    assert response.status_code == 302


def test_recovery_code_logs_in_once(client, ministry_user, password):
    code = recovery_code_for(ministry_user)
    _password_step(client, ministry_user, password)
    response = client.post(reverse("second_factor_verify"), {"recovery_code": code.upper()}, follow=True)
    assert "Välkommen, Maria" in response.content.decode()
    assert not StaticToken.objects.filter(token=code).exists()

    other = Client()
    _password_step(other, ministry_user, password)
    response = other.post(reverse("second_factor_verify"), {"recovery_code": code})
    assert response.status_code == 200
    assert other.get(reverse("home")).status_code == 302


def test_wrong_codes_lock_out_and_the_lock_holds_for_the_password(client, ministry_user, password, settings):
    _authenticator(ministry_user)
    _password_step(client, ministry_user, password)
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _code_step(client, "000000", follow=True)
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert AccessAttempt.objects.get(username=ministry_user.email).failures_since_start >= settings.AXES_FAILURE_LIMIT
    # The half-finished session has ended, and the right password is refused too.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    response = _password_step(client, ministry_user, password, follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_right_password_does_not_forgive_wrong_codes(client, ministry_user, password, settings):
    """Logging in again with the password between wrong codes does not reset the count."""
    _authenticator(ministry_user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _password_step(client, ministry_user, password)
        _code_step(client, "000000")
        client.post(reverse("logout"))
    assert (
        AccessAttempt.objects.get(username=ministry_user.email).failures_since_start == settings.AXES_FAILURE_LIMIT - 1
    )


def test_right_code_forgives_earlier_failures(client, ministry_user, password):
    totp = _authenticator(ministry_user)
    _password_step(client, ministry_user, password)
    _code_step(client, "000000" if totp.now() != "000000" else "111111")
    assert AccessAttempt.objects.filter(username=ministry_user.email).exists()
    TOTPDevice.objects.filter(user=ministry_user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert _code_step(client, totp.now()).status_code == 302
    assert not AccessAttempt.objects.filter(username=ministry_user.email).exists()


def test_county_user_may_turn_it_off_a_required_user_may_not(client, region_user, ministry_user):
    for user in (region_user, ministry_user):
        _authenticator(user)
        client.force_login(user)
        session = client.session
        session[mfa.STATE_SESSION_KEY] = mfa.DONE
        session.save()
        response = client.post(reverse("second_factor_disable"), follow=True)
        still_on = TOTPDevice.objects.filter(user=user).exists()
        assert still_on is (user == ministry_user)
        html = response.content.decode()
        assert ("kan inte stängas av" in html or "cannot be turned off" in html) is still_on


def test_admin_reset_removes_the_app_ends_sessions_and_is_audited(client, ministry_user, admin_user, password):
    _authenticator(ministry_user)
    recovery_code_for(ministry_user)
    victim = Client()
    victim.force_login(ministry_user)
    session = victim.session
    session[mfa.STATE_SESSION_KEY] = mfa.DONE
    session.save()
    assert victim.get(reverse("home")).status_code == 200

    admin_client = Client()
    admin_client.force_login(admin_user)
    session = admin_client.session
    session[mfa.STATE_SESSION_KEY] = mfa.DONE
    session.save()
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [ministry_user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=ministry_user).exists()
    assert not StaticToken.objects.filter(device__user=ministry_user).exists()
    assert victim.get(reverse("home"))["Location"].startswith(reverse("login"))
    entry = LogEntry.objects.filter(object_pk=str(ministry_user.pk), changes__has_key="tvåstegsverifiering").latest(
        "pk"
    )
    assert entry.actor == admin_user
    # At the next log-in the user sets up a new app.
    _password_step(client, ministry_user, password)
    assert client.get(reverse("home"))["Location"].startswith(reverse("totp_enrol"))


def test_code_step_keeps_no_typed_code_in_the_browser(client, ministry_user, password):
    """static/js/keep-work.js stashes typed text of logged-in pages: never a code, and on the code
    step (half logged in) it leaves what was stashed before the session ended for after the code."""
    _authenticator(ministry_user)
    _password_step(client, ministry_user, password)
    html = client.get(reverse("second_factor_verify")).content.decode()
    assert "data-user=" not in html
    code_forms = re.findall(r"<form[^>]*>(?:(?!</form>).)*?name=\"(?:code|recovery_code)\"", html, re.S)
    assert len(code_forms) == 2
    assert all("data-no-keep" in form.split(">")[0] for form in code_forms)
