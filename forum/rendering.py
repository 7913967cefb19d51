"""A meeting's minutes as a PDF document (core/pdf.py: the same pipeline, cover and page
furniture as the feedback reports): sender, forum and period, the meeting's particulars, who
attended on each seat, and the agenda items in order with their minutes. "UTKAST" on every page
until the ministry approves the minutes; the approval date on the cover after.

Rendered on request: a meeting has at most MAX_AGENDA_ITEMS items of at most MINUTES_MAX_LENGTH
characters each. The largest possible meeting (25 items of 4,000 characters with the longest
titles, 60 seats) is a 55-page PDF of about 100 kB that costs about 3 s of CPU and 190 MB of memory
to render (measured December 2026 on the 2-core test machine); an ordinary meeting costs a tenth
of a second.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import SENDER, SENDER_UNIT, page_words, render_pdf

from .models import Meeting
from .selectors import members_on


@dataclass
class SeatAttendance:
    """One row of the attendance table: the seat (county and role), who holds it and whether they came."""

    seat: str
    member: str
    attendance: str


def attendance_rows(meeting: Meeting) -> list[SeatAttendance]:
    """Every seat running on the meeting's day with its attendance ("Not recorded" where none is),
    then anyone recorded who holds no seat that day. `meeting.attendances` should be prefetched."""
    recorded = {a.contact_id: a for a in meeting.attendances.all()}
    national = _("national seat")
    not_recorded = _("Not recorded")
    rows, listed = [], set()
    for membership in members_on(meeting):
        attendance = recorded.get(membership.contact_id)
        rows.append(
            SeatAttendance(
                seat=f"{membership.region or national}, {membership.get_role_display()}",
                member=membership.contact.name,
                attendance=attendance.get_status_display() if attendance else not_recorded,
            )
        )
        listed.add(membership.contact_id)
    for contact_id, attendance in recorded.items():
        if contact_id not in listed:
            status = attendance.get_status_display()
            rows.append(SeatAttendance(seat="–", member=attendance.contact.name, attendance=status))
    return rows


def minutes_title(meeting: Meeting) -> str:
    return _("Minutes: {meeting}").format(meeting=meeting.title)


def minutes_context(meeting: Meeting) -> dict:
    forum = meeting.forum
    return {
        "meeting": meeting,
        "forum": forum,
        "title": minutes_title(meeting),
        "sender": SENDER,
        "sender_unit": SENDER_UNIT,
        "author": SENDER,
        "draft": not meeting.minutes_approved,
        "approved_on": timezone.localdate(meeting.minutes_approved_at) if meeting.minutes_approved else None,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "items": list(meeting.agenda_items.all()),
        "attendance": attendance_rows(meeting),
    }


def minutes_html(meeting: Meeting) -> str:
    """The minutes as the HTML WeasyPrint renders, in the active language."""
    return render_to_string("pdf/meeting_minutes.html", minutes_context(meeting) | page_words())


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as a tagged PDF (load the meeting with `selectors.meeting_for_minutes`)."""
    return render_pdf(minutes_html(meeting))
