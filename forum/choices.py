from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    POLITICIAN = "politician", _("Politicians' forum")
    CIVIL_SERVANT = "civil_servant", _("Civil servants' forum")


class SeatRole(models.TextChoices):
    """The seats of the two fora, as the first seed's slide sets them out (see forum/seats.py)."""

    # Politicians' forum, counties where a region, collaboration body or municipality holds the responsibility.
    REGIONAL_POLITICIAN_MAJORITY = "regional_politician_majority", _("Regional politician, majority")
    REGIONAL_POLITICIAN_OPPOSITION = "regional_politician_opposition", _("Regional politician, opposition")
    # Politicians' forum, counties where the county administrative board holds it.
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    ASSOCIATION_POLITICIAN_MAJORITY = (
        "association_politician_majority",
        _("Municipal association politician, majority"),
    )
    ASSOCIATION_POLITICIAN_OPPOSITION = (
        "association_politician_opposition",
        _("Municipal association politician, opposition"),
    )
    COUNTY_COUNCIL_POLITICIAN_MAJORITY = "county_council_politician_majority", _("County council politician, majority")
    COUNTY_COUNCIL_POLITICIAN_OPPOSITION = (
        "county_council_politician_opposition",
        _("County council politician, opposition"),
    )
    # Politicians' forum, national.
    SKL_COMMITTEE = "skl_committee", _("SKL committee seat")
    # Civil servants' forum.
    REGIONAL_DIRECTOR = "regional_director", _("Regional director (or equivalent)")
    COUNTY_BOARD_DIRECTOR = "county_board_director", _("County board director (länsråd)")
    ASSOCIATION_DIRECTOR = "association_director", _("Director of the municipal association")
    COUNTY_COUNCIL_DIRECTOR = "county_council_director", _("Director of the county council")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    SUBSTITUTE = "substitute", _("Represented by the substitute")
