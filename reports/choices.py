from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report", "Pending")
    RUNNING = "running", pgettext_lazy("report", "Being generated")
    DONE = "done", pgettext_lazy("report", "Done")
    FAILED = "failed", pgettext_lazy("report", "Failed")


class ReviewState(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", pgettext_lazy("report", "Published")


class CommentResolution(models.TextChoices):
    OPEN = "open", pgettext_lazy("review comment", "Open")
    WORKED_IN = "worked_in", _("Worked in")
    ANSWERED = "answered", _("Answered")
