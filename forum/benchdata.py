"""Benchmark data: four civil servants' forum meetings a year, each with a ten-item agenda."""

import datetime

from django.utils import timezone

from regions.models import Topic

from .choices import ForumKind
from .models import AgendaItem, Forum, Meeting


def build(*, scale) -> None:
    years = scale.years
    forum = Forum.objects.filter(kind=ForumKind.CIVIL_SERVANT).order_by("start_year").first()
    topics = list(Topic.objects.all())
    if forum is None or Meeting.objects.filter(title__startswith="Bench").exists():
        return
    meetings = Meeting.objects.bulk_create(
        Meeting(
            forum=forum,
            title=f"Bench-möte {year}:{quarter}",
            start=timezone.make_aware(datetime.datetime(year, quarter * 3, 10, 10)),
            end=timezone.make_aware(datetime.datetime(year, quarter * 3, 10, 15)),
            place="Stockholm",
        )
        for year in range(2026 - years, 2026)
        for quarter in range(1, 5)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            title=f"Punkt {n}",
            topic=topics[n % len(topics)] if topics else None,
            minutes="Forumet diskuterade frågan.",
        )
        for meeting in meetings
        for n in range(1, 11)
    )
