"""A forum meeting's minutes as a PDF document (issue 14): the reports' pipeline and cover, UTKAST
until the ministry approves the minutes, the approval and its refusals, who may download it, the
bounds that keep it small, and the link in the meeting's calendar file."""

import datetime
import io
import threading
import time

import pdfplumber
import pikepdf
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from accounts.choices import Role
from core.pdf import static_file_allowed
from forum import services
from forum.choices import AttendanceStatus, SeatRole
from forum.models import MAX_AGENDA_ITEMS, MINUTES_MAX_LENGTH, AgendaItem
from tests.factories.forum import AgendaItemFactory, AttendanceFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


@pytest.fixture
def meeting(civil_servants, region_county):
    """A civil servants' forum meeting of May 2015 with three items (made out of order), a member
    present and one absent."""
    meeting = MeetingFactory(
        forum=civil_servants,
        title="Tjänstemannaforum maj",
        start=timezone.make_aware(datetime.datetime(2015, 5, 12, 10)),
        end=timezone.make_aware(datetime.datetime(2015, 5, 12, 15)),
        place="Rosenbad, Stockholm",
    )
    AgendaItemFactory(meeting=meeting, position=3, title="Övriga frågor", minutes="Inga övriga frågor.")
    AgendaItemFactory(meeting=meeting, position=1, title="Mötets öppnande", minutes="Ordföranden öppnade mötet.")
    AgendaItemFactory(meeting=meeting, position=2, title="Regionfrågan", minutes="Forumet diskuterade regionfrågan.")
    present = MembershipFactory(
        forum=civil_servants, region=region_county, role=SeatRole.REGIONAL_DIRECTOR, contact__name="Camilla Strand"
    )
    absent = MembershipFactory(forum=civil_servants, region=None, contact__name="Sven Ek")
    AttendanceFactory(meeting=meeting, contact=present.contact, status=AttendanceStatus.PRESENT)
    AttendanceFactory(meeting=meeting, contact=absent.contact, status=AttendanceStatus.ABSENT)
    return meeting


def _download(client, meeting):
    return client.get(reverse("forum:meeting_minutes_pdf", kwargs={"pk": meeting.pk}))


def test_minutes_pdf_has_the_cover_attendance_per_seat_and_the_items_in_order_marked_draft(
    client, agency_user, meeting
):
    client.force_login(agency_user)

    pages = _pages(_download(client, meeting).content)

    assert all("UTKAST" in page for page in pages), pages
    cover = " ".join(pages[0].split())  # the title may wrap
    for particular in (
        "Näringsdepartementet",
        "Enheten för regional tillväxt",
        "Tjänstemannaforum 2015–2020",
        "Tjänstemannaforum Period 2015–2020",
        "Protokoll: Tjänstemannaforum maj",
        "12 maj 2015 10:00–15:00",
        "Rosenbad, Stockholm",
        "Inte godkänt (utkast)",
    ):
        assert particular in cover, particular
    text = "\n".join(pages)
    assert "Skåne län, Regiondirektör" in text and "Camilla Strand Närvarande" in text
    assert "Sven Ek Frånvarande" in text
    positions = [
        text.index(words)
        for words in (
            "1. Mötets öppnande",
            "Ordföranden öppnade mötet.",
            "2. Regionfrågan",
            "Forumet diskuterade regionfrågan.",
            "3. Övriga frågor",
            "Inga övriga frågor.",
        )
    ]
    assert positions == sorted(positions)


def test_approved_minutes_pdf_has_no_draft_mark_and_the_approval_date_on_its_cover(client, ministry_user, meeting):
    client.force_login(ministry_user)

    page = client.post(reverse("forum:meeting_minutes_approve", kwargs={"pk": meeting.pk}), follow=True)

    assert "Protokollet godkändes" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by == ministry_user
    pages = _pages(_download(client, meeting).content)
    assert not any("UTKAST" in page for page in pages)
    day = timezone.localdate(meeting.minutes_approved_at)
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december"]  # fmt: skip
    assert f"{day.day} {months[day.month - 1]} {day.year}" in pages[0]


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_everyone_who_reads_the_meeting_downloads_its_minutes_with_the_date_in_the_name(
    client, user_by_role, meeting, role
):
    client.force_login(user_by_role[role])

    response = _download(client, meeting)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="protokoll-2015-05-12-mote-{meeting.pk}.pdf"'
    assert "Mötets öppnande" in "".join(_pages(response.content))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("forum:meeting_minutes_pdf", kwargs={"pk": meeting.pk}) in page


