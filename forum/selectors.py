"""Reads of the national forum, with their related rows fetched up front (no queries in loops).

Every role reads the whole forum (the permission table), so there is no per-user filtering here.
The personal calendar feed (meetings and dialogues) is composed in portal/calendar.py.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from regions.models import Region, ResponsibilityPeriod
from regions.selectors import regions_with_forum_facts_in

from .choices import ForumKind, SeatRole
from .models import AgendaItem, Attendance, CalendarSubscription, Forum, Meeting, MeetingDocument, Membership
from .seats import expected_seats


def fora_for_list() -> QuerySet[Forum]:
    """Every forum with its chair and how many meetings it has."""
    return Forum.objects.select_related("chair").annotate(meeting_count=Count("meetings"))


@dataclass
class PeriodNow:
    """One forum (kind) in `year`: the period covering it, else its latest period (`covers` False)."""

    kind: str
    label: str
    forum: Forum | None
    covers: bool


def periods_now(fora, year: int) -> list[PeriodNow]:
    """Per kind of forum, the period that covers `year`, else the latest one (None if it has none);
    `fora` is every forum (a short list: a period is four years)."""
    rows = []
    for kind, label in ForumKind.choices:
        periods = sorted((f for f in fora if f.kind == kind), key=lambda f: f.start_year)
        covering = next((f for f in periods if f.covers(year)), None)
        rows.append(PeriodNow(kind, label, covering or (periods[-1] if periods else None), covering is not None))
    return rows


def period_covering(kind: str, year: int) -> Forum | None:
    """The period of the forum of `kind` that covers `year`, if any."""
    return Forum.objects.filter(kind=kind, start_year__lte=year, end_year__gte=year).first()


def forum_detail(pk: int) -> QuerySet[Forum]:
    """One forum with its chair and how many meetings it has (`meeting_count`)."""
    return (
        Forum.objects.select_related("chair", "chair__organisation")
        .annotate(meeting_count=Count("meetings"))
        .filter(pk=pk)
    )


def memberships_in_year(forum: Forum, year: int) -> QuerySet[Membership]:
    """The forum's mandates running in `year`, with member, county and substitute."""
    return (
        forum.memberships.in_year(year)
        .select_related("contact", "contact__organisation", "region", "substitute")
        .order_by("region__code", "role", "contact__name")
    )


def meetings_of(forum: Forum) -> QuerySet[Meeting]:
    return forum.meetings.annotate(item_count=Count("agenda_items")).order_by("-start")


def meetings_upcoming(*, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings that have not ended, soonest first."""
    now = now or timezone.now()
    return Meeting.objects.filter(end__gte=now).select_related("forum").order_by("start")


def meetings_past(*, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    now = now or timezone.now()
    return Meeting.objects.filter(end__lt=now).select_related("forum").order_by("-start")


def meeting_detail(pk: int) -> QuerySet[Meeting]:
    """One meeting with its agenda (and both sides of every "prepares" link), attendance and documents."""
    items = AgendaItem.objects.select_related("topic", "prepares__meeting__forum").prefetch_related(
        Prefetch("prepared_by", queryset=AgendaItem.objects.select_related("meeting__forum"))
    )
    return (
        Meeting.objects.filter(pk=pk)
        .select_related("forum")
        .prefetch_related(
            Prefetch("agenda_items", queryset=items),
            Prefetch("attendances", queryset=Attendance.objects.select_related("contact")),
            Prefetch("documents", queryset=MeetingDocument.objects.all()),
        )
    )


def meeting_for_minutes(pk: int) -> QuerySet[Meeting]:
    """One meeting with what its minutes PDF shows: forum, agenda with minutes, attendance."""
    return (
        Meeting.objects.filter(pk=pk)
        .select_related("forum")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("contact")),
        )
    )


def meetings_for_calendar() -> QuerySet[Meeting]:
    """Meetings with what their calendar events show (forum, agenda), soonest first."""
    return Meeting.objects.select_related("forum").prefetch_related("agenda_items").order_by("start")


def meeting_for_calendar(pk: int) -> QuerySet[Meeting]:
    return meetings_for_calendar().filter(pk=pk)


def forum_meetings_for_calendar(forum: Forum) -> QuerySet[Meeting]:
    return meetings_for_calendar().filter(forum=forum)


# How far back a calendar subscription reaches: what a calendar needs, not fifteen years of meetings.
SUBSCRIPTION_HISTORY = datetime.timedelta(days=365)


def calendar_subscriber(token: str):
    """The active user whose secret calendar address holds `token`, or None (unknown or revoked)."""
    subscription = (
        CalendarSubscription.objects.filter(token_digest=CalendarSubscription.digest(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return subscription.user if subscription else None


def calendar_subscription_of(user) -> CalendarSubscription | None:
    return CalendarSubscription.objects.filter(user_id=user.pk).first()


def meetings_for_subscription(*, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Both fora's meetings from a year back on, with their agendas: every role reads the forum."""
    since = (now or timezone.now()) - SUBSCRIPTION_HISTORY
    return meetings_for_calendar().filter(end__gte=since)


def members_on(meeting: Meeting) -> QuerySet[Membership]:
    """The mandates running on the meeting's day: who is expected at it."""
    day = timezone.localtime(meeting.start).date()
    return meeting.forum.memberships.on(day).select_related("contact", "region", "substitute")


def politician_items_to_prepare() -> QuerySet[AgendaItem]:
    """Agenda items of politicians' forum meetings: what a civil servants' forum item can prepare."""
    return AgendaItem.objects.filter(meeting__forum__kind="politician").select_related("meeting")


@dataclass
class Seat:
    role: SeatRole
    members: list[Membership] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.members


@dataclass
class CountyRow:
    region: Region | None
    period: ResponsibilityPeriod | None
    seats: list[Seat]
    unexpected: list[Membership]

    @property
    def empty_count(self) -> int:
        return sum(seat.is_empty for seat in self.seats)


def regions_with_periods_in(year: int) -> QuerySet[Region]:
    """All counties, each with `periods_in_year` (who held development responsibility in `year`) and
    `business_support_in_year` (whether its county board handled the regional business support)."""
    return regions_with_forum_facts_in(year)


def composition(forum: Forum, year: int) -> list[CountyRow]:
    """For each county (and the national seats), its expected seats in `year` and who holds them.

    Members whose seat the county does not have that year are listed apart as `unexpected`.
    Three queries whatever the number of counties.
    """
    by_region: dict[int | None, list[Membership]] = {}
    for membership in memberships_in_year(forum, year):
        by_region.setdefault(membership.region_id, []).append(membership)
    rows = []
    for region in [*regions_with_periods_in(year), None]:
        members = by_region.get(region.pk if region else None, [])
        seats = [Seat(role, [m for m in members if m.role == role]) for role in expected_seats(forum, region, year)]
        expected = {seat.role for seat in seats}
        period = region.periods_in_year[0] if region and region.periods_in_year else None
        rows.append(CountyRow(region, period, seats, [m for m in members if m.role not in expected]))
    return rows


def composition_summary(rows: list[CountyRow]) -> dict[str, int]:
    seats = sum(len(row.seats) for row in rows)
    empty = sum(row.empty_count for row in rows)
    return {
        "seats": seats,
        "filled": seats - empty,
        "empty": empty,
        "counties_with_gaps": sum(1 for row in rows if row.region and row.empty_count),
    }
