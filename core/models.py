import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormToken(models.Model):
    """A form that was sent: the one-time token its page carried, who sent it and where it led.

    The row is written in the same transaction as what the form changes (core.middleware), so a
    second submission of the same page (a double click, two tabs sending at once) waits on the
    unique index and then finds it taken; a refused submission leaves no row behind.
    """

    token = models.CharField(_("token"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    outcome_url = models.CharField(_("outcome"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")
        constraints = [models.UniqueConstraint(fields=["token"], name="form_token_unique")]

    def __str__(self):
        return self.token


class MailStatus(models.TextChoices):
    """Where an outgoing e-mail is. SENDING is claimed by a worker; a worker that stopped before it
    recorded the outcome leaves it there, and the sweep marks it UNCERTAIN, never sends it again."""

    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    UNCERTAIN = "uncertain", _("Perhaps sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """One e-mail to one person, written in the same transaction as the change that caused it.

    The worker claims it (pending → sending) before it talks to the SMTP server and records the
    outcome after: sent; waiting again for a later try after a transient error; failed after a
    permanent one (or too many tries). One left "sending" by a worker that stopped is marked
    "perhaps sent" and is sent again only when an administrator decides to.
    """

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        db_table = "accounts_outgoingmail"  # the table it had in the accounts app
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="outgoingmail_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class MailDelivery(models.TextChoices):
    """How a person wants the portal's work notifications: each as it happens, or gathered into one
    e-mail a day. Security e-mails (a password reset) are always sent at once."""

    IMMEDIATE = "immediate", _("Immediate e-mails")
    DIGEST = "digest", _("One daily digest")


class DigestItem(models.Model):
    """A notification kept for the person's next daily digest, instead of being sent at once.

    The daily task gathers a person's items into one e-mail and removes them in the same
    transaction, the rows locked (skipping rows another run holds), so no item is sent twice or lost.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="digest_items"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")

    def __str__(self):
        return f"{self.subject} → {self.user_id}"


def _attachment_path(instance, filename: str) -> str:
    # A random name on disk, not guessable: the user's file name is kept only in `original_name`.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a submission, a brief or a feedback report (its `parent`).

    Stored under a random name outside any public URL and served only by the parent app's checked
    views, always as a download. Its type is what its content is (core.uploads), never what its
    name says. Who may see, add and remove it is the parent's app's rule (core.attachments).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("attached to (type)"))
    object_id = models.PositiveBigIntegerField(_("attached to (id)"))
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    file_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_parent_idx")]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        """The download address, in the parent's app (core.attachments' register)."""
        from .attachments import attachment_url

        return attachment_url(self, "download")

    @property
    def remove_url(self) -> str:
        from .attachments import attachment_url

        return attachment_url(self, "remove")

    @property
    def parent_kind(self) -> str:
        """What the file is attached to ("submission", "brief", "feedback report"), in the user's language."""
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else ""

    @property
    def file_type_label(self) -> str:
        """PDF, Word, Excel, PowerPoint or OpenDocument, as people name them."""
        return _FILE_TYPE_LABELS.get(self.file_type, self.file_type)


_FILE_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
}
