from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    POLITICIAN = "politician", _("Politicians' forum")
    CIVIL_SERVANT = "civil_servant", _("Civil servants' forum")
