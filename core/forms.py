"""Form fields every app uses for dates and times: a sane year, refused as a form error before
anything computes with the value (a dialogue at 0001-01-01T00:30 overflows in the time zone
arithmetic)."""

from django import forms
from django.db import models

from .validators import validate_sane_year


class DateField(forms.DateField):
    default_validators = [validate_sane_year]


class DateTimeField(forms.DateTimeField):
    default_validators = [validate_sane_year]


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: its dates and times get the fields above."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)
