import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import demo as forum_demo
from forum.models import AgendaItem, Attendance, Forum, Meeting, Membership
from regions import demo as regions_demo
from regions.models import Topic

pytestmark = pytest.mark.django_db


def _load():
    regions_demo.load()
    forum_demo.load()


def _counts():
    return [model.objects.count() for model in (Forum, Topic, Meeting, AgendaItem, Membership, Attendance)]


def test_forum_demo_has_the_12_may_2015_meeting_with_the_seed_agenda():
    _load()
    meeting = Meeting.objects.get(forum__kind="civil_servant")
    assert timezone.localtime(meeting.start).date() == datetime.date(2015, 5, 12)
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert len(titles) == 14
    assert "Aktuella frågor: Regionfrågan" in titles
    assert "Återkoppling från de regionala utvecklingsdialogerna" in titles
    assert meeting.agenda_items.filter(topic__name="Kompetensförsörjning").exists()
    prepared = meeting.agenda_items.filter(prepares__isnull=False)
    assert prepared.count() == 4
    assert {item.prepares.meeting.forum.kind for item in prepared} == {"politician"}


def test_forum_demo_2015_composition_shows_members_and_empty_seats(client, ministry_user):
    _load()
    client.force_login(ministry_user)
    politicians = Forum.objects.get(kind="politician")
    html = client.get(reverse("forum:forum_composition", kwargs={"pk": politicians.pk}) + "?year=2015").content.decode()
    assert "Birgitta Sundin (demo)" in html  # Stockholm's county governor (county board holds it in 2015)
    assert "Tom plats" in html
    assert "Alla tillsatta" in html  # Kalmar and Skåne have both seats filled


def test_forum_demo_loaded_twice_changes_nothing():
    _load()
    before = _counts()
    _load()
    assert _counts() == before
