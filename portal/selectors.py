"""Reads that compose several apps: what a user's calendar subscription holds, and the work
queues of the start page (what waits for each role, issue 14).

Every queue is a `Queue`: its first rows and how many there are in all, in at most two queries
whatever the number of counties, dialogues or reports.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.choices import Role
from dialogues.choices import (
    UNFINISHED_ACTION_STATUSES,
    DialogueKind,
    DialogueStatus,
    RoundStatus,
    SubmissionStatus,
)
from dialogues.models import Dialogue, DialogueRound, FollowUpAction, Submission
from dialogues.selectors import dialogues_visible_to, submissions_visible_to
from forum.selectors import SUBSCRIPTION_HISTORY
from regions.models import Region
from reports.choices import ReportStatus, ReviewState
from reports.models import FeedbackReport
from reports.selectors import open_review_comments, reports_visible_to

# How many rows of a queue the start page lists; the count says how many there are in all.
QUEUE_SHOWN = 8
# A submission's deadline: the county's own extension, else the round's (Submission.deadline).
DEADLINE_IN_FORCE = Coalesce("deadline_extended_to", "dialogue__round__submission_deadline")


def dialogues_for_subscription(user, *, now: datetime.datetime | None = None) -> QuerySet[Dialogue]:
    """The scheduled dialogues `user` may see (a county's user: its own county's, once the round is
    open), from a year back on (as far back as the forum's meetings in the subscription)."""
    since = (now or timezone.now()) - SUBSCRIPTION_HISTORY
    return dialogues_visible_to(user).filter(start__isnull=False, end__gte=since).order_by("start", "pk")


# --- Work queues ----------------------------------------------------------------------------


@dataclass
class Queue:
    """One list of the start page: its first rows and how many there are in all."""

    name: str
    rows: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _queue(name: str, queryset: QuerySet) -> Queue:
    rows = list(queryset[:QUEUE_SHOWN])
    count = len(rows) if len(rows) < QUEUE_SHOWN else queryset.count()
    return Queue(name=name, rows=rows, count=count)


def current_round() -> DialogueRound | None:
    """The round the work is about: the newest one that has been opened (a round being planned
    is not yet anybody's work but the ministry's planning)."""
    return DialogueRound.objects.exclude(status=RoundStatus.PLANNING).order_by("-year").first()


def open_actions() -> QuerySet[FollowUpAction]:
    """The follow-up actions still to be done, of every county: one selector for the county's own
    list and for the ministry's (so the two never disagree).

    An unfinished action counts where its county can see it: in a round that has been opened, and
    only if it has not been carried into a later round that has been opened too. Before the next
    round opens, its dialogues already hold copies of the actions (`round_dialogues_create`); those
    copies are not yet the county's, so the actions they were copied from are the open ones.
    """
    taken_over = FollowUpAction.objects.filter(carried_from=OuterRef("pk")).exclude(
        dialogue__round__status=RoundStatus.PLANNING
    )
    return (
        FollowUpAction.objects.filter(status__in=UNFINISHED_ACTION_STATUSES)
        .exclude(dialogue__round__status=RoundStatus.PLANNING)
        .exclude(Exists(taken_over))
        .select_related("dialogue__round", "dialogue__region")
    )


def county_queues(region: Region) -> dict[str, Queue]:
    """What waits for a county: the list its own users see on their start page, and the list
    national staff see for that county (one selector for both). Holds only what the county's
    users may see: open rounds (never one being planned), its own published reports."""
    submissions = (
        Submission.objects.filter(dialogue__region=region, dialogue__round__status=RoundStatus.OPEN)
        .annotate(deadline_in_force=DEADLINE_IN_FORCE)
        .select_related("dialogue__round", "dialogue__region")
    )
    deadline_first = ("deadline_in_force", "dialogue__round__year", "pk")
    return {
        "to_submit": _queue("to_submit", submissions.filter(status=SubmissionStatus.DRAFT).order_by(*deadline_first)),
        "returned": _queue("returned", submissions.filter(status=SubmissionStatus.RETURNED).order_by(*deadline_first)),
        "published_reports": _queue(
            "published_reports",
            FeedbackReport.objects.filter(
                region=region, review_state=ReviewState.PUBLISHED, status=ReportStatus.DONE, is_current=True
            )
            .select_related("round", "region")
            .order_by("-round__year", "language"),
        ),
        "open_actions": _queue(
            "open_actions",
            open_actions().filter(dialogue__region=region).order_by("due_date", "dialogue__round__year", "pk"),
        ),
    }


def agency_queues(user) -> dict[str, Queue]:
    """What waits for the agency: the current round's reports to review, and briefs to write."""
    dialogue_round = current_round()
    reports = reports_visible_to(user).filter(
        round=dialogue_round, is_current=True, status=ReportStatus.DONE, review_state=ReviewState.IN_REVIEW
    )
    return {
        "reports_to_review": _queue("reports_to_review", reports.order_by("region__code", "language")),
        "briefs_to_write": _queue(
            "briefs_to_write",
            dialogues_visible_to(user)
            .filter(round__status=RoundStatus.OPEN, brief__isnull=True)
            .exclude(status__in=[DialogueStatus.HELD, DialogueStatus.CANCELLED])
            .order_by("start", "region__code", "pk"),
        ),
    }


def ministry_queues(user, *, today: datetime.date | None = None) -> dict[str, Queue]:
    """What waits for the ministry: submissions to review, the reviewers' open comments (which stand
    between a report and its publication), approved reports to publish, dialogues to schedule,
    counties past the deadline with nothing submitted, and overdue actions."""
    today = today or timezone.localdate()
    open_dialogues = dialogues_visible_to(user).filter(round__status=RoundStatus.OPEN)
    return {
        "submissions_to_review": _queue(
            "submissions_to_review",
            submissions_visible_to(user).filter(status=SubmissionStatus.SUBMITTED).order_by("submitted_at", "pk"),
        ),
        "open_review_comments": _queue("open_review_comments", open_review_comments()),
        "reports_to_publish": _queue(
            "reports_to_publish",
            reports_visible_to(user)
            .filter(is_current=True, status=ReportStatus.DONE, review_state=ReviewState.APPROVED)
            .order_by("-round__year", "region__code", "language"),
        ),
        "dialogues_to_schedule": _queue(
            "dialogues_to_schedule",
            open_dialogues.filter(status=DialogueStatus.PLANNED).order_by("round__year", "region__code", "pk"),
        ),
        "late_counties": _queue(
            "late_counties",
            open_dialogues.filter(kind=DialogueKind.ANNUAL)
            .annotate(deadline_in_force=Coalesce("submission__deadline_extended_to", "round__submission_deadline"))
            .filter(
                deadline_in_force__lt=today,
                submission__status=SubmissionStatus.DRAFT,
                submission__submitted_at__isnull=True,
            )
            .order_by("round__year", "region__code"),
        ),
        "overdue_actions": _queue(
            "overdue_actions", open_actions().filter(due_date__lt=today).order_by("due_date", "pk")
        ),
    }


def work_queues(user) -> dict[str, Queue]:
    """The start page's queues for `user`'s role (a county's user: its own county's only)."""
    if user.role == Role.REGION:
        return county_queues(Region(pk=user.region_id)) if user.region_id else {}
    if user.role == Role.AGENCY:
        return agency_queues(user)
    if user.role == Role.MINISTRY:
        return ministry_queues(user)
    return {}
