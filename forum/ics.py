"""iCalendar (.ics) files for meetings, so people can put them into Outlook or any other calendar."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from dialogues.ics import dialogues_ics

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


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _add_meetings(calendar: Calendar, meetings: Iterable[Meeting], *, host: str) -> None:
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        calendar.add_component(_event(meeting, host=host, stamp=stamp))


def calendar_for(meetings: Iterable[Meeting], *, host: str, name: str) -> bytes:
    """One VCALENDAR with a VEVENT per meeting (agenda items should be prefetched)."""
    calendar = _calendar(name)
    _add_meetings(calendar, meetings, host=host)
    return calendar.to_ical()


def subscription_calendar(meetings: Iterable[Meeting], dialogues: Iterable, *, host: str, name: str) -> bytes:
    """The calendar a subscription serves: the meetings' events and the dialogues' events.

    The dialogues' events come from the dialogues app's own .ics builder, so that a dialogue looks
    the same in a subscription as in its download (the builder answers an HTTP response; its
    events are read back from it). Calendar programs are asked to fetch it again every hour.
    """
    calendar = _calendar(name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's name for the same
    _add_meetings(calendar, meetings, host=host)
    dialogue_calendar = Calendar.from_ical(dialogues_ics(dialogues, uid_domain=host, name="dialoger").content)
    for event in dialogue_calendar.walk("VEVENT"):
        calendar.add_component(event)
    return calendar.to_ical()
