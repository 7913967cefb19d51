from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RoundStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", pgettext_lazy("dialogue round", "Open")
    CLOSED = "closed", pgettext_lazy("dialogue round", "Closed")
    PUBLISHED = "published", pgettext_lazy("dialogue round", "Published")


class DialogueKind(models.TextChoices):
    ANNUAL = "annual", _("Annual dialogue")
    BILATERAL = "bilateral", _("Bilateral talks")
    DEEP_DIVE = "deep_dive", _("Deep dive")


class DialogueStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("dialogue", "Planned")
    SCHEDULED = "scheduled", pgettext_lazy("dialogue", "Scheduled")
    HELD = "held", pgettext_lazy("dialogue", "Held")
    CANCELLED = "cancelled", pgettext_lazy("dialogue", "Cancelled")


class ParticipantSide(models.TextChoices):
    MINISTRY = "ministry", pgettext_lazy("participant side", "Ministry")
    AGENCY = "agency", pgettext_lazy("participant side", "Agency")
    REGION = "region", pgettext_lazy("participant side", "County")
    OTHER_MINISTRY = "other_ministry", _("Other ministry")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ObservationCategory(models.TextChoices):
    REGIONAL_VARIATION = "regional_variation", _("Regional variation")
    STEERING = "steering", _("Steering and prioritisation")
    FUNDS_AND_RUS = "funds_and_rus", _("Link between funds and RUS")
    CAPACITY = "capacity", _("Analytical and absorptive capacity")
    RESULTS = "results", _("Results")
    LEADERSHIP = "leadership", _("Success factor – regional leadership")
    LEARNING = "learning", _("Success factor – continuous learning")
    GOAL_STRUCTURE = "goal_structure", _("Success factor – clear goal structure")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up action", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


# Actions in these states are still to be done and carry into the region's next round.
UNFINISHED_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# A region may change its submission in these states (and only while the round is open).
EDITABLE_SUBMISSION_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class CommitmentKind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    FUNDS = "funds", _("Funds")


class CommitmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    DROPPED = "dropped", _("Dropped")
