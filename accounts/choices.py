from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry staff")
    AGENCY = "agency", _("Agency reviewer")
    REGION = "region", _("Regional user")
    ADMIN = "admin", _("Administrator")


class CountyRole(models.TextChoices):
    """What a regional user may do for their county. Only regional users have one."""

    DIRECTOR = "director", _("May submit for the county")
    EDITOR = "editor", _("Drafts, cannot submit")
