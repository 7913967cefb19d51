"""Form fields every app uses for dates and times: a sane year, refused as a form error before
anything computes with the value (a dialogue at 0001-01-01T00:30 overflows in the time zone
arithmetic). A form may narrow or widen the range (`min_year`, `max_year`) and word the refusal
itself (`error_messages={"year_range": ...}`)."""

from django import forms
from django.db import models

from .validators import MAX_YEAR, MIN_YEAR, SaneYearValidator


class _SaneYearMixin:
    def __init__(self, *args, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(SaneYearValidator(min_year, max_year))


class DateField(_SaneYearMixin, forms.DateField):
    pass


class DateTimeField(_SaneYearMixin, forms.DateTimeField):
    pass


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: its dates and times get the fields above."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)
