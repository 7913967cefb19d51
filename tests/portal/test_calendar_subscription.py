"""The calendar subscription: a secret address per user that Outlook or Google Calendar fetches
without logging in, holding the forum's meetings and the dialogues that user may see."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.choices import Role
from dialogues.choices import DialogueKind, DialogueStatus, RoundStatus
from forum.models import CalendarSubscription
from forum.services import calendar_subscription_renew, calendar_subscription_revoke
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory
from tests.factories.forum import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r'value="(http://testserver/forum/kalender/([\w-]+)\.ics)"')


def _page(response) -> str:
    return response.content.decode()


def _scheduled_dialogue(region, *, round_status=RoundStatus.OPEN, days_ahead=20, **kwargs):
    start = timezone.now() + datetime.timedelta(days=days_ahead)
    return DialogueFactory(
        round=DialogueRoundFactory(status=round_status),
        region=region,
        start=start,
        end=start + datetime.timedelta(hours=3),
        place=f"Regionhuset i {region.name}",
        **kwargs,
    )


@pytest.fixture
def dialogues(region_a, region_b):
    """Kalmar's and Kronoberg's scheduled dialogues, and Kalmar's in a round still being planned."""
    return {
        "kalmar": _scheduled_dialogue(region_a),
        "kronoberg": _scheduled_dialogue(region_b),
        "kalmar_planning": _scheduled_dialogue(
            region_a, round_status=RoundStatus.PLANNING, kind=DialogueKind.DEEP_DIVE, topic="Planerad fördjupning"
        ),
    }


@pytest.fixture
def meeting(civil_servants):
    meeting = MeetingFactory(forum=civil_servants, title="Tjänstemannaforum i höst")
    AgendaItemFactory(meeting=meeting, position=1, title="Kompetensförsörjning")
    return meeting


def _feed(client, token):
    return client.get(reverse("portal:calendar_feed", args=[token]))


def _events(response) -> dict[str, object]:
    """The feed's events by UID."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(event["UID"]).split("@")[0]: event for event in Calendar.from_ical(response.content).walk("VEVENT")}


# --- The page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_subscription_page_create_shows_the_address_once(client, user_by_role, role):
    user = user_by_role[role]
    client.force_login(user)
    url = reverse("portal:calendar_subscription")
    html = _page(client.get(url))
    assert "Du har ingen prenumerationsadress." in html
    assert "Skapa en adress</button>" in html

    response = client.post(url, {"action": "renew"}, follow=True)
    html = _page(response)
    assert "Din nya prenumerationsadress är klar." in html
    address, token = ADDRESS.search(html).groups()
    assert f'href="webcal://testserver/forum/kalender/{token}.ics"' in html
    assert "Du har en prenumerationsadress, skapad" in html
    assert "no-store" in response["Cache-Control"]

    html = _page(client.get(url))
    assert token not in html  # shown once: only its digest is kept
    assert "Du har en prenumerationsadress, skapad" in html
    subscription = CalendarSubscription.objects.get(user=user)
    assert subscription.token_digest == hashlib.sha256(token.encode()).hexdigest()
    client.logout()
    assert client.get(address).status_code == 200  # the address as shown, without a log-in


def test_subscription_page_new_address_replaces_the_old_one(client, region_user):
    client.force_login(region_user)
    url = reverse("portal:calendar_subscription")
    first = ADDRESS.search(_page(client.post(url, {"action": "renew"}, follow=True)))[2]
    second = ADDRESS.search(_page(client.post(url, {"action": "renew"}, follow=True)))[2]
    assert first != second
    assert _feed(client, first).status_code == 404
    assert _feed(client, second).status_code == 200
    assert CalendarSubscription.objects.filter(user=region_user).count() == 1


def test_subscription_page_stop_makes_the_address_404(client, agency_user):
    token = calendar_subscription_renew(user=agency_user)
    client.force_login(agency_user)
    response = client.post(reverse("portal:calendar_subscription"), {"action": "revoke"}, follow=True)
    html = _page(response)
    assert "Adressen fungerar inte längre." in html
    assert "Du har ingen prenumerationsadress." in html
    client.logout()
    assert _feed(client, token).status_code == 404


# (a NUL byte never reaches the view: tests/core/test_bad_input.py)
@pytest.mark.parametrize("action", ["", "delete-all", "<script>"])
def test_subscription_page_unknown_action_says_so_and_changes_nothing(client, ministry_user, action):
    token = calendar_subscription_renew(user=ministry_user)
    digest = CalendarSubscription.objects.get().token_digest
    client.force_login(ministry_user)
    response = client.post(reverse("portal:calendar_subscription"), {"action": action})
    assert response.status_code == 200
    assert "Begäran kunde inte tolkas, och inget har ändrats." in _page(response)
    assert CalendarSubscription.objects.get().token_digest == digest
    assert _feed(client, token).status_code == 200


def test_meeting_list_links_to_the_subscription_page(client, agency_user):
    client.force_login(agency_user)
    html = _page(client.get(reverse("forum:meeting_list")))
    assert reverse("portal:calendar_subscription") in html
    assert "Prenumerera i Outlook eller Google Kalender" in html


# --- The feed --------------------------------------------------------------------------------------


def test_feed_needs_no_log_in_and_holds_meetings_and_dialogues(client, region_user, meeting, dialogues):
    token = calendar_subscription_renew(user=region_user)
    response = _feed(client, token)  # an anonymous client, as a calendar program is
    events = _events(response)
    assert "no-store" in response["Cache-Control"]
    assert set(events) == {f"forum-meeting-{meeting.pk}", f"dialogue-{dialogues['kalmar'].pk}"}
    meeting_event = events[f"forum-meeting-{meeting.pk}"]
    assert str(meeting_event["SUMMARY"]) == "Tjänstemannaforum i höst"
    assert "1. Kompetensförsörjning" in str(meeting_event["DESCRIPTION"])
    dialogue_event = events[f"dialogue-{dialogues['kalmar'].pk}"]
    assert str(dialogue_event["SUMMARY"]).startswith("Kalmar län: Regionala utvecklingsdialoger")
    assert str(dialogue_event["LOCATION"]) == "Regionhuset i Kalmar län"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Forummöten och dialoger"


def test_a_dialogue_looks_the_same_in_the_feed_as_in_its_download(client, region_user, meeting, dialogues):
    """The feed composes each app's own events (issue 16): a dialogue's event is its download's event."""
    kalmar = dialogues["kalmar"]
    feed_event = _events(_feed(client, calendar_subscription_renew(user=region_user)))[f"dialogue-{kalmar.pk}"]
    client.force_login(region_user)
    download = client.get(reverse("dialogues:dialogue_ics", args=[kalmar.pk]))
    (download_event,) = Calendar.from_ical(download.content).walk("VEVENT")
    assert dict(feed_event.items()) == dict(download_event.items())
    assert str(feed_event["STATUS"]) == "CONFIRMED"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MINISTRY, {"kalmar", "kronoberg", "kalmar_planning"}),
        (Role.AGENCY, {"kalmar", "kronoberg", "kalmar_planning"}),
        (Role.ADMIN, {"kalmar", "kronoberg", "kalmar_planning"}),
        # A county's user: its own county's dialogues, and nothing of a round still being planned.
        (Role.REGION, {"kalmar"}),
    ],
)
def test_feed_holds_the_dialogues_the_role_may_see(client, user_by_role, meeting, dialogues, role, expected):
    events = _events(_feed(client, calendar_subscription_renew(user=user_by_role[role])))
    assert f"forum-meeting-{meeting.pk}" in events  # everyone reads the forum
    assert {key for key, dialogue in dialogues.items() if f"dialogue-{dialogue.pk}" in events} == expected


