"""Reads of the API that compose several apps. Everything else comes straight from each app's
selectors (the same functions the pages use, so the API shows what the pages show).

The open data: the 1:1 figures of a county and year are public once the county's feedback
report of that year's round is published (the report prints them: frame, use by instrument,
utilisation, leverage and alignment). Nothing else of the follow-up is published by the portal.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum

from dialogues.choices import DialogueStatus
from dialogues.models import DialogueRound
from dialogues.selectors import dialogues_visible_to, rounds_visible_to
from followup.models import Allocation, CoFinancing, Expenditure
from followup.selectors import allocations_visible_to, allocations_with_figures
from reports.choices import ReportStatus, ReviewState
from reports.models import FeedbackReport


def rounds_with_calendar(user) -> QuerySet[DialogueRound]:
    """The rounds the user may see, newest first, each with `calendar`: its scheduled dialogues the
    user may see (cancelled ones left out), by start, as the round's calendar page lists them."""
    calendar = (
        dialogues_visible_to(user)
        .filter(start__isnull=False)
        .exclude(status=DialogueStatus.CANCELLED)
        .order_by("start", "region__code")
    )
    return rounds_visible_to(user).prefetch_related(Prefetch("dialogues", queryset=calendar, to_attr="calendar"))


def frames_visible_to(user) -> QuerySet[Allocation]:
    """The allocations the user may see with their headline figures, by year and county."""
    return allocations_with_figures(allocations_visible_to(user), detail=False).order_by(
        "appropriation__year", "region__code"
    )


def use_visible_to(user) -> QuerySet:
    """The use the user may see, summed per county, year and instrument (dicts)."""
    return (
        Expenditure.objects.filter(allocation__in=allocations_visible_to(user))
        .values("allocation__region__code", "allocation__region__name", "allocation__appropriation__year", "instrument")
        .annotate(amount=Sum("amount"))
        .order_by("allocation__appropriation__year", "allocation__region__code", "instrument")
    )


def cofinancing_visible_to(user) -> QuerySet:
    """The co-financing the user may see, summed per county, year and source (dicts)."""
    return (
        CoFinancing.objects.filter(allocation__in=allocations_visible_to(user))
        .values("allocation__region__code", "allocation__region__name", "allocation__appropriation__year", "source")
        .annotate(amount=Sum("amount"))
        .order_by("allocation__appropriation__year", "allocation__region__code", "source")
    )


def published_figures() -> QuerySet[Allocation]:
    """The open data: each county's figures for the years whose feedback report to it is published."""
    published = FeedbackReport.objects.filter(
        region=OuterRef("region_id"),
        round__year=OuterRef("appropriation__year"),
        review_state=ReviewState.PUBLISHED,
        status=ReportStatus.DONE,
    )
    return allocations_with_figures(Allocation.objects.filter(Exists(published))).order_by(
        "appropriation__year", "region__code"
    )
