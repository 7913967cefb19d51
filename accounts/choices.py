from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry staff")
    AGENCY = "agency", _("Agency reviewer")
    REGION = "region", _("Regional user")
    ADMIN = "admin", _("Administrator")
