"""The rows of the submission and participant formsets: an empty row for the script to copy, and
the server-side way to more rows (saving adds empty ones) for a browser without JavaScript.
The script itself is exercised in Chromium: tests/browser/test_formset_rows.py."""

import re

import pytest
from django.urls import reverse

from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db


def _html(response):
    return response.content.decode()


def _rows(html, prefix):
    """Indexes of the rendered rows of a formset (the empty row's "__prefix__" left out)."""
    return sorted({int(i) for i in re.findall(rf'id="id_{prefix}-(\d+)-', html)})


def _template(html):
    return re.findall(r"<template data-formset-empty>(.*?)</template>", html, re.S)


def test_submission_form_carries_an_empty_row_per_formset_and_a_hidden_add_button(
    client, region_user, kalmar_dialogue, kalmar_priorities
):
    client.force_login(region_user)
    html = _html(client.get(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])))
    priority_row, result_row = _template(html)
    assert 'name="priorities-__prefix__-rank"' in priority_row
    assert "Attraktiva livsmiljöer" in priority_row  # the county's own RUS priorities to choose from
    assert "Prioritering __number__" in priority_row
    assert 'name="results-__prefix__-indicator"' in result_row
    for label in ("Lägg till en prioritering", "Lägg till ett resultat"):
        button = re.search(rf"<button[^>]*>\s*{label}\s*</button>", html)
        assert button and 'type="button"' in button[0] and " hidden" in button[0], label
    assert html.count('src="/static/js/formset-rows.js"') == 1
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_submission_without_javascript_gets_more_rows_by_saving(
    client, region_user, kalmar_dialogue, kalmar_priorities
):
    url = reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])
    client.force_login(region_user)
    html = _html(client.get(url))
    assert _rows(html, "priorities") == [0, 1]
    assert "Behöver du fler rader? Spara utkastet" in html
    client.post(
        url,
        {
            "version": kalmar_dialogue.submission.version,
            "resource_use": "",
            "priorities-TOTAL_FORMS": "2",
            "priorities-INITIAL_FORMS": "0",
            "priorities-0-rank": "1",
            "priorities-0-strategy_priority": kalmar_priorities[0].pk,
            "priorities-1-rank": "2",
            "priorities-1-strategy_priority": kalmar_priorities[1].pk,
            "results-TOTAL_FORMS": "0",
            "results-INITIAL_FORMS": "0",
        },
    )
    assert kalmar_dialogue.submission.priorities.count() == 2
    html = _html(client.get(url))
    assert _rows(html, "priorities") == [0, 1, 2, 3]  # both saved rows and two empty ones


def test_submission_row_added_in_the_browser_is_saved(client, region_user, kalmar_dialogue, kalmar_priorities):
    """What the script sends: a third row, at index 2, counted in TOTAL_FORMS; the two empty rows skipped."""
    client.force_login(region_user)
    client.post(
        reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]),
        {
            "version": kalmar_dialogue.submission.version,
            "resource_use": "",
            "priorities-TOTAL_FORMS": "3",
            "priorities-INITIAL_FORMS": "0",
            "priorities-0-rank": "",
            "priorities-1-rank": "",
            "priorities-2-rank": "1",
            "priorities-2-strategy_priority": kalmar_priorities[1].pk,
            "priorities-2-rationale": "Tillagd utan omladdning",
            "results-TOTAL_FORMS": "2",
            "results-INITIAL_FORMS": "0",
        },
    )
    [priority] = kalmar_dialogue.submission.priorities.all()
    assert (priority.strategy_priority, priority.rationale) == (kalmar_priorities[1], "Tillagd utan omladdning")


def test_schedule_form_carries_an_empty_participant_row(client, ministry_user, kalmar_dialogue):
    ContactFactory(name="Eva Näringsdepartementet")
    client.force_login(ministry_user)
    html = _html(client.get(reverse("dialogues:dialogue_schedule", args=[kalmar_dialogue.pk])))
    [row] = _template(html)
    assert 'name="participants-__prefix__-contact"' in row and "Eva Näringsdepartementet" in row
    assert "Deltagare __number__" in row
    assert _rows(html, "participants") == [0, 1, 2]
    assert re.search(r'<button type="button"[^>]*hidden>\s*Lägg till en deltagare\s*</button>', html)
    assert "Fler rader får du genom att spara och komma tillbaka." in html
