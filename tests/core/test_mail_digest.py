"""Work notifications as each person wants them (issue 14): at once, or one e-mail a day.

A person who chose the daily digest gets the portal's work notifications kept and sent together
once a day, each with its link; everyone else gets them at once, as before. Password e-mails are
never held back. A digest is sent once, whatever runs at the same moment."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.choices import Role
from accounts.forms import OutboxPasswordResetForm
from config.celery import app as celery_app
from core.mail import mail_digests_send, mail_users
from core.models import DigestItem, MailDelivery, OutgoingMail
from core.tasks import mail_digests_send_task
from dialogues import services as dialogue_services
from regions import services as regions_services
from regions.choices import StrategyStageKind
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import RegionalStrategyFactory, RegionFollowFactory
from tests.helpers import broker_unreachable
from tests.racing import race

pytestmark = pytest.mark.django_db

PORTAL = "https://dialoger.example.se"


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


def _digest(user):
    user.mail_delivery = MailDelivery.DIGEST
    user.save(update_fields=["mail_delivery"])
    return user


def _swedish(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


def test_mail_users_sends_at_once_to_those_who_want_it_and_keeps_it_for_digest_users(
    ministry_user, agency_user, django_capture_on_commit_callbacks
):
    _digest(agency_user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = mail_users(users=[ministry_user, agency_user], subject="Ny kommentar", body="Läs här: /x")
    assert sent == 2
    assert [m.to for m in mail.outbox] == [[ministry_user.email]]
    kept = DigestItem.objects.get()
    assert (kept.user, kept.subject, kept.body) == (agency_user, "Ny kommentar", "Läs här: /x")


def test_digest_is_one_mail_per_person_with_every_notification_and_its_link(
    region_a, region_user, django_capture_on_commit_callbacks
):
    """Two notifications of the portal's own (a deadline in 7 days, a deadline passed) for a county
    user who chose the digest: nothing at once, then one e-mail holding both, each with its link."""
    _digest(region_user)
    colleague = _digest(UserFactory(role=Role.REGION, region=region_a))
    today = timezone.localdate()
    soon = SubmissionFactory(
        dialogue=DialogueFactory(
            region=region_a, round=DialogueRoundFactory(year=2061, submission_deadline=today + datetime.timedelta(7))
        )
    )
    passed = SubmissionFactory(
        dialogue=DialogueFactory(
            region=region_a, round=DialogueRoundFactory(year=2062, submission_deadline=today - datetime.timedelta(1))
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert dialogue_services.submission_reminders_send() == 2
    assert mail.outbox == []
    assert DigestItem.objects.count() == 4  # two notifications for each of the county's two users

    with django_capture_on_commit_callbacks(execute=True):
        assert mail_digests_send_task.delay().get() == 2

    assert sorted(m.to for m in mail.outbox) == sorted([[region_user.email], [colleague.email]])
    digest = next(m for m in mail.outbox if m.to == [region_user.email])
    for submission in (soon, passed):
        link = PORTAL + reverse("dialogues:submission_detail", args=[submission.dialogue_id])
        assert link in digest.body
        assert submission.dialogue.round.title in digest.body
    assert "2" in digest.subject
    assert PORTAL + reverse("notification_settings") in digest.body  # where to change the choice
    assert _swedish("This is what happened in the portal since your last digest.") in digest.body
    assert not DigestItem.objects.exists()


def test_digest_run_twice_sends_nothing_the_second_time(ministry_user, django_capture_on_commit_callbacks):
    _digest(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[ministry_user], subject="Rapport godkänd", body="Publicera här: https://x/1")
        assert mail_digests_send() == 1
        assert mail_digests_send() == 0
    assert len(mail.outbox) == 1
    assert "Rapport godkänd" in mail.outbox[0].body


def test_digest_holds_only_what_came_since_the_last_one(ministry_user, django_capture_on_commit_callbacks):
    _digest(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[ministry_user], subject="Första", body="Ett")
        mail_digests_send()
        mail_users(users=[ministry_user], subject="Andra", body="Två")
        mail_digests_send()
    first, second = (m.body for m in mail.outbox)
    assert "Första" in first and "Andra" not in first
    assert "Andra" in second and "Första" not in second


def test_no_digest_for_a_person_with_nothing_waiting(ministry_user, agency_user, django_capture_on_commit_callbacks):
    _digest(ministry_user)
    _digest(agency_user)
    with django_capture_on_commit_callbacks(execute=True):
        mail_users(users=[agency_user], subject="Rapporter klara", body="Granska: https://x/2")
        assert mail_digests_send() == 1
    assert [m.to for m in mail.outbox] == [[agency_user.email]]


def test_digest_of_a_deactivated_person_is_not_sent(ministry_user, django_capture_on_commit_callbacks):
    _digest(ministry_user)
    mail_users(users=[ministry_user], subject="Kommentar", body="Text")
    ministry_user.is_active = False
    ministry_user.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_digests_send() == 0
    assert mail.outbox == []
    assert not DigestItem.objects.exists()


def test_password_reset_of_a_digest_user_comes_at_once(ministry_user, rf, django_capture_on_commit_callbacks):
    _digest(ministry_user)
    form = OutboxPasswordResetForm({"email": ministry_user.email})
    assert form.is_valid()
    with django_capture_on_commit_callbacks(execute=True):
        form.save(request=rf.get("/"), domain_override="dialoger.example.se")
    assert [m.to for m in mail.outbox] == [[ministry_user.email]]
    assert not DigestItem.objects.exists()


def test_digest_is_scheduled_daily_by_beat():
    celery_app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["core-mail-digests"]
    assert entry["task"] == mail_digests_send_task.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_each_notification_once(region_a):
    """Two workers (or two beats) run the digest at the same moment, on two real connections: each
    person gets one digest, holding each notification once, and nothing is left behind."""
    people = [_digest(UserFactory(role=Role.MINISTRY)) for _ in range(3)]
    for number in range(2):
        mail_users(users=people, subject=f"Avisering {number}", body=f"Länk: {PORTAL}/{number}")
    assert DigestItem.objects.count() == 6

    # The digests stay queued in the outbox: eager tasks run from two threads at once would leave
    # Celery's process-wide "joining a result would block" flag set for the tests that follow.
    with broker_unreachable():
        sent = race(mail_digests_send, mail_digests_send, lock_sql="LOCK TABLE core_digestitem IN EXCLUSIVE MODE")
    connections.close_all()

    assert sum(sent) == 3
    digests = list(OutgoingMail.objects.order_by("recipient"))
    assert sorted(m.recipient for m in digests) == sorted(p.email for p in people)
    for digest in digests:
        assert digest.body.count("Avisering 0") == 1 and digest.body.count("Avisering 1") == 1
    assert not DigestItem.objects.exists()


def test_strategy_stage_mail_to_followers_links_to_the_strategy(
    region_a, region_user, django_capture_on_commit_callbacks
):
    RegionFollowFactory(user=region_user, region=region_a)
    strategy = RegionalStrategyFactory(region=region_a)
    with django_capture_on_commit_callbacks(execute=True):
        regions_services.strategy_stage_set(
            strategy=strategy, stage=StrategyStageKind.CONSULTATION, starts_on=datetime.date(2015, 3, 1)
        )
    assert [m.to for m in mail.outbox] == [[region_user.email]]
    assert PORTAL + strategy.get_absolute_url() in mail.outbox[0].body
