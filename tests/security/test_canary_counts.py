"""Canaries, counted (issue 13): county B's view of every page and report, with and without county
A's unshared observations, is byte-identical after removing tokens and times; so is county A's own
view, the ministry's unshared notes on it are counted nowhere it reads. (A module of its own: the
marker tests in test_canary.py share one world built for their module.)"""

import pytest

from accounts.choices import Role
from dialogues import services
from dialogues.choices import ObservationCategory
from dialogues.models import Observation
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import ObservationFactory

from .test_canary import _difference, _reports_generated_and_published, _view_of, _walked_paths
from .urlwalk import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.usefixtures("_media_in_tmp")
def test_canary_counties_see_the_same_bytes_with_and_without_the_ministrys_unshared_notes_on_a(
    client, region_a, region_b, ministry_user, django_capture_on_commit_callbacks
):
    world = build_world(region_a, region_b)
    Observation.objects.filter(shared_with_region=False).delete()
    b_dialogue = world["round"].dialogues.get(region=region_b)
    for dialogue in (world["dialogue"], b_dialogue):
        ObservationFactory(dialogue=dialogue, category=ObservationCategory.LEARNING, title=f"Delad {dialogue.pk}")
    _reports_generated_and_published(world["round"], django_capture_on_commit_callbacks)
    user_b = UserFactory(role=Role.REGION, region=region_b)
    user_a = UserFactory(role=Role.REGION, region=region_a)
    start = _walked_paths(world)
    before = {"B": _view_of(client, user_b, start), "A": _view_of(client, user_a, start)}

    for category, _label in ObservationCategory.choices:
        services.observation_create(
            dialogue=world["dialogue"],
            author=ministry_user,
            category=category,
            title=f"Intern anteckning {category}",
            text="Bara för departementet.",
            shared_with_region=False,
            is_good_example=category == ObservationCategory.LEADERSHIP,
        )
    after = {"B": _view_of(client, user_b, start), "A": _view_of(client, user_a, start)}

    for county in ("B", "A"):
        assert before[county].keys() == after[county].keys()
        changed = [where for where in before[county] if before[county][where] != after[county][where]]
        assert not changed, f"County {county}'s view changed with A's unshared observations:\n" + "\n".join(
            _difference(before[county][where], after[county][where], where) for where in changed
        )
