import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from core import mail as mail_module
from core.mail import MAIL_MAX_ATTEMPTS, mail_deliver, mail_sweep, mail_users
from core.models import MailStatus, OutgoingMail
from tests.factories.accounts import UserFactory
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
    assert OutgoingMail.objects.filter(status=MailStatus.SENT, sent_at__isnull=False).count() == 2


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


def test_mail_deliver_records_an_smtp_failure_and_tries_again_after_a_back_off(
    settings, ministry_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSMTP"
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Ämne", body="Text")
    OutgoingMail.objects.filter(pk=stored.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert mail_deliver(mail_id=stored.pk) is False
    stored.refresh_from_db()
    assert (stored.status, stored.sent_at, stored.attempts) == (MailStatus.PENDING, None, 1)
    assert "refused" in stored.last_error
    assert stored.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail_deliver(mail_id=stored.pk) is False  # not before its back-off has passed
    assert mail_sweep(now=timezone.now() + datetime.timedelta(minutes=4)) == 0
    assert mail_sweep(now=timezone.now() + datetime.timedelta(minutes=6)) == 1
    OutgoingMail.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now())  # the back-off has passed
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_sweep() == 1
    assert [m.subject for m in mail.outbox] == ["Ämne"]
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.last_error) == (MailStatus.SENT, 2, "")


def test_mail_deliver_gives_up_after_the_last_try(settings, ministry_user):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSMTP"
    stored = OutgoingMail.objects.create(
        recipient=ministry_user.email, subject="Ämne", body="Text", attempts=MAIL_MAX_ATTEMPTS - 1
    )
    assert mail_deliver(mail_id=stored.pk) is False
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (MailStatus.FAILED, MAIL_MAX_ATTEMPTS)
    assert mail_sweep(now=timezone.now() + datetime.timedelta(days=1)) == 0


def test_mail_with_a_refused_header_fails_once_with_the_error_and_is_never_retried(ministry_user):
    stored = OutgoingMail.objects.create(
        recipient=ministry_user.email, subject="Hej\nBcc: alla@example.se", body="Text"
    )
    assert mail_deliver(mail_id=stored.pk) is False
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (MailStatus.FAILED, 1)
    assert "BadHeaderError" in stored.last_error
    assert mail.outbox == []
    assert mail_sweep(now=timezone.now() + datetime.timedelta(days=1)) == 0


class RecipientRefusingSMTP(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})


def test_mail_to_a_refused_recipient_fails_with_the_servers_answer(settings, ministry_user):
    settings.EMAIL_BACKEND = f"{__name__}.RecipientRefusingSMTP"
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Ämne", body="Text")
    assert mail_deliver(mail_id=stored.pk) is False
    stored.refresh_from_db()
    assert stored.status == MailStatus.FAILED
    assert "No such user" in stored.last_error


class SendsThenDies(BaseEmailBackend):
    """The SMTP server took the message, then the worker died before it could record that."""

    def send_messages(self, messages):
        mail.outbox.extend(messages)
        raise SystemExit("worker killed")


def test_mail_sent_but_not_recorded_is_never_sent_again_silently_and_shown_to_admins(
    settings, client, admin_user, ministry_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SendsThenDies"
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Kallelse", body="Text")
    with pytest.raises(SystemExit):
        mail_deliver(mail_id=stored.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert mail_deliver(mail_id=stored.pk) is False  # a redelivered task
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_sweep(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    stored.refresh_from_db()
    assert stored.status == MailStatus.UNCERTAIN

    client.force_login(admin_user)
    listing = client.get("/admin/core/outgoingmail/", {"status__exact": MailStatus.UNCERTAIN}).content.decode()
    assert "Kallelse" in listing
    assert "Kanske skickat" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/outgoingmail/",
            {"action": "resend_mail", "_selected_action": [stored.pk]},
            follow=True,
        )
    assert "1 e-postmeddelande skickas igen." in response.content.decode()
    assert len(mail.outbox) == 2
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT


class BrokenBackend(BaseEmailBackend):
    """Fails in a way that says nothing about whether the message went out."""

    def send_messages(self, messages):
        raise RuntimeError("stopped half-way")


def test_mail_deliver_marks_an_unexplained_failure_perhaps_sent_and_never_retries_it(settings, ministry_user):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    stored = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Ämne", body="Text")
    with pytest.raises(RuntimeError):
        mail_deliver(mail_id=stored.pk)
    stored.refresh_from_db()
    assert stored.status == MailStatus.UNCERTAIN
    assert "stopped half-way" in stored.last_error
    assert mail_sweep(now=timezone.now() + datetime.timedelta(days=1)) == 0


def test_a_notice_to_many_is_a_few_messages_to_the_broker_and_reaches_everyone(django_capture_on_commit_callbacks):
    """Issue 20: the round-ready notice to 1 600 agency staff was 1 600 broker messages (2.4 s)."""
    people = UserFactory.create_batch(45, role=Role.AGENCY)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert mail_users(users=people, subject="Rapporterna är klara", body="Text") == 45

    assert len(queued) == 3  # 20 + 20 + 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(person.email for person in people)
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 45


def test_one_e_mail_failing_unexpectedly_does_not_hold_back_the_rest_of_its_batch(
    ministry_user, agency_user, monkeypatch, django_capture_on_commit_callbacks
):
    real_send = mail_module.send_mail

    def send_mail(subject, body, sender, recipients):
        if recipients == [ministry_user.email]:
            raise RuntimeError("a bug, not the SMTP server")
        return real_send(subject, body, sender, recipients)

    monkeypatch.setattr(mail_module, "send_mail", send_mail)
    with django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[ministry_user, agency_user], subject="Ämne", body="Text")

    assert [m.to for m in mail.outbox] == [[agency_user.email]]
    assert OutgoingMail.objects.get(recipient=ministry_user.email).status == MailStatus.UNCERTAIN
