"""Deadline e-mails to the counties (issue 14): 7 and 1 days before, and once when the deadline in
force has passed with the submission still a draft; each with a link to the submission."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import SubmissionStatus
from dialogues.models import Submission
from dialogues.tasks import submission_reminders_send_task
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

PORTAL = "https://dialoger.example.se"
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_URL = PORTAL


def _submission(region, *, deadline, year=2050, **fields):
    dialogue_round = DialogueRoundFactory(year=year, submission_deadline=deadline)
    return SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region), **fields)


def _link(submission) -> str:
    return PORTAL + reverse("dialogues:submission_detail", args=[submission.dialogue_id])


def test_deadline_passed_is_told_once_the_day_after_with_a_link(
    region_a, region_user, other_region_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    draft = _submission(region_a, deadline=today - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert submission_reminders_send_task.delay().get() == 1
        assert services.submission_reminders_send() == 0  # the task runs again: nothing twice
        assert services.submission_reminders_send(today=today + DAY) == 0  # nor the next day
    assert [m.to for m in mail.outbox] == [[region_user.email]]  # not the other county
    told = mail.outbox[0]
    assert draft.dialogue.round.title in told.subject
    assert _link(draft) in told.body


def test_deadline_passed_is_not_told_for_a_sent_submission_nor_a_deadline_still_running(region_a, region_user):
    today = timezone.localdate()
    _submission(region_a, deadline=today - DAY, year=2051, status=SubmissionStatus.SUBMITTED)
    _submission(region_a, deadline=today, year=2052)  # the deadline day itself: still running
    _submission(region_a, deadline=today - 30 * DAY, year=2053)  # long past: told back then, not now
    assert services.submission_reminders_send() == 0
    assert mail.outbox == []


def test_deadline_passed_is_told_after_the_last_reminder(region_a, region_user, django_capture_on_commit_callbacks):
    """The reminder the day before the deadline does not count as the "deadline passed" e-mail."""
    today = timezone.localdate()
    draft = _submission(region_a, deadline=today + DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submission_reminders_send(today=today) == 1  # 1 day before
        assert services.submission_reminders_send(today=today + 2 * DAY) == 1  # the day after
        assert services.submission_reminders_send(today=today + 3 * DAY) == 0
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2 and subjects[0] != subjects[1]
    assert all(_link(draft) in m.body for m in mail.outbox)


def test_extended_deadline_passing_is_told_again(region_a, region_user, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    draft = _submission(region_a, deadline=today - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submission_reminders_send(today=today) == 1
        services.submission_deadline_extend(dialogue=draft.dialogue, deadline=today + DAY, reason="Sjukdom")
        assert services.submission_reminders_send(today=today + 2 * DAY) == 1  # the extension has passed
        assert services.submission_reminders_send(today=today + 2 * DAY) == 0
    assert Submission.objects.get(pk=draft.pk).reminder_sent_on == today + 2 * DAY
    extended = mail.outbox[1]
    assert _link(draft) in extended.body  # the extension's e-mail links to the submission too


def test_reminder_before_the_deadline_links_to_the_submission(
    region_a, region_user, django_capture_on_commit_callbacks
):
    draft = _submission(region_a, deadline=timezone.localdate() + 7 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submission_reminders_send() == 1
    assert _link(draft) in mail.outbox[0].body


def test_returned_submission_mail_links_to_the_submission(region_a, region_user, django_capture_on_commit_callbacks):
    draft = _submission(region_a, deadline=timezone.localdate() + 10 * DAY, status=SubmissionStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=draft, comment="Komplettera resultaten")
    assert [m.to for m in mail.outbox] == [[region_user.email]]
    assert "Komplettera resultaten" in mail.outbox[0].body
    assert _link(draft) in mail.outbox[0].body
