"""Dialogues as iCalendar events, so that participants can put them in their calendars."""

from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from icalendar import Calendar, Event


def dialogue_events(dialogues: Iterable, *, uid_domain: str) -> Iterator[Event]:
    """An event per scheduled dialogue (unscheduled ones are left out): the same in a download as in
    a calendar subscription (portal/calendar.py)."""
    for dialogue in dialogues:
        if not (dialogue.start and dialogue.end):
            continue
        event = Event()
        event.add("uid", f"dialogue-{dialogue.pk}@{uid_domain}")
        event.add("summary", str(dialogue))
        event.add("dtstart", dialogue.start)
        event.add("dtend", dialogue.end)
        event.add("dtstamp", dialogue.start)
        if dialogue.place or dialogue.video_link:
            event.add("location", dialogue.place or dialogue.video_link)
        if dialogue.video_link:
            event.add("url", dialogue.video_link)
        event.add("status", "CANCELLED" if dialogue.status == "cancelled" else "CONFIRMED")
        yield event


def dialogues_ics(dialogues, *, uid_domain: str, name: str) -> HttpResponse:
    """One VCALENDAR with an event per scheduled dialogue (unscheduled ones are left out)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Regionala utvecklingsdialoger//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in dialogue_events(dialogues, uid_domain=uid_domain):
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response
