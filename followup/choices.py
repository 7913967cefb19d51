from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instrument(models.TextChoices):
    """What a county spends its 1:1 money on."""

    PROJECTS = "projects", _("Project activities")
    BUSINESS_SUPPORT = "business_support", _("Regional business support")
    COMMERCIAL_SERVICE = "commercial_service", _("Commercial service")
    EU_COFINANCING = "eu_cofinancing", _("Co-financing of EU programmes")
    OTHER = "other", pgettext_lazy("instrument", "Other")


class CoFinancingSource(models.TextChoices):
    """Where the money that joins the 1:1 money comes from."""

    EU_STRUCTURAL_FUNDS = "eu_structural_funds", _("EU structural funds")
    REGION = "region", _("Region")
    MUNICIPALITIES = "municipalities", _("Municipalities")
    OTHER_STATE = "other_state", _("Other state funding")
    PRIVATE = "private", _("Private funding")
