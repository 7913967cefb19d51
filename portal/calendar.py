"""The personal calendar feed: the fora's meetings, the user's dialogues, the dialogue days and the
submission deadlines the user may see, in one VCALENDAR.

Each app makes the events of its own objects (forum/ics.py, dialogues/ics.py), so that a meeting or
a dialogue looks the same in a subscription as in its download; this module only puts them together.
"""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from accounts.choices import Role
from dialogues.choices import DialogueKind, RoundStatus
from dialogues.ics import deadline_events, dialogue_day_events, dialogue_events, stamp_now
from dialogues.models import DialogueDay, Submission
from dialogues.selectors import dialogues_visible_to
from forum.ics import meeting_events, new_calendar
from forum.selectors import SUBSCRIPTION_HISTORY

_NATIONAL = (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def dialogue_days_for_subscription(user, *, today: datetime.date | None = None) -> QuerySet[DialogueDay]:
    """The agency's dialogue days from a year back on: every one for national staff, for a county's
    user those its county takes part in."""
    since = (today or timezone.localdate()) - SUBSCRIPTION_HISTORY
    days = DialogueDay.objects.filter(date__gte=since).order_by("date", "pk")
    if user.role in _NATIONAL:
        return days
    if user.region_id is None:
        return days.none()
    return days.filter(regions=user.region_id)


def deadlines_for_subscription(user, *, today: datetime.date | None = None) -> QuerySet[Submission]:
    """The submissions of the annual dialogues `user` may see (a county's user: its own county's,
    once the round is open) in rounds not closed, whose deadline in force lies within a year back."""
    since = (today or timezone.localdate()) - SUBSCRIPTION_HISTORY
    visible = dialogues_visible_to(user).filter(kind=DialogueKind.ANNUAL).values("pk")
    return (
        Submission.objects.filter(dialogue__in=visible)
        .exclude(dialogue__round__status__in=(RoundStatus.PLANNING, RoundStatus.CLOSED))
        .filter(dialogue__round__submission_deadline__gte=since)
        .select_related("dialogue__round", "dialogue__region")
    )


def subscription_calendar(meetings: Iterable, dialogues: Iterable, *, host: str, name: str, user=None) -> bytes:
    """The calendar a subscription serves: the meetings' events and the dialogues' events, and, given
    the subscriber, the dialogue days and submission deadlines they may see, as all-day events.

    Calendar programs are asked to fetch it again every hour.
    """
    calendar = new_calendar(name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's name for the same
    stamp = stamp_now()
    for event in meeting_events(meetings, host=host):
        calendar.add_component(event)
    for event in dialogue_events(dialogues, uid_domain=host, stamp=stamp):
        calendar.add_component(event)
    if user is not None:
        for event in dialogue_day_events(dialogue_days_for_subscription(user), uid_domain=host, stamp=stamp):
            calendar.add_component(event)
        for event in deadline_events(deadlines_for_subscription(user), uid_domain=host, stamp=stamp):
            calendar.add_component(event)
    return calendar.to_ical()
