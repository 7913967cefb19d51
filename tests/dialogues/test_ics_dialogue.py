"""The dialogue .ics download: a DTSTAMP of when it was made (UTC), a description and a link to the
dialogue's page in the portal, parsed as a calendar program would."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories.dialogues import DialogueFactory

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_dialogue_ics_has_generation_stamp_description_and_link(client, settings, ministry_user, open_round, region_a):
    settings.PORTAL_URL = "https://portal.example.se"
    start = timezone.now() + datetime.timedelta(days=40)
    dialogue = DialogueFactory(
        round=open_round,
        region=region_a,
        start=start,
        end=start + datetime.timedelta(hours=3),
        place="Regionhuset i Kalmar",
        video_link="https://video.example.se/kalmar",
    )
    client.force_login(ministry_user)
    before = timezone.now().replace(microsecond=0)

    (event,) = _events(client.get(reverse("dialogues:dialogue_ics", args=[dialogue.pk])))

    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == datetime.timedelta(0)
    assert before <= stamp <= timezone.now()  # when the file was made, not when the dialogue starts
    link = f"https://portal.example.se/dialoger/dialog/{dialogue.pk}/"
    assert str(event["URL"]) == link
    description = str(event["DESCRIPTION"])
    assert open_round.title in description
    assert "Kalmar län" in description
    assert "https://video.example.se/kalmar" in description
    assert link in description
    assert event.decoded("DTSTART") == start.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Regionhuset i Kalmar"


def test_round_ics_events_each_carry_their_dialogue_link(
    client, settings, ministry_user, open_round, region_a, region_b
):
    settings.PORTAL_URL = "https://portal.example.se"
    start = timezone.now() + datetime.timedelta(days=10)
    dialogues = [
        DialogueFactory(round=open_round, region=region, start=start, end=start + datetime.timedelta(hours=2))
        for region in (region_a, region_b)
    ]
    client.force_login(ministry_user)
    events = _events(client.get(reverse("dialogues:round_ics", args=[open_round.pk])))
    assert sorted(str(event["URL"]) for event in events) == sorted(
        f"https://portal.example.se/dialoger/dialog/{d.pk}/" for d in dialogues
    )
    assert all("DESCRIPTION" in event for event in events)
