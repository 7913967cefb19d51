"""Read views: what each page shows, that every role reads it, and that its queries do not grow with rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from forum.choices import SeatRole
from forum.models import Meeting
from forum.views import FORUM_MEETINGS_SHOWN, MeetingListView
from tests.factories.forum import AgendaItemFactory, AttendanceFactory, MeetingFactory, MembershipFactory
from tests.factories.regions import RegionFactory, ResponsibilityPeriodFactory
from tests.pages import FIRST_AND_LATER_PAGE, page_label, rows_on, sizes_over_a_page

pytestmark = pytest.mark.django_db

ALL_ROLES = [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN]


def _counties_with_directors(forum, n):
    for _ in range(n):
        region = RegionFactory()
        ResponsibilityPeriodFactory(region=region, valid_from=2010)
        MembershipFactory(forum=forum, region=region, role=SeatRole.REGIONAL_DIRECTOR)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_forum_list_every_role_sees_the_fora_and_their_chair(client, user_by_role, politicians, civil_servants, role):
    client.force_login(user_by_role[role])
    html = client.get(reverse("forum:forum_list")).content.decode()
    assert "Politikerforum 2015–2020" in html
    assert "Tjänstemannaforum 2015–2020" in html


@pytest.mark.parametrize("n", (1, 3))
def test_forum_list_queries_do_not_grow_with_meetings(client, ministry_user, politicians, django_assert_num_queries, n):
    MeetingFactory.create_batch(n, forum=politicians)
    client.force_login(ministry_user)
    # user, fora with meeting counts, upcoming meetings
    with django_assert_num_queries(3):
        response = client.get(reverse("forum:forum_list"))
    assert response.content.decode().count(">Forummöte") == n


@pytest.mark.parametrize("role", ALL_ROLES)
def test_forum_detail_every_role_sees_members_of_the_year(client, user_by_role, civil_servants, region_county, role):
    MembershipFactory(
        forum=civil_servants, region=region_county, role=SeatRole.REGIONAL_DIRECTOR, contact__name="Camilla Strand"
    )
    client.force_login(user_by_role[role])
    html = client.get(reverse("forum:forum_detail", kwargs={"pk": civil_servants.pk}) + "?year=2015").content.decode()
    assert "Camilla Strand" in html
    assert "Regiondirektör (eller motsvarande)" in html
    # Only the ministry (and administrators) are offered the forms.
    assert ("Lägg till en ledamot" in html) is (role in (Role.MINISTRY, Role.ADMIN))


@pytest.mark.parametrize(
    "meetings", (pytest.param(3, id="few-meetings"), pytest.param(2 * FORUM_MEETINGS_SHOWN, id="meetings>shown"))
)
@pytest.mark.parametrize("n", (1, 3))
def test_forum_detail_queries_do_not_grow_with_members_or_meetings(
    client, ministry_user, civil_servants, django_assert_num_queries, n, meetings
):
    _counties_with_directors(civil_servants, n)
    first = timezone.now() - datetime.timedelta(days=7 * meetings)
    Meeting.objects.bulk_create(
        Meeting(
            forum=civil_servants,
            title=f"Forummöte {i:03d}",
            start=first + datetime.timedelta(days=7 * i),
            end=first + datetime.timedelta(days=7 * i, hours=3),
        )
        for i in range(meetings)
    )
    client.force_login(ministry_user)
    # user, forum with chair and its number of meetings, memberships, the latest meetings, the period
    # covering this year (2015–2020 does not)
    with django_assert_num_queries(5):
        response = client.get(reverse("forum:forum_detail", kwargs={"pk": civil_servants.pk}) + "?year=2015")
    html = response.content.decode()
    assert html.count("Regiondirektör (eller motsvarande)") == n
    shown = min(meetings, FORUM_MEETINGS_SHOWN)
    assert html.count(">Forummöte ") == shown
    assert f">Forummöte {meetings - 1:03d}<" in html  # the latest first
    earlier = f'href="{reverse("forum:meeting_list")}?when=past&amp;forum={civil_servants.pk}"'
    if meetings > shown:  # the page says how many it leaves out and links to the rest
        note = html[html.rindex("<p>", 0, html.index(earlier)) : html.index(earlier)]
        assert f"{shown} " in note and f" {meetings} " in note
    else:
        assert earlier not in html


def test_composition_marks_empty_seats_with_text(client, agency_user, politicians, board_county, region_county):
    MembershipFactory(
        forum=politicians, region=board_county, role=SeatRole.COUNTY_GOVERNOR, contact__name="Sven Lundmark"
    )
    MembershipFactory(forum=politicians, contact__name="Lena Forsberg")  # SKL
    client.force_login(agency_user)
    html = client.get(reverse("forum:forum_composition", kwargs={"pk": politicians.pk}) + "?year=2015").content.decode()
    assert (
        "Landshövding:</span>\n                  \n                    Sven Lundmark" in html or "Sven Lundmark" in html
    )
    # Västmanland (county board in 2015): the governor sits, four politician seats are empty.
    assert "4 tomma" in html
    # Skåne (region): both regional politician seats are empty.
    assert "2 tomma" in html
    assert html.count("Tom plats") == 6
    assert "Lena Forsberg" in html
    assert "2 av 8 platser är tillsatta; 6 är tomma, i 2 län." in html


def test_composition_follows_the_change_of_responsible_body(client, agency_user, politicians, board_county):
    client.force_login(agency_user)
    url = reverse("forum:forum_composition", kwargs={"pk": politicians.pk})
    assert "Landshövding" in client.get(url + "?year=2016").content.decode()
    html_2017 = client.get(url + "?year=2017").content.decode()
    assert "Landshövding" not in html_2017
    assert "Regionpolitiker, majoritet" in html_2017


def test_composition_member_whose_seat_no_longer_fits_is_flagged(client, agency_user, politicians, board_county):
    MembershipFactory(
        forum=politicians,
        region=board_county,
        role=SeatRole.COUNTY_GOVERNOR,
        contact__name="Sven Lundmark",
        valid_to=datetime.date(2016, 12, 31),
    )
    # Saved without validation, as if the responsibility history had been corrected afterwards.
    from forum.models import Membership

    Membership.objects.update(valid_to=None)
    client.force_login(agency_user)
    html = client.get(reverse("forum:forum_composition", kwargs={"pk": politicians.pk}) + "?year=2018").content.decode()
    assert "Platsen passar inte länet detta år" in html
    assert "Sven Lundmark" in html


def test_composition_only_gaps_filter_hides_full_counties(client, ministry_user, civil_servants, region_county):
    MembershipFactory(forum=civil_servants, region=region_county, role=SeatRole.REGIONAL_DIRECTOR)
    other = RegionFactory(name="Gotlands län")
    ResponsibilityPeriodFactory(region=other, body_type="municipality", valid_from=1997)
    client.force_login(ministry_user)
    url = reverse("forum:forum_composition", kwargs={"pk": civil_servants.pk})
    html = client.get(url + "?year=2015&empty=1").content.decode()
    assert "Gotlands län" in html
    assert "Skåne län" not in html


@pytest.mark.parametrize("n", (1, 3))
def test_composition_queries_do_not_grow_with_counties(
    client, ministry_user, civil_servants, django_assert_num_queries, n
):
    _counties_with_directors(civil_servants, n)
    client.force_login(ministry_user)
    # user, forum, memberships, counties, their periods, the forum period covering this year
    with django_assert_num_queries(6):
        response = client.get(reverse("forum:forum_composition", kwargs={"pk": civil_servants.pk}) + "?year=2015")
    assert "Alla tillsatta" in response.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_meeting_list_every_role_sees_upcoming_not_past(client, user_by_role, civil_servants, role):
    MeetingFactory(forum=civil_servants, title="Höstens tjänstemannaforum")
    MeetingFactory(
        forum=civil_servants,
        title="Tjänstemannaforum 12 maj 2015",
        start=timezone.make_aware(datetime.datetime(2015, 5, 12, 10)),
        end=timezone.make_aware(datetime.datetime(2015, 5, 12, 15)),
    )
    client.force_login(user_by_role[role])
    upcoming = client.get(reverse("forum:meeting_list")).content.decode()
    past = client.get(reverse("forum:meeting_list") + "?when=past").content.decode()
    assert "Höstens tjänstemannaforum" in upcoming and "12 maj 2015" not in upcoming
    assert "Tjänstemannaforum 12 maj 2015" in past and "Höstens" not in past


MEETINGS_PER_PAGE = MeetingListView.paginate_by


@pytest.mark.parametrize("when", ("upcoming", "past"))
@pytest.mark.parametrize("n", sizes_over_a_page(MEETINGS_PER_PAGE))
@FIRST_AND_LATER_PAGE
def test_meeting_list_queries_do_not_grow_with_meetings(
    client, ministry_user, civil_servants, django_assert_num_queries, when, n, page
):
    # a meeting a week, from the next (upcoming) or the last (past) onwards
    step = datetime.timedelta(days=7 if when == "upcoming" else -7)
    first = timezone.now() + 4 * step
    Meeting.objects.bulk_create(
        Meeting(
            forum=civil_servants,
            title=f"Forummöte {i:03d}",
            start=first + i * step,
            end=first + i * step + datetime.timedelta(hours=3),
        )
        for i in range(n)
    )
    client.force_login(ministry_user)
    # user, count for the pages, meetings with forum, fora for the filter, fora for the feeds
    with django_assert_num_queries(5):
        response = client.get(reverse("forum:meeting_list"), {"when": when, "page": page})
    html = response.content.decode()
    assert html.count(">Forummöte") == rows_on(page, total=n, per_page=MEETINGS_PER_PAGE)
    assert f">Forummöte {(page - 1) * MEETINGS_PER_PAGE:03d}<" in html  # the nearest first
    assert page_label(page, total=n, per_page=MEETINGS_PER_PAGE) in html


@pytest.mark.parametrize("role", ALL_ROLES)
def test_meeting_detail_every_role_sees_agenda_attendance_and_minutes(client, user_by_role, civil_servants, role):
    item = AgendaItemFactory(meeting__forum=civil_servants, title="Regionfrågan", minutes="Diskuterades.")
    AttendanceFactory(meeting=item.meeting, contact__name="Olof Larsson")
    client.force_login(user_by_role[role])
    html = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "Regionfrågan" in html
    assert "Diskuterades." in html
    assert "Olof Larsson" in html and "Närvarande" in html
    assert ("Registrera närvaro" in html) is (role in (Role.MINISTRY, Role.ADMIN))


@pytest.mark.parametrize("n", (1, 3))
def test_meeting_detail_queries_do_not_grow_with_items(
    client, ministry_user, civil_servants, politicians, django_assert_num_queries, n
):
    meeting = MeetingFactory(forum=civil_servants)
    target_meeting = MeetingFactory(forum=politicians)
    for _ in range(n):
        target = AgendaItemFactory(meeting=target_meeting)
        AgendaItemFactory(meeting=meeting, prepares=target)
        AttendanceFactory(meeting=meeting)
    client.force_login(ministry_user)
    # user, meeting with forum, items (with topic and prepared item), prepared_by, attendance, documents
    with django_assert_num_queries(6):
        response = client.get(meeting.get_absolute_url())
    assert response.content.decode().count("Bereder") == n


def test_meeting_list_filters_by_forum_and_paginates(client, agency_user, civil_servants, politicians):
    MeetingFactory.create_batch(21, forum=civil_servants, title="Tjänstemannamöte")
    MeetingFactory(forum=politicians, title="Politikermöte")
    client.force_login(agency_user)
    url = reverse("forum:meeting_list")
    only_politicians = client.get(url, {"forum": politicians.pk}).content.decode()
    assert ">Politikermöte" in only_politicians and ">Tjänstemannamöte" not in only_politicians
    first = client.get(url, {"forum": civil_servants.pk}).content.decode()
    assert first.count(">Tjänstemannamöte") == 20
    assert f"forum={civil_servants.pk}&amp;page=2" in first
    second = client.get(url, {"forum": civil_servants.pk, "page": 2}).content.decode()
    assert second.count(">Tjänstemannamöte") == 1
