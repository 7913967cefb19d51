"""The personal calendar feed: the fora's meetings and the user's dialogues in one VCALENDAR.

Each app makes the events of its own objects (forum/ics.py, dialogues/ics.py), so that a meeting or
a dialogue looks the same in a subscription as in its download; this module only puts them together.
"""

import datetime
from collections.abc import Iterable

from dialogues.ics import dialogue_events
from forum.ics import meeting_events, new_calendar


def subscription_calendar(meetings: Iterable, dialogues: Iterable, *, host: str, name: str) -> bytes:
    """The calendar a subscription serves: the meetings' events and the dialogues' events.

    Calendar programs are asked to fetch it again every hour.
    """
    calendar = new_calendar(name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's name for the same
    for event in meeting_events(meetings, host=host):
        calendar.add_component(event)
    for event in dialogue_events(dialogues, uid_domain=host):
        calendar.add_component(event)
    return calendar.to_ical()
