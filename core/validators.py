"""Bounds on input that the database, Python's datetime or the time zone arithmetic cannot take."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Far enough either way for any plan or history the portal keeps; outside it, a date is a typo (and
# year 1 or 9999 overflows when converted between time zones).
MIN_YEAR, MAX_YEAR = 1900, 2200


@deconstructible
class SaneYearValidator:
    """A date or time whose year lies between `min_year` and `max_year` (error code "year_range")."""

    def __init__(self, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR):
        self.min_year, self.max_year = min_year, max_year

    def __call__(self, value: datetime.date | datetime.datetime | None) -> None:
        if value is not None and not self.min_year <= value.year <= self.max_year:
            raise ValidationError(
                _("Give a year between {first} and {last}.").format(first=self.min_year, last=self.max_year),
                code="year_range",
            )

    def __eq__(self, other):
        return isinstance(other, SaneYearValidator) and (self.min_year, self.max_year) == (
            other.min_year,
            other.max_year,
        )


validate_sane_year = SaneYearValidator()
