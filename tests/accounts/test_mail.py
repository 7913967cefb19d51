import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from accounts.models import OutgoingMail
from accounts.services import mail_deliver, mail_sweep, mail_users
from tests.helpers import broker_unreachable

pytestmark = pytest.mark.django_db


class RefusingSMTP(BaseEmailBackend):
    """Stands in for an SMTP server that is down: the only thing we fake, since it leaves the machine."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


def test_mail_users_sends_one_message_per_person_so_nobody_sees_the_others(
    ministry_user, agency_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_users(users=[ministry_user, agency_user], subject="Dialogomgång öppnad", body="Hej") == 2
    assert sorted(m.to for m in mail.outbox) == sorted([[ministry_user.email], [agency_user.email]])
    assert OutgoingMail.objects.filter(sent_at__isnull=False).count() == 2


def test_mail_users_skips_inactive_users(ministry_user, agency_user, django_capture_on_commit_callbacks):
    agency_user.is_active = False
    agency_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[ministry_user, agency_user], subject="Ämne", body="Text")
    assert [m.to for m in mail.outbox] == [[ministry_user.email]]


def test_mail_users_sends_nothing_when_the_change_is_rolled_back(ministry_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail_users(users=[ministry_user], subject="Ämne", body="Text")
        raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()


def test_mail_with_the_broker_down_is_kept_and_sent_by_the_sweep_later(
    ministry_user, django_capture_on_commit_callbacks
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[ministry_user], subject="Påminnelse", body="Text")  # does not raise
    assert mail.outbox == []
    assert OutgoingMail.objects.get().sent_at is None

    later = timezone.now() + datetime.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_sweep(now=later) == 1
    assert [m.subject for m in mail.outbox] == ["Påminnelse"]


def test_mail_deliver_twice_sends_once(ministry_user):
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Ämne", body="Text")
    assert mail_deliver(mail_id=stored.pk) is True
    assert mail_deliver(mail_id=stored.pk) is False
    assert len(mail.outbox) == 1


def test_mail_deliver_records_an_smtp_failure_for_the_retry(settings, ministry_user):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSMTP"
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Ämne", body="Text")
    with pytest.raises(ConnectionRefusedError):
        mail_deliver(mail_id=stored.pk)
    stored.refresh_from_db()
    assert (stored.sent_at, stored.attempts) == (None, 1)
    assert "refused" in stored.last_error
