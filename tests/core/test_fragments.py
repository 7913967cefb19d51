"""Cached page parts (core/fragments.py): served from Redis until the data changes, and never
shared between users, languages or counties."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues.models import Observation
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, ObservationFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    ObservationFactory(dialogue=dialogue, title="Delad iakttagelse", shared_with_region=True)
    ObservationFactory(dialogue=dialogue, title="Intern iakttagelse", shared_with_region=False)
    return dialogue


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_page_seen_again_comes_from_the_cache_with_fewer_queries(client, ministry_user, dialogue):
    client.force_login(ministry_user)
    first, first_queries = _get(client, dialogue.get_absolute_url())
    again, again_queries = _get(client, dialogue.get_absolute_url())
    assert "Intern iakttagelse" in first and "Intern iakttagelse" in again
    assert again_queries < first_queries


def test_a_change_shows_at_once_even_when_written_without_signals(client, ministry_user, dialogue):
    client.force_login(ministry_user)
    _get(client, dialogue.get_absolute_url())

    Observation.objects.filter(title="Delad iakttagelse").update(title="Omskriven iakttagelse")  # no save()

    page, _ = _get(client, dialogue.get_absolute_url())
    assert "Omskriven iakttagelse" in page
    assert "Delad iakttagelse" not in page


def test_a_county_never_gets_the_part_cached_for_the_ministry(client, ministry_user, region_user, dialogue):
    dialogue.round.status = "open"
    dialogue.round.save()
    client.force_login(ministry_user)
    assert "Intern iakttagelse" in _get(client, dialogue.get_absolute_url())[0]

    client.force_login(region_user)
    page, _ = _get(client, dialogue.get_absolute_url())
    assert "Delad iakttagelse" in page
    assert "Intern iakttagelse" not in page


def test_each_language_gets_its_own_cached_part(client, ministry_user, dialogue):
    client.force_login(ministry_user)
    swedish, _ = _get(client, dialogue.get_absolute_url())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english, _ = _get(client, dialogue.get_absolute_url())
    assert "Deltagare" in swedish
    assert "Participants" in english and "Deltagare" not in english


def test_a_new_figure_shows_on_the_national_comparison_at_once(client, ministry_user, region_a):
    appropriation = AppropriationFactory(year=2020)
    client.force_login(ministry_user)
    url = reverse("followup:national") + "?year=2020"
    before, _ = _get(client, url)
    assert "Kalmar län" not in before

    AllocationFactory(appropriation=appropriation, region=region_a)

    after, _ = _get(client, url)
    assert "Kalmar län" in after


def test_without_redis_nothing_is_cached(client, ministry_user, dialogue, settings):
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    client.force_login(ministry_user)
    _, first_queries = _get(client, dialogue.get_absolute_url())
    _, again_queries = _get(client, dialogue.get_absolute_url())
    assert again_queries == first_queries
