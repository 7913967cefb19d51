from django.conf import settings
from django.db import models
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
