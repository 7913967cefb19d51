"""Who may do what with dialogues (the permission table in the domain model).

What a user may *see* is decided by the selectors (`dialogues_visible_to` and friends): an object
outside them is a 404. These rules decide what a user may *do* with an object they can see.
"""

import rules
from django.db.models import Exists, OuterRef, Q

from accounts.rules import (
    belongs_to_own_region,
    is_agency_or_admin,
    is_county_director,
    is_ministry_or_admin,
    is_national_staff,
    is_own_region,
    is_regional_user,
)
from core import attachments

from .choices import EDITABLE_SUBMISSION_STATUSES, RoundStatus
from .models import Brief, Submission
from .selectors import briefs_visible_to, submissions_visible_to


@rules.predicate
def is_own_submission(user, submission):
    return submission is not None and belongs_to_own_region(user, submission.dialogue)


@rules.predicate
def is_own_action(user, action):
    return action is not None and belongs_to_own_region(user, action.dialogue)


@rules.predicate
def submission_is_editable(user, submission):
    """Open round and a draft or returned submission. The deadline is checked by the service,
    which says why it refuses, rather than hiding the edit page."""
    return (
        submission is not None
        and submission.status in EDITABLE_SUBMISSION_STATUSES
        and submission.dialogue.round.status == RoundStatus.OPEN
    )


@rules.predicate
def round_is_planning(user, dialogue_round):
    return dialogue_round is not None and dialogue_round.status == RoundStatus.PLANNING


@rules.predicate
def round_is_open(user, dialogue_round):
    return dialogue_round is not None and dialogue_round.status == RoundStatus.OPEN


@rules.predicate
def dialogue_round_is_open(user, dialogue):
    return dialogue is not None and dialogue.round.status == RoundStatus.OPEN


rules.add_perm("dialogues.view_dialogueround", rules.is_authenticated)
rules.add_perm("dialogues.add_dialogueround", is_ministry_or_admin)
rules.add_perm("dialogues.change_dialogueround", is_ministry_or_admin)
rules.add_perm("dialogues.open_dialogueround", is_ministry_or_admin & round_is_planning)
rules.add_perm("dialogues.close_dialogueround", is_ministry_or_admin & round_is_open)
rules.add_perm("dialogues.view_round_overview", is_national_staff)

rules.add_perm("dialogues.view_dialogue", is_national_staff | (is_regional_user & belongs_to_own_region))
# A county's dialogues across the rounds: another county's list does not exist for a regional user.
rules.add_perm("dialogues.view_region_dialogues", is_national_staff | (is_regional_user & is_own_region))
rules.add_perm("dialogues.add_dialogue", is_ministry_or_admin)
rules.add_perm("dialogues.schedule_dialogue", is_ministry_or_admin)

rules.add_perm("dialogues.change_submission", is_regional_user & is_own_submission & submission_is_editable)
# The edit page itself: the county's own; the page says why when the submission cannot be changed now.
rules.add_perm("dialogues.write_submission", is_regional_user & is_own_submission)
# Sending it in (and again, after the ministry returned it): the county's directors only; an
# editor drafts. The service refuses too (`submission_check_may_submit`).
rules.add_perm("dialogues.submit_submission", is_county_director & is_own_submission & submission_is_editable)
rules.add_perm("dialogues.review_submission", is_ministry_or_admin)
# One county's later deadline (on its dialogue: a draft submission is not visible to the ministry).
rules.add_perm("dialogues.extend_deadline", is_ministry_or_admin & dialogue_round_is_open)

rules.add_perm("dialogues.add_observation", is_ministry_or_admin)
rules.add_perm("dialogues.change_observation", is_ministry_or_admin)

rules.add_perm("dialogues.add_followupaction", is_ministry_or_admin)
rules.add_perm("dialogues.change_followupaction", is_ministry_or_admin)
rules.add_perm("dialogues.update_followupaction_progress", is_ministry_or_admin | (is_regional_user & is_own_action))

rules.add_perm("dialogues.view_brief", is_national_staff)
rules.add_perm("dialogues.change_brief", is_agency_or_admin)
# Marking the brief final makes it an official document (records): the agency's act, like writing it.
rules.add_perm("dialogues.finalise_brief", is_agency_or_admin)


# The agency's dialogue days are open to everyone; its commitments to a county only to that county.
rules.add_perm("dialogues.view_dialogueday", rules.is_authenticated)
rules.add_perm("dialogues.change_dialogueday", is_agency_or_admin)
rules.add_perm("dialogues.change_jointcommitment", is_agency_or_admin)


# --- Attachments (core.attachments) ---------------------------------------------------------
# A submission's files: the county adds and removes them while it may edit the submission (the
# service says why not, `submission_check_editable`); a file that went in with a submitted version
# stays with it. The ministry and the agency read what was submitted: the files uploaded before the
# latest submission. Another county never learns of them.
rules.add_perm("dialogues.add_submission_attachment", is_regional_user & is_own_submission & submission_is_editable)
# The brief's files: the agency adds and removes; the ministry reads; a county never sees them.
rules.add_perm("dialogues.add_brief_attachment", is_agency_or_admin)


def _submission_attachments_visible(user) -> Q:
    submissions = submissions_visible_to(user).filter(pk=OuterRef("object_id"))
    if is_national_staff(user):
        submissions = submissions.filter(submitted_at__gte=OuterRef("uploaded_at"))
    return Q(Exists(submissions))


def _brief_attachments_visible(user) -> Q:
    return Q(Exists(briefs_visible_to(user).filter(pk=OuterRef("object_id"))))


attachments.register(
    Submission,
    visible=_submission_attachments_visible,
    download="dialogues:submission_attachment",
    remove="dialogues:submission_attachment_remove",
)
attachments.register(
    Brief,
    visible=_brief_attachments_visible,
    download="dialogues:brief_attachment",
    remove="dialogues:brief_attachment_remove",
)