def test_a_county_user_of_another_county_downloads_the_minutes_too_and_anonymous_is_sent_to_log_in(
    client, other_region_user, meeting
):
    # The forum is not private to a county (forum/rules.py: every logged-in role reads it).
    response = _download(client, meeting)
    assert response.status_code == 302 and reverse("login") in response["Location"]

    client.force_login(other_region_user)
    assert "Regionfrågan" in "".join(_pages(_download(client, meeting).content))


def test_approving_minutes_with_nothing_written_is_refused_and_changes_nothing(client, ministry_user, civil_servants):
    empty = MeetingFactory(forum=civil_servants, start=timezone.make_aware(datetime.datetime(2016, 3, 1, 10)))
    AgendaItemFactory(meeting=empty, minutes="")
    client.force_login(ministry_user)

    page = client.post(reverse("forum:meeting_minutes_approve", kwargs={"pk": empty.pk}), follow=True)

    assert "Inget är skrivet i protokollet" in page.content.decode()
    empty.refresh_from_db()
    assert empty.minutes_approved_at is None and empty.minutes_approved_by is None


@pytest.mark.parametrize("role", [Role.AGENCY, Role.REGION])
def test_approving_minutes_is_refused_to_all_but_the_ministry(client, user_by_role, meeting, role):
    client.force_login(user_by_role[role])

    response = client.post(reverse("forum:meeting_minutes_approve", kwargs={"pk": meeting.pk}))

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes_approved_at is None
    assert "Godkänn protokollet" not in client.get(meeting.get_absolute_url()).content.decode()


def test_approved_minutes_can_no_longer_be_edited_and_the_page_says_why(client, ministry_user, meeting):
    client.force_login(ministry_user)
    client.post(reverse("forum:meeting_minutes_approve", kwargs={"pk": meeting.pk}))
    item = meeting.agenda_items.get(position=2)

    page = client.post(
        reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk}), {"minutes": "Ändrat i efterhand.", "version": 1}
    ).content.decode()

    assert "kan inte längre ändras" in page
    item.refresh_from_db()
    assert item.minutes == "Forumet diskuterade regionfrågan."
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk}) not in meeting_page
    assert "Godkänn protokollet" not in meeting_page


def test_minutes_longer_than_the_bound_are_refused_by_the_form(client, ministry_user, meeting):
    client.force_login(ministry_user)
    item = meeting.agenda_items.get(position=1)

    page = client.post(
        reverse("forum:agendaitem_minutes", kwargs={"pk": item.pk}),
        {"minutes": "x" * (MINUTES_MAX_LENGTH + 1), "version": 1},
    ).content.decode()

    assert f"som mest {MINUTES_MAX_LENGTH} tecken (den har {MINUTES_MAX_LENGTH + 1})" in page
    item.refresh_from_db()
    assert item.minutes == "Ordföranden öppnade mötet."


def test_an_agenda_has_at_most_its_bound_of_items(client, ministry_user, civil_servants):
    full = MeetingFactory(forum=civil_servants, start=timezone.make_aware(datetime.datetime(2016, 3, 1, 10)))
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=full, position=n, title=f"Punkt {n}") for n in range(1, MAX_AGENDA_ITEMS + 1)
    )
    client.force_login(ministry_user)

    page = client.post(
        reverse("forum:agendaitem_create", kwargs={"meeting_pk": full.pk}), {"position": 99, "title": "En till"}
    ).content.decode()

    assert f"högst {MAX_AGENDA_ITEMS} dagordningspunkter" in page
    assert full.agenda_items.count() == MAX_AGENDA_ITEMS


def _structure_types(node, found=None, depth=0) -> set[str]:
    found = set() if found is None else found
    if depth > 60:
        return found
    if isinstance(node, pikepdf.Array):
        for child in node:
            _structure_types(child, found, depth + 1)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            _structure_types(node.K, found, depth + 1)
    return found


