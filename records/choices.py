from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """The kinds of official document (allmän handling) the portal receives or draws up."""

    SUBMISSION = "submission", _("County submission")
    FEEDBACK_REPORT = "feedback_report", _("Feedback report")
    CONDITIONS_DECISION = "conditions_decision", _("Conditions decision")
    MINUTES = "minutes", _("Minutes")
    BRIEF = "brief", _("Brief")
    ATTACHMENT = "attachment", _("Attachment")
    ACCESS_REQUEST = "access_request", _("Access request")
    ACCESS_DECISION = "access_decision", _("Decision on an access request")
    OTHER = "other", _("Other document")


class Direction(models.TextChoices):
    """Whether the document came in to the ministry or was drawn up by it (TF 2 kap. 9–10 §§)."""

    RECEIVED = "received", _("Received")
    DRAWN_UP = "drawn_up", _("Drawn up")


class Numbering(models.TextChoices):
    """Who gives a record its registration number (the RECORDS_NUMBERS_FROM setting)."""

    PORTAL = "portal", _("Assigned by the portal")
    REGISTRY = "registry", _("Entered from the ministry's registry")


class RequestStatus(models.TextChoices):
    """Where a request for access to official documents (TF 2 kap.) stands."""

    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class Release(models.TextChoices):
    """What was decided for one document of an access request."""

    RELEASED = "released", _("Released")
    PARTLY = "partly", _("Released with parts withheld")
    WITHHELD = "withheld", _("Withheld")


class RetentionAction(models.TextChoices):
    """What a retention rule says about a kind of document or working material."""

    KEEP = "keep", _("Keep (deliver to the archive)")
    DISPOSE = "dispose", _("Dispose of")


class PeriodUnit(models.TextChoices):
    YEARS = "years", _("years")
    MONTHS = "months", _("months")


class WorkingMaterial(models.TextChoices):
    """The portal's unregistered working material that a retention rule may dispose of."""

    DRAFTS = "drafts", _("Unsubmitted submission drafts")
    OUTBOX = "outbox", _("Sent e-mails (outbox)")
    LOGIN_RECORDS = "login_records", _("Log-in records")
    DIGEST_ITEMS = "digest_items", _("Unsent digest notifications")
    FORM_TOKENS = "form_tokens", _("Sent-form tokens")


def retention_kinds() -> list[tuple[str, str]]:
    """Every kind a retention rule is written for: each type of registered document, then each
    kind of working material."""
    return list(DocumentType.choices) + list(WorkingMaterial.choices)


class DisposalTrigger(models.TextChoices):
    JOB = "job", _("Scheduled job")
    USER = "user", _("Run by a person")
    COMMAND = "command", _("Management command")


class PackageStatus(models.TextChoices):
    """Where the building of an archive package stands."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
