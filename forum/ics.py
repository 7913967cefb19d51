"""iCalendar (.ics) files for meetings, so people can put them into Outlook or any other calendar."""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .choices import MeetingStatus
from .models import Meeting

PRODID = "-//Regionala utvecklingsdialoger//Forum//SV"
_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_local_times(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    return timezone.localtime(meeting.start), timezone.localtime(meeting.end)


def minutes_link(meeting: Meeting, *, host: str) -> str:
    """The absolute address of the meeting's minutes PDF: under PORTAL_URL, else under the host the
    request came to (as the dialogues' events link to their pages)."""
    path = reverse("forum:meeting_minutes_pdf", kwargs={"pk": meeting.pk})
    return (settings.PORTAL_URL or f"https://{host}") + path


def _event(meeting: Meeting, *, host: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"forum-meeting-{meeting.pk}@{host}")
    event.add("dtstamp", stamp)
    # UTC times: every calendar program reads them without a VTIMEZONE block.
    event.add("dtstart", meeting.start.astimezone(datetime.UTC))
    event.add("dtend", meeting.end.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    items = list(meeting.agenda_items.all())
    agenda = "\n".join(f"{item.position}. {item.title}" for item in items)
    description = f"{meeting.forum.name}\n\n{agenda}".strip()
    if any(item.minutes for item in items):
        description += "\n\n" + _("Minutes (PDF): {link}").format(link=minutes_link(meeting, host=host))
    event.add("description", description)
    event.add("status", _STATUS[meeting.status])
    return event


def new_calendar(name: str) -> Calendar:
    """An empty VCALENDAR named `name`, with the portal's PRODID."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_events(meetings: Iterable[Meeting], *, host: str) -> Iterator[Event]:
    """An event per meeting (agenda items should be prefetched)."""
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        yield _event(meeting, host=host, stamp=stamp)


def calendar_for(meetings: Iterable[Meeting], *, host: str, name: str) -> bytes:
    """One VCALENDAR with a VEVENT per meeting (agenda items should be prefetched)."""
    ical = new_calendar(name)
    for event in meeting_events(meetings, host=host):
        ical.add_component(event)
    return ical.to_ical()
