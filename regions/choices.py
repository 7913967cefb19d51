from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyType(models.TextChoices):
    """Which kind of body holds the regional development responsibility in a county."""

    REGION = "region", _("Region (county council)")
    MUNICIPALITY = "municipality", _("Municipality (Gotland)")
    COLLABORATION_BODY = "collaboration_body", _("Municipal collaboration body")
    COUNTY_BOARD = "county_board", _("County administrative board")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("National agency")
    REGIONAL_BODY = "regional_body", _("Regional body")
    COUNTY_BOARD = "county_board", _("County administrative board")
    MUNICIPAL_ASSOCIATION = "municipal_association", _("Municipal association")
    ASSOCIATION = "association", _("Association of local and regional authorities")
    OTHER = "other", _("Other")


class StrategyStageKind(models.TextChoices):
    """The stages of the process around a regional development strategy, in the order they come."""

    ANALYSIS = "analysis", _("Analysis")
    DRAFTING = "drafting", _("Drafting")
    CONSULTATION = "consultation", _("Consultation")
    ADOPTION = "adoption", _("Adoption")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up and evaluation")

    @classmethod
    def position(cls, value: str) -> int:
        return cls.values.index(value)
