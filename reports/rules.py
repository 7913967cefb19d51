"""Who may do what with feedback reports. Which reports exist for a user is decided by
`selectors.reports_visible_to` (anything outside it is a 404); these rules decide what they may do.
"""

import rules

from accounts.rules import is_agency_or_admin, is_ministry_or_admin

from .choices import ReportStatus, ReviewState


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
