"""API tokens: a secret an organisation's program sends as `Authorization: Bearer <secret>`.

A token belongs to a user account (a service account of the organisation, with a role and a
county like any user), so the portal's visibility rules apply to the API unchanged. Only the
SHA-256 of the secret is stored; the secret is shown once, when an administrator creates it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One organisation's key to the API, issued and revoked by an administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("account"),
        help_text=_("The service account the token acts as: its role and county decide what the API shows."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The organisation and the program that use the token.")
    )
    key_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
