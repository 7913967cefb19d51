"""Scheduling a meeting, its agenda and "prepares" links, attendance, minutes and calendar files."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.choices import Role
from forum.choices import AttendanceStatus, MeetingStatus, SeatRole
from forum.models import AgendaItem, Attendance, Meeting
from tests.factories.forum import AgendaItemFactory, MeetingFactory, MembershipFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_meeting_create_ministry_schedules_a_meeting(client, ministry_user, civil_servants):
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:meeting_create", kwargs={"forum_pk": civil_servants.pk}),
        {
            "title": "Tjänstemannaforum hösten 2015",
            "start": "2015-10-06T10:00",
            "end": "2015-10-06T15:00",
            "place": "Näringsdepartementet, Stockholm",
            "status": MeetingStatus.PLANNED,
            "reminder_days": 7,
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert meeting.forum == civil_servants
    assert timezone.localtime(meeting.start).hour == 10
    assert "Mötet är planerat" in response.content.decode()


def test_meeting_create_ending_before_it_starts_is_refused(client, ministry_user, civil_servants):
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:meeting_create", kwargs={"forum_pk": civil_servants.pk}),
        {
            "title": "Fel",
            "start": "2015-10-06T15:00",
            "end": "2015-10-06T10:00",
            "status": "planned",
            "reminder_days": 7,
        },
    )
    assert "Mötet måste sluta efter att det börjar" in response.content.decode()
    assert not Meeting.objects.exists()


def test_meeting_create_outside_the_forum_period_is_refused(client, ministry_user, civil_servants):
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:meeting_create", kwargs={"forum_pk": civil_servants.pk}),
        {
            "title": "Fel år",
            "start": "2022-10-06T10:00",
            "end": "2022-10-06T15:00",
            "status": "planned",
            "reminder_days": 7,
        },
    )
    assert "Forumet gäller 2015–2020" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_meeting_create_agency_or_region_is_forbidden_and_nothing_saved(client, user_by_role, civil_servants, role):
    client.force_login(user_by_role[role])
    response = client.post(
        reverse("forum:meeting_create", kwargs={"forum_pk": civil_servants.pk}),
        {"title": "Obehörigt", "start": "2015-10-06T10:00", "end": "2015-10-06T15:00", "status": "planned"},
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_agenda_item_create_from_a_topic_prepares_a_politicians_item_shown_on_both_sides(
    client, ministry_user, civil_servants, politicians
):
    topic = TopicFactory(name="Kompetensförsörjning", slug="kompetensforsorjning")
    civil_meeting = MeetingFactory(forum=civil_servants, title="Tjänstemannaforum 12 maj 2015")
    target = AgendaItemFactory(meeting__forum=politicians, meeting__title="Politikerforum juni", title="Kompetens")
    client.force_login(ministry_user)
    client.post(
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": civil_meeting.pk}),
        {"position": 1, "topic": topic.pk, "title": "", "presenter": "Näringsdepartementet", "prepares": target.pk},
    )
    item = AgendaItem.objects.get(meeting=civil_meeting)
    assert (item.title, item.prepares) == ("Kompetensförsörjning", target)
    civil_html = client.get(civil_meeting.get_absolute_url()).content.decode()
    assert "Bereder" in civil_html and "Politikerforum juni" in civil_html
    politician_html = client.get(target.meeting.get_absolute_url()).content.decode()
    assert "Bereds i" in politician_html and "Tjänstemannaforum 12 maj 2015" in politician_html


def test_agenda_item_prepares_a_civil_servants_item_is_refused(client, ministry_user, civil_servants):
    meeting = MeetingFactory(forum=civil_servants)
    other = AgendaItemFactory(meeting__forum=civil_servants)
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": meeting.pk}),
        {"position": 1, "title": "Punkt", "prepares": other.pk},
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not meeting.agenda_items.exists()


def test_agenda_item_prepares_validation_refuses_wrong_kinds(civil_servants, politicians):
    from django.core.exceptions import ValidationError

    politician_item = AgendaItemFactory(meeting__forum=politicians)
    civil_item = AgendaItemFactory(meeting__forum=civil_servants)
    politician_item.prepares = AgendaItemFactory(meeting__forum=politicians)
    with pytest.raises(ValidationError, match="Bara punkter på ett möte i tjänstemannaforum"):
        politician_item.full_clean()
    civil_item.prepares = AgendaItemFactory(meeting__forum=civil_servants)
    with pytest.raises(ValidationError, match="ett möte i politikerforum"):
        civil_item.full_clean()


def test_agenda_item_create_duplicate_number_is_refused(client, ministry_user, civil_servants):
    item = AgendaItemFactory(meeting__forum=civil_servants, position=1)
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": item.meeting.pk}), {"position": 1, "title": "Ny"}
    )
    assert "Mötet har redan en punkt med det numret" in response.content.decode()
    assert item.meeting.agenda_items.count() == 1


def test_agenda_item_politicians_meeting_form_has_no_prepares_field(client, ministry_user, politicians):
    meeting = MeetingFactory(forum=politicians)
    client.force_login(ministry_user)
    html = client.get(reverse("forum:agendaitem_create", kwargs={"meeting_pk": meeting.pk})).content.decode()
    assert 'name="prepares"' not in html
    assert 'name="topic"' in html


def test_minutes_two_people_from_the_same_version_second_is_refused(client, ministry_user, admin_user, civil_servants):
    item = AgendaItemFactory(meeting__forum=civil_servants, minutes="")
    url = reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk})
    client.force_login(ministry_user)
    first = client.post(url, {"minutes": "Maria skrev detta.", "version": 1})
    assert first.status_code == 302
    client.force_login(admin_user)
    second = client.post(url, {"minutes": "Anna skrev detta.", "version": 1})
    html = second.content.decode()
    assert "Någon annan sparade detta efter att du öppnade det" in html
    assert "Anna skrev detta." in html  # the refused text is still in the form
    item.refresh_from_db()
    assert (item.minutes, item.version) == ("Maria skrev detta.", 2)


def test_minutes_saved_are_shown_on_the_meeting(client, ministry_user, civil_servants):
    item = AgendaItemFactory(meeting__forum=civil_servants)
    client.force_login(ministry_user)
    client.post(reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk}), {"minutes": "Beslut: ja.", "version": 1})
    assert "Beslut: ja." in client.get(item.meeting.get_absolute_url()).content.decode()


def test_minutes_region_user_is_forbidden_and_nothing_changed(client, region_user, civil_servants):
    item = AgendaItemFactory(meeting__forum=civil_servants, minutes="Original")
    client.force_login(region_user)
    response = client.post(reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk}), {"minutes": "X", "version": 1})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.minutes == "Original"


def test_agenda_item_update_stale_version_is_refused(client, ministry_user, civil_servants):
    item = AgendaItemFactory(meeting__forum=civil_servants, title="Gammal", position=1)
    AgendaItem.objects.filter(pk=item.pk).update(version=2)  # someone saved meanwhile
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:agendaitem_update", kwargs={"pk": item.pk}), {"position": 1, "title": "Ny", "version": 1}
    )
    assert "Någon annan sparade detta" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Gammal"


def test_attendance_record_lists_members_of_the_day_and_saves_statuses(
    client, ministry_user, civil_servants, region_county
):
    meeting = MeetingFactory(
        forum=civil_servants,
        start=timezone.make_aware(datetime.datetime(2015, 5, 12, 10)),
        end=timezone.make_aware(datetime.datetime(2015, 5, 12, 15)),
    )
    member = MembershipFactory(
        forum=civil_servants, region=region_county, role=SeatRole.REGIONAL_DIRECTOR, contact__name="Camilla Strand"
    )
    MembershipFactory(
        forum=civil_servants,
        region=region_county,
        role=SeatRole.REGIONAL_DIRECTOR,
        contact__name="Tidigare Direktör",
        valid_to=datetime.date(2015, 3, 31),
    )
    client.force_login(ministry_user)
    url = reverse("forum:attendance_update", kwargs={"meeting_pk": meeting.pk})
    form_html = client.get(url).content.decode()
    assert "Camilla Strand" in form_html
    assert "Tidigare Direktör" not in form_html
    client.post(url, {f"contact_{member.contact.pk}": AttendanceStatus.SUBSTITUTE})
    attendance = Attendance.objects.get()
    assert (attendance.contact, attendance.status) == (member.contact, AttendanceStatus.SUBSTITUTE)
    assert "Företrädd av ersättaren" in client.get(meeting.get_absolute_url()).content.decode()


def _ics(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    return Calendar.from_ical(response.content)


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_meeting_ics_has_summary_start_end_and_agenda(client, user_by_role, civil_servants, role):
    meeting = MeetingFactory(
        forum=civil_servants,
        title="Tjänstemannaforum 12 maj 2015",
        start=timezone.make_aware(datetime.datetime(2015, 5, 12, 10)),
        end=timezone.make_aware(datetime.datetime(2015, 5, 12, 15)),
        place="Stockholm",
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Regionfrågan")
    client.force_login(user_by_role[role])
    calendar = _ics(client.get(reverse("forum:meeting_ics", kwargs={"pk": meeting.pk})))
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Tjänstemannaforum 12 maj 2015"
    assert event.decoded("DTSTART") == datetime.datetime(2015, 5, 12, 8, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2015, 5, 12, 13, tzinfo=datetime.UTC)
    assert str(event["LOCATION"]) == "Stockholm"
    assert "1. Regionfrågan" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"forum-meeting-{meeting.pk}@")


def test_meeting_ics_anonymous_is_sent_to_login(client, civil_servants):
    meeting = MeetingFactory(forum=civil_servants)
    response = client.get(reverse("forum:meeting_ics", kwargs={"pk": meeting.pk}))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("n", (1, 3))
def test_forum_ics_feed_has_every_meeting_and_constant_queries(
    client, agency_user, civil_servants, django_assert_num_queries, n
):
    for meeting in MeetingFactory.create_batch(n, forum=civil_servants):
        AgendaItemFactory(meeting=meeting)
    MeetingFactory(forum=civil_servants, status=MeetingStatus.CANCELLED, title="Inställt möte")
    client.force_login(agency_user)
    # user, forum, meetings, their agenda items
    with django_assert_num_queries(4):
        response = client.get(reverse("forum:forum_ics", kwargs={"pk": civil_servants.pk}))
    events = _ics(response).walk("VEVENT")
    assert len(events) == n + 1
    cancelled = [e for e in events if str(e["SUMMARY"]) == "Inställt möte"]
    assert str(cancelled[0]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("n", (1, 3))
def test_meeting_ics_queries_do_not_grow_with_items(client, agency_user, civil_servants, django_assert_num_queries, n):
    meeting = MeetingFactory(forum=civil_servants)
    AgendaItemFactory.create_batch(n, meeting=meeting)
    client.force_login(agency_user)
    # user, meeting with forum, agenda items
    with django_assert_num_queries(3):
        response = client.get(reverse("forum:meeting_ics", kwargs={"pk": meeting.pk}))
    assert str(_ics(response).walk("VEVENT")[0]["DESCRIPTION"]).count("Dagordningspunkt") == n
