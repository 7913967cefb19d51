"""The e-mail reminder a meeting's `reminder_days` before it: agenda included, sent once, never early."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from core.models import OutgoingMail
from forum.choices import MeetingStatus, SeatRole
from forum.models import Meeting
from forum.services import meeting_reminders_send
from forum.tasks import meeting_reminders_send_task
from tests.factories.forum import AgendaItemFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_in_three_days(civil_servants, region_county):
    start = timezone.now() + datetime.timedelta(days=3)
    civil_servants.end_year = start.year + 1
    civil_servants.save()
    meeting = MeetingFactory(forum=civil_servants, title="Tjänstemannaforum i höst", start=start, reminder_days=7)
    AgendaItemFactory(meeting=meeting, position=1, title="Kompetensförsörjning")
    AgendaItemFactory(meeting=meeting, position=2, title="Regionfrågan")
    for email in ("camilla@region.test", "olof@region.test"):
        MembershipFactory(
            forum=civil_servants,
            region=region_county,
            role=SeatRole.REGIONAL_DIRECTOR,
            contact__email=email,
            valid_from=datetime.date(start.year, 1, 1),
        )
    MembershipFactory(  # a mandate that has ended: no reminder
        forum=civil_servants,
        region=region_county,
        role=SeatRole.REGIONAL_DIRECTOR,
        contact__email="slutat@region.test",
        valid_from=datetime.date(2015, 1, 1),
        valid_to=datetime.date(2015, 12, 31),
    )
    return meeting


def test_meeting_reminder_due_is_sent_once_to_each_member_with_the_agenda(
    meeting_in_three_days, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send() == 0  # the second run finds nothing to do
    assert sorted(m.to[0] for m in mail.outbox) == ["camilla@region.test", "olof@region.test"]
    assert OutgoingMail.objects.count() == 2
    message = mail.outbox[0]
    assert message.subject == "Påminnelse: Tjänstemannaforum i höst"
    assert "1. Kompetensförsörjning\n2. Regionfrågan" in message.body
    assert "Dagordning" in message.body
    start = timezone.localtime(meeting_in_three_days.start)
    assert f"Tid: {date_format(start, 'DATETIME_FORMAT')}–" in message.body  # "Tid: 9 december 2026 10:00–"
    assert re.search(r"Tid: \d{1,2} [a-zåäö]+ \d{4} \d\d:\d\d–\d\d:\d\d", message.body)
    meeting_in_three_days.refresh_from_db()
    assert meeting_in_three_days.reminder_sent_at is not None


def test_meeting_reminder_before_its_day_sends_nothing(meeting_in_three_days, django_capture_on_commit_callbacks):
    Meeting.objects.update(reminder_days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send() == 0
    assert mail.outbox == []
    assert Meeting.objects.get().reminder_sent_at is None


@pytest.mark.parametrize("change", [{"status": MeetingStatus.CANCELLED}, {"reminder_days": 0}])
def test_meeting_reminder_cancelled_or_switched_off_sends_nothing(
    meeting_in_three_days, django_capture_on_commit_callbacks, change
):
    Meeting.objects.update(**change)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_reminders_send()
    assert mail.outbox == []


def test_meeting_reminder_task_sends_and_is_scheduled_by_beat(
    meeting_in_three_days, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_reminders_send_task.delay().get() == 1
    assert len(mail.outbox) == 2
    entry = settings.CELERY_BEAT_SCHEDULE["forum-meeting-reminders"]
    assert entry["task"] == meeting_reminders_send_task.name


def test_meeting_reminder_shown_on_the_meeting_page(client, agency_user, meeting_in_three_days):
    client.force_login(agency_user)
    assert "Skickas med e-post till ledamöterna 7 dagar före mötet" in (
        client.get(meeting_in_three_days.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_meeting_reminder_task_on_a_real_worker_mails_members_once(celery_live_worker, meeting_in_three_days):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the worker test must run against Redis"
    assert meeting_reminders_send_task.delay().get(timeout=20) == 1
    assert meeting_reminders_send_task.delay().get(timeout=20) == 0
    deadline = time.monotonic() + 20
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # a duplicate, if there were one, would arrive now
    assert sorted(m.to[0] for m in mail.outbox) == ["camilla@region.test", "olof@region.test"]
