"""iCalendar (.ics) files for meetings, so people can put them into Outlook or any other calendar."""

import datetime
from collections.abc import Iterable, Iterator

from django.utils import timezone
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
    agenda = "\n".join(f"{item.position}. {item.title}" for item in meeting.agenda_items.all())
    event.add("description", f"{meeting.forum.name}\n\n{agenda}".strip())
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
