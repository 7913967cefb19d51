import pytest

from regions import demo
from regions.models import Contact, GoodExample, Organisation, Region, RegionalStrategy, StrategyPriority, Topic

pytestmark = pytest.mark.django_db


def _counts():
    models = (Region, Organisation, Contact, RegionalStrategy, StrategyPriority, GoodExample, Topic)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_load_has_the_six_good_examples_of_the_first_seed_with_themes():
    demo.load()
    examples = {(e.region.code, e.title): e for e in GoodExample.objects.select_related("region", "theme")}
    assert set(examples) == {
        ("08", "Uppföljning och analys av företagsstöden"),
        ("22", "Genusperspektiv i handläggning och riktade insatser mot kvinnor"),
        ("14", "Utvecklat aktörssystem för att dra åt samma håll"),
        ("07", "Insatslogiken i fokus"),
        ("17", "Avtal för samverkan med universitetet, tydliggörande av roller"),
        ("25", "Modell för analyssamverkan med universitetet"),
    }
    assert all(example.year == 2015 and example.theme is not None for example in examples.values())


def test_demo_load_gives_kalmar_and_kronoberg_strategies_and_agencies_remits():
    demo.load()
    kalmar = RegionalStrategy.objects.filter(region__code="08").order_by("-start_year").first()
    assert list(kalmar.priorities.values_list("number", flat=True)) == [1, 2, 3]
    assert RegionalStrategy.objects.filter(region__code="07").exists()
    skills = Organisation.objects.filter(themes__slug="kompetensforsorjning").values_list("name", flat=True)
    assert {"Arbetsförmedlingen", "Myndigheten för yrkeshögskolan"} <= set(skills)


def test_demo_load_twice_changes_nothing():
    demo.load()
    before = _counts()
    demo.load()
    assert _counts() == before
