"""Password-reset mail goes through the outbox: the request does no SMTP work (issue 13)."""

import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from core.mail import mail_deliver
from core.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


class NoSMTPAllowed(BaseEmailBackend):
    """Stands in for the SMTP server during the request: any contact with it is a failure."""

    def send_messages(self, messages):
        raise AssertionError("the password-reset request talked to the SMTP server")


def _text(response) -> str:
    """The page's text, without the per-response CSRF and one-time form tokens."""
    return re.sub(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def smtp_forbidden(settings):
    settings.EMAIL_BACKEND = f"{__name__}.NoSMTPAllowed"


def test_password_reset_request_stores_the_mail_in_the_outbox_without_smtp(
    client, agency_user, smtp_forbidden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("password_reset"), {"email": agency_user.email}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    stored = OutgoingMail.objects.get()
    assert (stored.recipient, stored.status) == (agency_user.email, MailStatus.PENDING)
    assert "Nytt lösenord" in stored.subject
    assert len(queued) == 1  # handed to the worker after commit


def test_password_reset_for_an_unknown_address_answers_the_same_and_stores_nothing(client, agency_user, smtp_forbidden):
    known = client.post(reverse("password_reset"), {"email": agency_user.email}, follow=True)
    OutgoingMail.objects.all().delete()
    unknown = client.post(reverse("password_reset"), {"email": "ingen@example.se"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Kontrollera din e-post" in _text(unknown)
    assert _text(unknown) == _text(known)
    assert not OutgoingMail.objects.exists()


def test_password_reset_mail_kept_while_smtp_is_down_arrives_through_the_worker(
    client, agency_user, settings, smtp_forbidden
):
    client.post(reverse("password_reset"), {"email": agency_user.email})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the SMTP server is back

    assert mail_deliver(mail_id=OutgoingMail.objects.get().pk) is True

    [message] = mail.outbox
    assert message.to == [agency_user.email]
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "Ett-helt-nytt-lösenord-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    agency_user.refresh_from_db()
    assert agency_user.check_password(new_password)
