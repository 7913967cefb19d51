"""A good example derived from the ministry's observation is the ministry's text: the county cannot
edit it (the edit page does not exist for it, and no page offers an edit link); its own examples
it edits as before (issue 13)."""

import pytest
from django.urls import reverse

from dialogues import services
from regions.models import GoodExample
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory
from tests.factories.regions import GoodExampleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministrys_example(region_a):
    observation = services.observation_create(
        dialogue=DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a),
        author=None,
        category="learning",
        title="Departementets exempel",
        text="Departementets text.",
        shared_with_region=True,
        is_good_example=True,
    )
    return observation.good_example


@pytest.fixture
def countys_example(region_a):
    return GoodExampleFactory(region=region_a, title="Länets eget exempel")


def _edit_links(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('href="')[1:] if "/goda-exempel/" in part.split('"')[0]]


def test_good_example_from_observation_cannot_be_edited_by_its_county(
    client, region_user, ministrys_example, countys_example
):
    client.force_login(region_user)
    url = reverse("regions:goodexample_update", args=[ministrys_example.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Länets version", "summary": "Ändrad", "year": 2016})

    assert response.status_code == 404
    ministrys_example.refresh_from_db()
    assert (ministrys_example.title, ministrys_example.summary) == ("Departementets exempel", "Departementets text.")
    own = client.get(reverse("regions:goodexample_update", args=[countys_example.pk]))
    assert own.status_code == 200 and "Länets eget exempel" in own.content.decode()


@pytest.mark.parametrize("page", ["regions:goodexample_list", "regions:region_detail"])
def test_good_example_pages_offer_the_county_an_edit_link_only_for_its_own_examples(
    client, region_user, ministry_user, ministrys_example, countys_example, page
):
    url = reverse(page, args=[ministrys_example.region.slug] if page == "regions:region_detail" else [])
    own = reverse("regions:goodexample_update", args=[countys_example.pk])
    ministrys = reverse("regions:goodexample_update", args=[ministrys_example.pk])

    client.force_login(region_user)
    html = client.get(url).content.decode()
    assert "Departementets exempel" in html and "Länets eget exempel" in html
    assert own in _edit_links(html) and ministrys not in _edit_links(html)

    client.force_login(ministry_user)
    assert {own, ministrys} <= set(_edit_links(client.get(url).content.decode()))


def test_good_example_from_observation_stays_editable_for_the_ministry(client, ministry_user, ministrys_example):
    client.force_login(ministry_user)
    response = client.get(reverse("regions:goodexample_update", args=[ministrys_example.pk]))
    assert response.status_code == 200 and "Departementets exempel" in response.content.decode()
    assert GoodExample.objects.count() == 1
