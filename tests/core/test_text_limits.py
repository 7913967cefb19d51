"""Every free-text field has a limit the form enforces (core/limits.py), so a pasted document can
neither blow a feedback report up to hundreds of pages nor a page to megabytes."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from core import limits
from dialogues.models import Observation
from tests.factories.dialogues import DialogueFactory

PROJECT_APPS = ("accounts", "core", "regions", "records", "forum", "followup", "dialogues", "reports", "portal", "api")
# Texts the portal writes itself, never typed into a form (a kept conditions decision is a copy of
# the allocation's, whose form limits them).
WRITTEN_BY_THE_PORTAL = {
    "followup.ConditionsDecision.conditions",
    "followup.ConditionsDecision.reporting_requirements",
    "records.ArchivePackage.error",
    "core.OutgoingMail.body",
    "core.OutgoingMail.last_error",
    "core.DigestItem.body",
    "reports.FeedbackReport.error",
}


def test_every_text_a_person_types_into_a_model_has_a_limit():
    unlimited = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for field in model._meta.fields
        if isinstance(field, models.TextField) and field.editable and field.max_length is None
    }
    assert unlimited == WRITTEN_BY_THE_PORTAL


def _project_forms():
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


def test_every_text_area_on_a_form_has_a_limit():
    unlimited = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) and field.max_length is None
    ]
    assert unlimited == []


@pytest.mark.django_db
def test_an_observation_longer_than_the_limit_is_refused_with_a_message_and_nothing_saved(client, ministry_user):
    dialogue = DialogueFactory()
    text = "Mycket lång iakttagelse. " * (limits.LONG_TEXT // 20)
    client.force_login(ministry_user)
    response = client.post(
        reverse("dialogues:observation_create", args=[dialogue.pk]),
        {"category": "results", "title": "Resultaten", "text": text},
    )
    assert response.status_code == 200
    assert f"som mest {limits.LONG_TEXT} tecken (den har {len(text.strip())})" in response.content.decode()
    assert not Observation.objects.exists()
