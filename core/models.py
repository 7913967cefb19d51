from django.conf import settings
from django.db import models
from django.db.models import Q
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