def test_minutes_pdf_is_tagged_with_its_language_title_and_table_header_cells(client, agency_user, meeting):
    client.force_login(agency_user)

    pdf = pikepdf.open(io.BytesIO(_download(client, meeting).content))

    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.Root.Lang) == "sv"
    assert str(pdf.docinfo["/Title"]) == "Protokoll: Tjänstemannaforum maj"
    types = _structure_types(pdf.Root.StructTreeRoot.K)
    assert {"/Table", "/TH", "/TD", "/H1", "/H2", "/H3", "/P"} <= types, types


def test_the_renderer_reads_only_our_static_files():
    static = settings.STATICFILES_DIRS[0]
    assert static_file_allowed((static / "followup" / "followup.css").as_uri())
    assert static_file_allowed("data:text/plain,hej")
    assert not static_file_allowed((settings.BASE_DIR / "config" / "settings.py").as_uri())
    assert not static_file_allowed((static / ".." / "config" / "settings.py").as_uri())
    assert not static_file_allowed("file:///etc/passwd")
    assert not static_file_allowed("https://example.com/bild.png")


def _description(client, meeting) -> str:
    calendar = Calendar.from_ical(client.get(reverse("forum:meeting_ics", kwargs={"pk": meeting.pk})).content)
    return str(calendar.walk("VEVENT")[0]["DESCRIPTION"])


def test_meeting_ics_links_the_minutes_pdf_once_minutes_exist(client, agency_user, meeting, civil_servants, settings):
    settings.PORTAL_URL = "https://portal.example.se"
    client.force_login(agency_user)
    link = "https://portal.example.se" + reverse("forum:meeting_minutes_pdf", kwargs={"pk": meeting.pk})
    assert f"Protokoll (pdf): {link}" in _description(client, meeting)

    unwritten = MeetingFactory(forum=civil_servants)
    AgendaItemFactory(meeting=unwritten, minutes="")
    assert "Protokoll (pdf)" not in _description(client, unwritten)


@pytest.mark.parametrize("n", (1, 3))
def test_minutes_pdf_queries_do_not_grow_with_items_or_attendance(
    client, agency_user, civil_servants, django_assert_num_queries, n
):
    meeting = MeetingFactory(forum=civil_servants, start=timezone.make_aware(datetime.datetime(2016, 3, 1, 10)))
    for i in range(n):
        AgendaItemFactory(meeting=meeting, minutes=f"Protokolltext {i}.")
        seat = MembershipFactory(forum=civil_servants, contact__name=f"Ledamot {i}")
        AttendanceFactory(meeting=meeting, contact=seat.contact)
    client.force_login(agency_user)
    # user, meeting with forum, agenda items, attendance with contacts, seats of the day
    with django_assert_num_queries(5):
        response = _download(client, meeting)
    assert "".join(_pages(response.content)).count("Protokolltext") == n


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_minutes_saved_while_the_ministry_approves_wait_for_the_approval_and_are_refused(ministry_user):
    meeting = MeetingFactory(start=timezone.make_aware(datetime.datetime(2016, 3, 1, 10)))
    item = AgendaItemFactory(meeting=meeting, minutes="Beslut: ja.")
    outcome = {}

    def save_minutes():
        try:
            with translation.override("en"):
                services.agenda_item_minutes_save(item=item, minutes="Beslut: nej.", expected_version=1)
            outcome["saved"] = True
        except ValidationError as error:
            outcome["refused"] = " ".join(error.messages)
        finally:
            connection.close()  # the thread's own connection

    writer = threading.Thread(target=save_minutes)
    with transaction.atomic():
        services.meeting_minutes_approve(meeting=meeting, user=ministry_user)
        writer.start()
        deadline = time.monotonic() + 30
        while _waiting_on_locks() == 0 and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)  # the save waits for the approval's lock on the meeting
        assert writer.is_alive(), outcome
    writer.join(30)

    assert "can no longer be changed" in outcome.get("refused", ""), outcome
    item.refresh_from_db()
    assert item.minutes == "Beslut: ja."
