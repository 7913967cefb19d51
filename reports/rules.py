"""Who may do what with feedback reports. Which reports exist for a user is decided by
`selectors.reports_visible_to` (anything outside it is a 404); these rules decide what they may do.
"""

import rules
from django.db.models import Exists, OuterRef, Q

from accounts.rules import is_agency_or_admin, is_ministry_or_admin, is_national_staff, own_region_id
from core import attachments

from .choices import ReportStatus, ReviewState
from .models import FeedbackReport


@rules.predicate
def report_is_done(user, report):
    return report is not None and report.status == ReportStatus.DONE


@rules.predicate
def report_in_review(user, report):
    return report is not None and report.review_state == ReviewState.IN_REVIEW


@rules.predicate
def report_is_approved(user, report):
    return report is not None and report.review_state == ReviewState.APPROVED


# Feedback reports: which exist for a user is `reports_visible_to`; these decide what they may do.
rules.add_perm("reports.request_feedbackreports", is_ministry_or_admin)
rules.add_perm("reports.review_feedbackreport", is_agency_or_admin)
rules.add_perm("reports.approve_feedbackreport", is_agency_or_admin & report_is_done & report_in_review)
rules.add_perm("reports.publish_feedbackreport", is_ministry_or_admin & report_is_done & report_is_approved)

# The covering letters, the sender and the contact person, and the answers to the reviewers'
# comments are the ministry's.
rules.add_perm("reports.edit_letters", is_ministry_or_admin)
rules.add_perm("reports.resolve_reportcomment", is_ministry_or_admin)


# --- Attachments (core.attachments) ---------------------------------------------------------
# A report's files (the agency's analysis, the ministry's own) belong to the report as a whole:
# every version and language of the same county's report in the round (or the round summary). The
# ministry and the agency add and remove them until the report is published; a county sees them
# only once it is, and nothing can be added or removed after that.


def same_report(report: FeedbackReport):
    """Every version and language of the same report (same round and county, or the summary)."""
    region = Q(region__isnull=True) if report.region_id is None else Q(region_id=report.region_id)
    return FeedbackReport.objects.filter(region, round_id=report.round_id)


def report_is_published_any(report: FeedbackReport) -> bool:
    return same_report(report).filter(review_state=ReviewState.PUBLISHED).exists()


@rules.predicate
def report_not_published(user, report):
    return report is not None and not report_is_published_any(report)


rules.add_perm("reports.add_report_attachment", is_national_staff & report_not_published)


def _report_attachments_visible(user) -> Q:
    reports = FeedbackReport.objects.filter(pk=OuterRef("object_id"))
    if is_national_staff(user):
        return Q(Exists(reports))
    region_id = own_region_id(user)
    if region_id is None:
        return Q(pk__in=[])
    published = FeedbackReport.objects.filter(review_state=ReviewState.PUBLISHED, round_id=OuterRef("round_id"))
    own = reports.filter(region_id=region_id).filter(Exists(published.filter(region_id=region_id)))
    summary = reports.filter(region__isnull=True).filter(Exists(published.filter(region__isnull=True)))
    return Q(Exists(own)) | Q(Exists(summary))


attachments.register(
    FeedbackReport,
    visible=_report_attachments_visible,
    download="reports:attachment",
    remove="reports:attachment_remove",
)
