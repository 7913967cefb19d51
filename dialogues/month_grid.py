"""A month as a calendar grid: ISO weeks as rows, Monday first, each day with its dialogues."""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Dialogue


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    dialogues: list[Dialogue] = field(default_factory=list)


@dataclass
class Week:
    number: int  # the ISO week number, as Swedish calendars show it
    days: list[Day]


def month_days(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day shown in the grid of `month`: whole weeks, Monday to Sunday."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month)
    return weeks[0][0], weeks[-1][-1]


def month_weeks(month: datetime.date, dialogues: Iterable[Dialogue], today: datetime.date) -> list[Week]:
    """The weeks of `month`, each dialogue placed on the (local) day it starts."""
    by_day = defaultdict(list)
    for dialogue in dialogues:
        by_day[timezone.localtime(dialogue.start).date()].append(dialogue)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month)
    return [
        Week(
            number=days[0].isocalendar().week,
            days=[Day(day, day.month == month.month, day == today, by_day.get(day, [])) for day in days],
        )
        for days in weeks
    ]


def month_step(month: datetime.date, step: int) -> datetime.date:
    """The first day of the month `step` months from `month` (negative: back)."""
    index = month.year * 12 + month.month - 1 + step
    return datetime.date(index // 12, index % 12 + 1, 1)
