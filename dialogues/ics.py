"""Dialogues, dialogue days and submission deadlines as iCalendar events, so that participants can put
them in their calendars. An event looks the same in a download as in a calendar subscription
(portal/calendar.py): a time stamp of when the file was made (UTC), a description and a link to
the page in the portal."""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def portal_link(path: str, *, uid_domain: str) -> str:
    """An absolute link to `path`: under PORTAL_URL, else under the host the request came to."""
    return (settings.PORTAL_URL or f"https://{uid_domain}") + path


def stamp_now() -> datetime.datetime:
    """DTSTAMP: when the calendar was generated, in UTC."""
    return timezone.now().astimezone(datetime.UTC)


def _dialogue_description(dialogue, *, link: str) -> str:
    lines = [str(dialogue.round), _("County: {county}").format(county=dialogue.region)]
    if dialogue.place:
        lines.append(_("Place: {place}").format(place=dialogue.place))
    if dialogue.video_link:
        lines.append(_("Video link: {link}").format(link=dialogue.video_link))
    lines.append(_("In the portal: {link}").format(link=link))
    return "\n".join(lines)


def dialogue_events(dialogues: Iterable, *, uid_domain: str, stamp: datetime.datetime | None = None) -> Iterator[Event]:
    """An event per scheduled dialogue (unscheduled ones are left out); round and region should be
    loaded with them."""
    stamp = stamp or stamp_now()
    for dialogue in dialogues:
        if not (dialogue.start and dialogue.end):
            continue
        link = portal_link(dialogue.get_absolute_url(), uid_domain=uid_domain)
        event = Event()
        event.add("uid", f"dialogue-{dialogue.pk}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", str(dialogue))
        event.add("dtstart", dialogue.start.astimezone(datetime.UTC))
        event.add("dtend", dialogue.end.astimezone(datetime.UTC))
        if dialogue.place or dialogue.video_link:
            event.add("location", dialogue.place or dialogue.video_link)
        event.add("description", _dialogue_description(dialogue, link=link))
        event.add("url", link)
        event.add("status", "CANCELLED" if dialogue.status == "cancelled" else "CONFIRMED")
        yield event


def _all_day(event: Event, day: datetime.date) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a day's marker, not a busy day


def dialogue_day_events(days: Iterable, *, uid_domain: str, stamp: datetime.datetime | None = None) -> Iterator[Event]:
    """An all-day event per dialogue day of the agency."""
    stamp = stamp or stamp_now()
    for day in days:
        link = portal_link(day.get_absolute_url(), uid_domain=uid_domain)
        event = Event()
        event.add("uid", f"dialogue-day-{day.pk}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", _("Dialogue day: {title}").format(title=day.title))
        _all_day(event, day.date)
        if day.place:
            event.add("location", day.place)
        lines = [day.description.strip(), _("In the portal: {link}").format(link=link)]
        event.add("description", "\n\n".join(line for line in lines if line))
        event.add("url", link)
        yield event


def deadline_events(
    submissions: Iterable, *, uid_domain: str, stamp: datetime.datetime | None = None
) -> Iterator[Event]:
    """An all-day event per round and deadline in force (`Submission.deadline`: a county's extension,
    else the round's), naming the counties whose deadline it is. Dialogue, round and region should be
    loaded with the submissions."""
    stamp = stamp or stamp_now()
    groups: dict[tuple[int, datetime.date], list] = {}
    for submission in submissions:
        groups.setdefault((submission.dialogue.round_id, submission.deadline), []).append(submission)
    for (round_id, deadline), group in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        dialogue_round = group[0].dialogue.round
        extended = deadline != dialogue_round.submission_deadline
        page = group[0].get_absolute_url() if len(group) == 1 else dialogue_round.get_absolute_url()
        link = portal_link(page, uid_domain=uid_domain)
        summary = (
            _("Extended submission deadline: {round}") if extended else _("Submission deadline: {round}")
        ).format(round=dialogue_round.title)
        counties = ", ".join(sorted(str(s.dialogue.region) for s in group))
        event = Event()
        event.add("uid", f"submission-deadline-{round_id}-{deadline:%Y%m%d}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        _all_day(event, deadline)
        event.add(
            "description",
            "\n".join(
                [_("Counties: {counties}").format(counties=counties), _("In the portal: {link}").format(link=link)]
            ),
        )
        event.add("url", link)
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
