"""Reads of the feedback reports. `reports_visible_to(user)` decides which reports exist for a user:
every list, page and download goes through it, so a county never reaches an unpublished report or
another county's."""

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.choices import Role
from accounts.rules import own_region_id
from dialogues.models import DialogueRound

from .choices import ReviewState
from .models import FeedbackReport, ReportComment


def _is_national(user) -> bool:
    return user.is_authenticated and user.role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN)


def reports_visible_to(user) -> QuerySet[FeedbackReport]:
    """Every feedback report for national staff; a county only its own published reports and the
    published round summaries. Unpublished reports and other counties' do not exist for it."""
    reports = FeedbackReport.objects.select_related("round", "region")
    if _is_national(user):
        return reports
    region_id = own_region_id(user)
    if region_id is None:
        return reports.none()
    return reports.filter(review_state=ReviewState.PUBLISHED).filter(Q(region_id=region_id) | Q(region__isnull=True))


def round_reports(user, dialogue_round: DialogueRound) -> list[FeedbackReport]:
    """The newest version the user may see of each of the round's reports (summary first), in one query."""
    newest = {}
    for report in (
        reports_visible_to(user)
        .filter(round=dialogue_round)
        .order_by(F("region__code").asc(nulls_first=True), "language", "-version")
    ):
        newest.setdefault((report.region_id, report.language), report)
    return list(newest.values())


def report_for_detail(user, pk: int) -> QuerySet[FeedbackReport]:
    """One report (if visible) with its comments and authors."""
    return (
        reports_visible_to(user)
        .filter(pk=pk)
        .prefetch_related(Prefetch("comments", queryset=ReportComment.objects.select_related("author")))
    )


def report_versions(user, report: FeedbackReport) -> QuerySet[FeedbackReport]:
    """Every version the user may see of the same report (same round, county and language), newest first."""
    region = Q(region__isnull=True) if report.region_id is None else Q(region_id=report.region_id)
    return (
        reports_visible_to(user).filter(region, round_id=report.round_id, language=report.language).order_by("-version")
    )
