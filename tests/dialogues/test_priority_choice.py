"""The RUS priority selector of the submission form: the priority's own text, and only the
priorities of the county's strategy in force in the round's year."""

from django.urls import reverse

from dialogues.forms import PriorityForm, priority_choices
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory


def _strategies(region):
    old = RegionalStrategyFactory(
        region=region, title="Regional utvecklingsstrategi för Kalmar län 2012–2020", start_year=2012, end_year=2020
    )
    new = RegionalStrategyFactory(
        region=region, title="Regional utvecklingsstrategi för Kalmar län 2021–2030", start_year=2021, end_year=2030
    )
    old_priority = StrategyPriorityFactory(strategy=old, number=1, title="Attraktiva livsmiljöer")
    new_priorities = [
        StrategyPriorityFactory(strategy=new, number=1, title="Hållbar tillväxt"),
        StrategyPriorityFactory(strategy=new, number=2, title="Kompetensförsörjning"),
    ]
    return old_priority, new_priorities


def test_priority_choices_show_the_priority_text_of_the_strategy_in_force_that_year(region_a):
    old_priority, (first, second) = _strategies(region_a)
    assert priority_choices(region_a, year=2025) == [
        ("", "---------"),
        (first.pk, "1. Hållbar tillväxt"),
        (second.pk, "2. Kompetensförsörjning"),
    ]
    assert priority_choices(region_a, year=2016)[1:] == [(old_priority.pk, "1. Attraktiva livsmiljöer")]


def test_priority_form_refuses_a_priority_of_a_strategy_not_in_force(region_a):
    old_priority, (first, _second) = _strategies(region_a)
    form = PriorityForm({"rank": 1, "strategy_priority": old_priority.pk}, region=region_a, year=2025)
    assert not form.is_valid()
    assert "strategy_priority" in form.errors
    form = PriorityForm({"rank": 1, "strategy_priority": first.pk}, region=region_a, year=2025)
    assert form.is_valid(), form.errors
    labels = [label for _value, label in form.fields["strategy_priority"].choices]
    assert labels == ["---------", "1. Hållbar tillväxt", "2. Kompetensförsörjning"]


def test_priority_choices_fall_back_to_all_the_county_strategies_when_none_is_in_force(region_a):
    old_priority, new_priorities = _strategies(region_a)
    values = [value for value, _label in priority_choices(region_a, year=2040)[1:]]
    assert sorted(values) == sorted([old_priority.pk, *(p.pk for p in new_priorities)])


def test_submission_edit_page_offers_the_priorities_of_the_strategy_in_force_in_the_round_year(
    client, region_user, kalmar_dialogue
):
    # kalmar_dialogue is in the 2016 round: the 2012–2020 strategy is in force.
    old_priority, _new_priorities = _strategies(kalmar_dialogue.region)
    client.force_login(region_user)
    html = client.get(reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk])).content.decode()
    assert f'<option value="{old_priority.pk}">1. Attraktiva livsmiljöer</option>' in html
    assert "Kompetensförsörjning" not in html
    assert "Regional utvecklingsstrategi för Kalmar län" not in html
