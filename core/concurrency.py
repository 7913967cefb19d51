"""Optimistic locking: a save that would overwrite someone else's newer save is refused.

A model that people edit at the same time gets `version = models.PositiveIntegerField(default=1)`;
its form carries the version the user started from (`VersionedFormMixin`), and the service saves
through `save_versioned`, which raises `StaleEditError` when the row has moved on meanwhile.
The view then shows the form again with the user's own text and the message from the error.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaleEditError(Exception):
    """Someone else saved the object after this user opened it."""

    message = _(
        "Someone else saved this after you opened it, so your changes were not saved. "
        "Your text is still in the form: copy what you need, reload the page and make your changes again."
    )

    def __str__(self):
        return str(self.message)


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write `fields` of `instance` only if its stored version is still `expected_version`.

    Bumps the version in the same UPDATE, so two concurrent saves can never both succeed.
    """
    from .audit import audit_record_update

    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    rows = model._default_manager.filter(pk=instance.pk, version=expected_version)
    # The values this save replaces, for the audit log (an UPDATE sends no signal to django-auditlog).
    before = rows.values(*(model._meta.get_field(name).attname for name in fields)).first() if fields else {}
    if before is None:
        raise StaleEditError
    updated = rows.update(**values, version=models.F("version") + 1)
    if updated != 1:
        raise StaleEditError
    instance.version = expected_version + 1
    if before:
        audit_record_update(instance, before=before, fields=fields)


class VersionedFormMixin(forms.Form):
    """Adds the hidden `version` the user started editing from (a ModelForm's instance gives it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
