from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry staff")
    AGENCY = "agency", _("Agency reviewer")
    REGION = "region", _("Regional user")
    ADMIN = "admin", _("Administrator")


class MailStatus(models.TextChoices):
    """Where an outgoing e-mail is. SENDING is claimed by a worker; a worker that stopped before it
    recorded the outcome leaves it there, and the sweep marks it UNCERTAIN, never sends it again."""

    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    UNCERTAIN = "uncertain", _("Perhaps sent")
    FAILED = "failed", _("Failed")