def test_feed_county_b_token_never_yields_county_as_dialogues(client, other_region_user, region_user, dialogues):
    response = _feed(client, calendar_subscription_renew(user=other_region_user))
    events = _events(response)
    assert set(events) == {f"dialogue-{dialogues['kronoberg'].pk}"}
    body = response.content.decode()
    assert "Kalmar" not in body
    assert "Planerad fördjupning" not in body
    # Logged in as Kalmar's user changes nothing: the token decides, not the session.
    client.force_login(region_user)
    assert set(_events(_feed(client, calendar_subscription_renew(user=other_region_user)))) == set(events)


def test_feed_unknown_stopped_or_inactive_token_is_404(client, region_user, agency_user):
    assert _feed(client, "gissad-adress").status_code == 404
    stopped = calendar_subscription_renew(user=region_user)
    calendar_subscription_revoke(user=region_user)
    assert _feed(client, stopped).status_code == 404
    inactive = calendar_subscription_renew(user=agency_user)
    agency_user.is_active = False
    agency_user.save()
    response = _feed(client, inactive)
    assert response.status_code == 404
    assert "BEGIN:VCALENDAR" not in response.content.decode()


def test_feed_takes_no_post(client, region_user):
    token = calendar_subscription_renew(user=region_user)
    assert client.post(reverse("portal:calendar_feed", args=[token])).status_code == 405
    assert client.head(reverse("portal:calendar_feed", args=[token])).status_code == 200


def test_feed_leaves_out_what_ended_more_than_a_year_ago(client, ministry_user, civil_servants, region_a):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    old = MeetingFactory(forum=civil_servants, start=long_ago, end=long_ago + datetime.timedelta(hours=2))
    recent = MeetingFactory(
        forum=civil_servants, start=timezone.now() - datetime.timedelta(days=100), end=timezone.now()
    )
    old_dialogue = _scheduled_dialogue(region_a, days_ahead=-400, status=DialogueStatus.HELD)
    events = _events(_feed(client, calendar_subscription_renew(user=ministry_user)))
    assert f"forum-meeting-{recent.pk}" in events
    assert f"forum-meeting-{old.pk}" not in events
    assert f"dialogue-{old_dialogue.pk}" not in events


@pytest.mark.parametrize("n", (1, 3))
def test_feed_queries_do_not_grow_with_meetings_and_dialogues(
    client, ministry_user, civil_servants, region_a, django_assert_num_queries, n
):
    for _ in range(n):
        AgendaItemFactory(meeting=MeetingFactory(forum=civil_servants))
        _scheduled_dialogue(region_a)
    token = calendar_subscription_renew(user=ministry_user)
    # the subscription with its user, meetings with their forum, their agenda items, dialogues,
    # dialogue days, submission deadlines
    with django_assert_num_queries(6):
        events = _events(_feed(client, token))
    assert len(events) == 2 * n
