"""A filter left open says so in words ("Alla"), never django-filter's "---------"."""

import importlib
import importlib.util

import django_filters
import pytest
from django.apps import apps
from django.utils import translation

PROJECT_APPS = {"accounts", "regions", "forum", "followup", "dialogues", "reports", "portal"}


def _filtersets():
    for app in apps.get_app_configs():
        if app.name not in PROJECT_APPS or importlib.util.find_spec(f"{app.name}.filters") is None:
            continue
        module = importlib.import_module(f"{app.name}.filters")
        own = [value for value in vars(module).values() if getattr(value, "__module__", "") == module.__name__]
        yield from (value for value in own if isinstance(value, type) and issubclass(value, django_filters.FilterSet))


def _empty_label(field) -> str:
    if getattr(field, "empty_label", None) is not None:
        return str(field.empty_label)
    return str(field.choices[0][1])


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(_filtersets()), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_choice_filter_offers_a_worded_empty_choice(filterset):
    with translation.override("sv"):
        form = filterset(data={}).form
        labels = [_empty_label(field) for field in form.fields.values() if hasattr(field, "choices")]
    assert labels, "a filter set with no choice filters needs no test"
    assert "---------" not in labels
    assert all(label.strip() for label in labels)
