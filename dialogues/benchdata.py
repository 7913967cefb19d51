"""Benchmark data: a closed round per year for every county, each dialogue with a submission
(10 priorities, 20 results), 40 observations and 10 follow-up actions. Years that already have a
round (the demo's) are left alone."""

import datetime

from django.utils import timezone

from regions.models import Region, StrategyPriority

from .choices import ActionStatus, DialogueStatus, ObservationCategory, RoundStatus, SubmissionStatus
from .models import (
    Dialogue,
    DialogueRound,
    FollowUpAction,
    Observation,
    Submission,
    SubmissionPriority,
    SubmissionResult,
)

CATEGORIES = [value for value, _label in ObservationCategory.choices]


def build(*, years: int) -> None:
    regions = list(Region.objects.all())
    priorities = {}
    for priority in StrategyPriority.objects.filter(strategy__title__startswith="Bench").order_by("number"):
        priorities.setdefault(priority.strategy.region_id, []).append(priority)
    taken = set(DialogueRound.objects.values_list("year", flat=True))
    for year in range(2026 - years, 2026):
        if year not in taken:
            _round(year, regions, priorities)


def _round(year: int, regions: list[Region], priorities: dict) -> None:
    round_ = DialogueRound.objects.create(
        year=year,
        title=f"Regionala utvecklingsdialoger {year}",
        focus="Prioriteringar, resultat och resursanvändning",
        submission_deadline=datetime.date(year, 2, 1),
        ends_on=datetime.date(year, 6, 1),
        status=RoundStatus.CLOSED,
    )
    start = timezone.make_aware(datetime.datetime(year, 3, 1, 9))
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(
            round=round_,
            region=region,
            start=start + datetime.timedelta(days=n),
            end=start + datetime.timedelta(days=n, hours=3),
            place="Regeringskansliet",
            status=DialogueStatus.HELD,
        )
        for n, region in enumerate(regions)
    )
    submitted = timezone.make_aware(datetime.datetime(year, 1, 20))
    submissions = Submission.objects.bulk_create(
        Submission(dialogue=d, status=SubmissionStatus.ACCEPTED, resource_use="Medlen har använts enligt villkoren.",
                   submitted_at=submitted)
        for d in dialogues
    )  # fmt: skip
    SubmissionPriority.objects.bulk_create(
        SubmissionPriority(submission=s, rank=rank, strategy_priority=p, rationale="Enligt RUS.")
        for s in submissions
        for rank, p in enumerate(priorities.get(s.dialogue.region_id, []), start=1)
    )
    SubmissionResult.objects.bulk_create(
        SubmissionResult(submission=s, position=n, indicator=f"Indikator {n}", baseline="10", target="20", outcome="15")
        for s in submissions
        for n in range(20)
    )
    Observation.objects.bulk_create(
        Observation(
            dialogue=d,
            category=CATEGORIES[n % len(CATEGORIES)],
            title=f"Iakttagelse {n}",
            text="Stor regional variation i insatser och arbetssätt.",
            shared_with_region=n % 2 == 0,
        )
        for d in dialogues
        for n in range(40)
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            dialogue=d,
            what=f"Åtgärd {n}: utveckla resultatredovisningen",
            owner="Regionen",
            due_date=datetime.date(year + 1, 1, 31),
            status=ActionStatus.DONE,
        )
        for d in dialogues
        for n in range(10)
    )
