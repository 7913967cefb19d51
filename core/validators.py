"""Bounds on input that the database, Python's datetime or the time zone arithmetic cannot take."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Far enough either way for any plan or history the portal keeps; outside it, a date is a typo (and
# year 1 or 9999 overflows when converted between time zones).
MIN_YEAR, MAX_YEAR = 1900, 2200


def validate_sane_year(value: datetime.date | datetime.datetime | None) -> None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Give a year between {first} and {last}.").format(first=MIN_YEAR, last=MAX_YEAR), code="year_range"
        )
