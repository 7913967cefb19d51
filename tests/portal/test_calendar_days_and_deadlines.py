"""The personal calendar feed holds the dialogue days and submission deadlines its owner may see,
as all-day events: a county its own deadline (its extension where it has one) and the days it
takes part in, never another county's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from dialogues.choices import RoundStatus
from dialogues.models import DialogueDay, Submission
from forum.services import calendar_subscription_renew
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _events(client, user) -> dict[str, object]:
    token = calendar_subscription_renew(user=user)
    response = client.get(reverse("portal:calendar_feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def world(region_a, region_b):
    today = timezone.localdate()
    dialogue_round = DialogueRoundFactory(
        title="Dialoger i år",
        status=RoundStatus.OPEN,
        submission_deadline=today + datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=90),
    )
    kalmar = SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_a))
    kronoberg = SubmissionFactory(
        dialogue=DialogueFactory(round=dialogue_round, region=region_b),
        deadline_extended_to=today + datetime.timedelta(days=30),
        deadline_extension_reason="Sjukdom",
    )
    planning = DialogueRoundFactory(title="Dialoger som planeras", status=RoundStatus.PLANNING)
    SubmissionFactory(dialogue=DialogueFactory(round=planning, region=region_a))
    kalmar_day = DialogueDay.objects.create(
        title="Dialogdag om kompetens", date=today + datetime.timedelta(days=15), place="Växjö"
    )
    kalmar_day.regions.add(region_a)
    kronoberg_day = DialogueDay.objects.create(title="Dialogdag om energi", date=today + datetime.timedelta(days=16))
    kronoberg_day.regions.add(region_b)
    return {"round": dialogue_round, "kalmar": kalmar, "kronoberg": kronoberg, "day": kalmar_day}


def test_county_feed_holds_its_own_deadline_and_dialogue_days_as_all_day_events(client, region_user, world):
    events = _events(client, region_user)
    deadline = events["Sista dag för inlämning: Dialoger i år"]
    assert deadline.decoded("DTSTART") == world["round"].submission_deadline
    assert deadline.decoded("DTEND") == world["round"].submission_deadline + datetime.timedelta(days=1)
    assert "Kalmar län" in str(deadline["DESCRIPTION"])
    assert str(deadline["URL"]).endswith(f"/dialoger/dialog/{world['kalmar'].dialogue_id}/inlamning/")
    day = events["Dialogdag: Dialogdag om kompetens"]
    assert day.decoded("DTSTART") == world["day"].date
    assert isinstance(day.decoded("DTSTART"), datetime.date)
    assert not isinstance(day.decoded("DTSTART"), datetime.datetime)
    assert str(day["LOCATION"]) == "Växjö"
    # Nothing of Kronoberg: not its extension, not its day; nothing of a round still being planned.
    assert not any("förlängd" in summary.lower() or "energi" in summary for summary in events)
    assert not any("planeras" in summary for summary in events)
    assert all("Kronoberg" not in str(event.get("DESCRIPTION", "")) for event in events.values())


def test_county_with_an_extension_sees_its_extended_deadline(client, other_region_user, world):
    events = _events(client, other_region_user)
    (summary,) = [s for s in events if "inlämning" in s]
    assert summary == "Förlängd sista dag för inlämning: Dialoger i år"
    assert events[summary].decoded("DTSTART") == world["kronoberg"].deadline


def test_ministry_feed_holds_every_county_deadline_and_every_day(client, ministry_user, world):
    events = _events(client, ministry_user)
    assert "Kalmar län" in str(events["Sista dag för inlämning: Dialoger i år"]["DESCRIPTION"])
    extended = events["Förlängd sista dag för inlämning: Dialoger i år"]
    assert extended.decoded("DTSTART") == world["kronoberg"].deadline
    assert "Kronobergs län" in str(extended["DESCRIPTION"])
    assert {"Dialogdag: Dialogdag om kompetens", "Dialogdag: Dialogdag om energi"} <= set(events)


def test_feed_query_count_does_not_grow_with_counties(client, ministry_user, world, django_assert_max_num_queries):
    from tests.factories.regions import RegionFactory

    for code in ("10", "12", "13"):
        SubmissionFactory(dialogue=DialogueFactory(round=world["round"], region=RegionFactory(code=code)))
    assert Submission.objects.count() == 6
    token = calendar_subscription_renew(user=ministry_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:calendar_feed", args=[token]))
