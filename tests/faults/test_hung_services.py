"""Redis, the broker and the SMTP server hang: they accept connections and never answer (a
black-hole server in a thread of the test). The portal must not hang with them (issue 13):
`/healthz` says 503 within its own deadline, a write that queues work after commit answers as usual
with its row saved (the sweep sends it later), pages keep working with the cache in the black hole,
and the worker gives up on a hung SMTP server and tries again later. Each request is bounded in
time, and so is the whole test."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from core.mail import mail_deliver
from core.models import MailStatus, OutgoingMail
from tests.helpers import log_in_with_code

from .blackhole import BlackHole
from .worker import broker_at, time_limit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fault_time_limit")]

# Far below gunicorn's 30-60 s worker timeout, far above the portal's own network timeouts (~1 s each).
REQUEST_SECONDS = 6


@pytest.fixture
def black_hole():
    with BlackHole() as server:
        yield server


def test_healthz_answers_503_in_time_when_the_broker_never_answers(client, black_hole):
    with broker_at(black_hole.url()), time_limit(REQUEST_SECONDS, "/healthz"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": True, "broker": False}}
    assert black_hole.accepted >= 1  # it really tried the hung broker


def test_write_that_queues_after_commit_answers_and_keeps_its_row_when_the_broker_never_answers(
    client, agency_user, black_hole
):
    with broker_at(black_hole.url()), time_limit(REQUEST_SECONDS, "the password-reset request"):
        response = client.post(reverse("password_reset"), {"email": agency_user.email}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "Kontrollera din e-post" in response.content.decode()
    stored = OutgoingMail.objects.get()  # saved, and left for the sweep
    assert (stored.recipient, stored.status) == (agency_user.email, MailStatus.PENDING)
    assert black_hole.accepted >= 1


def test_pages_and_log_in_keep_working_when_the_cache_never_answers(
    client, settings, ministry_user, password, black_hole
):
    assert django_settings.REDIS_URL, "this test needs the Redis cache of a deployment"
    settings.CACHES = {
        alias: {**config, "LOCATION": black_hole.url()}
        if config["BACKEND"] == "core.cache.TolerantRedisCache"
        else config
        for alias, config in django_settings.CACHES.items()
    }
    with time_limit(REQUEST_SECONDS, "the log-in"):
        response = log_in_with_code(client, ministry_user, password)
    assert "Välkommen" in response.content.decode()
    with time_limit(REQUEST_SECONDS, "the start page"):
        response = client.get(reverse("home"))
    assert response.wsgi_request.user == ministry_user
    assert "Länen i år" in response.content.decode()
    assert black_hole.accepted >= 1


def test_mail_to_an_smtp_server_that_never_answers_waits_for_another_try(settings, ministry_user, black_hole):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", black_hole.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Kallelse", body="Text")
    with time_limit(REQUEST_SECONDS, "the worker's send"):
        assert mail_deliver(mail_id=stored.pk) is False
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (MailStatus.PENDING, 1)  # tried again after its back-off
    assert "timed out" in stored.last_error
    assert black_hole.accepted == 1
