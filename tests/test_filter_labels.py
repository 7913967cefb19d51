"""A filter left open says so in words ("Alla"), never django-filter's "---------"."""

import importlib
import pkgutil

import django_filters
import pytest
from django.apps import apps
from django.utils import translation


def _filtersets():
    for app in apps.get_app_configs():
        if not app.name.split(".")[0] in {"accounts", "regions", "forum", "followup", "dialogues", "reports", "portal"}:
            continue
        if pkgutil.find_loader(f"{app.name}.filters") is None:
            continue
        module = importlib.import_module(f"{app.name}.filters")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                yield value


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(_filtersets()), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_choice_filter_offers_a_worded_empty_choice(filterset):
    with translation.override("sv"):
        form = filterset(data={}).form
        labels = [
            str(field.choices[0][1])
            if not hasattr(field, "empty_label") or field.empty_label is None
            else str(field.empty_label)
            for field in form.fields.values()
            if hasattr(field, "choices")
        ]
    assert labels, "a filter set with no choice filters needs no test"
    assert "---------" not in labels
    assert all(label.strip() for label in labels)
