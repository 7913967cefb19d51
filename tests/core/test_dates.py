"""Dates and times in forms have a sane year (core.validators): a typo such as year 1 or 99999 is a
form error, never an overflow in the time zone arithmetic or the database."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.validators import SaneYearValidator
from dialogues.models import Dialogue
from tests.factories.dialogues import DialogueFactory


def _our_form_classes():
    """Every form class defined in the portal's own apps (found by importing their modules)."""
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(base) or ".venv" in config.path:
            continue
        for module_info in pkgutil.walk_packages([config.path], prefix=config.name + "."):
            if "migrations" in module_info.name or "tests" in module_info.name:
                continue
            if "form" not in module_info.name.rsplit(".", 1)[-1]:
                continue
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_date_and_time_field_of_our_forms_refuses_an_insane_year():
    classes = list(_our_form_classes())
    assert len(classes) > 20, "the walk found too few forms"
    missing = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField)
        and not any(isinstance(v, SaneYearValidator) for v in field.validators)
    ]
    assert missing == [], "date fields without core.validators.SaneYearValidator:\n" + "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["0001-01-01T00:30", "9999-12-31T23:30", "1899-12-31T10:00"])
def test_a_dialogue_scheduled_in_year_one_is_a_form_error(client, ministry_user, region_a, start):
    dialogue = DialogueFactory(region=region_a)
    client.force_login(ministry_user)

    response = client.post(
        reverse("dialogues:dialogue_schedule", args=[dialogue.pk]),
        {
            "start": start,
            "end": "2031-05-12T12:00",
            "place": "Kalmar",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    with translation.override("sv"):
        assert escape(translation.gettext("Give a year between {first} and {last}.").format(first=1900, last=2200)) in (
            response.content.decode()
        )
    assert Dialogue.objects.get(pk=dialogue.pk).start == dialogue.start
