"""Input PostgreSQL cannot store (a NUL character) answers a clear 400 page in Swedish before any
view runs, in the address, its parameters or a form; nothing is saved. The fuzzer in
tests/security/test_fuzz_forms.py sends it (and worse) to every page."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from dialogues.models import Observation
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory

TITLE = "Characters that cannot be used"


def _says_why(response) -> bool:
    with translation.override("sv"):
        return escape(translation.gettext(TITLE)) in response.content.decode()


@pytest.fixture
def dialogue_round(region_a):
    dialogue_round = DialogueRoundFactory()
    DialogueFactory(round=dialogue_round, region=region_a)
    return dialogue_round


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("dialogues:search", {"q": "\x00"}),
        ("dialogues:observation_matrix", {"region": "\x00"}),
        ("dialogues:observation_matrix", {"category": "a\x00b"}),
        ("regions:contact_create", {"region": "\x00"}),
        ("regions:contact_list", {"\x00": "1"}),
    ],
)
def test_a_nul_character_in_a_query_parameter_answers_a_page_that_says_why(
    client, ministry_user, dialogue_round, url, params
):
    client.force_login(ministry_user)
    args = [dialogue_round.pk] if url == "dialogues:observation_matrix" else []

    response = client.get(reverse(url, args=args), params)

    assert response.status_code == 400
    assert _says_why(response)
    assert 'lang="sv"' in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_the_address_answers_a_page_that_says_why(client, ministry_user):
    client.force_login(ministry_user)

    response = client.get("/lan/kalmar%00lan/")

    assert response.status_code == 400
    assert _says_why(response)


@pytest.mark.django_db
def test_a_nul_character_in_a_form_saves_nothing(client, ministry_user, region_a):
    dialogue = DialogueFactory(region=region_a)
    client.force_login(ministry_user)

    response = client.post(
        reverse("dialogues:observation_create", args=[dialogue.pk]),
        {"category": "steering", "title": "Bra", "text": "Text med \x00 i"},
    )

    assert response.status_code == 400
    assert _says_why(response)
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_button_changes_nothing(client, ministry_user):
    from forum.models import CalendarSubscription
    from forum.services import calendar_subscription_renew

    calendar_subscription_renew(user=ministry_user)
    digest = CalendarSubscription.objects.get().token_digest
    client.force_login(ministry_user)

    response = client.post(reverse("portal:calendar_subscription"), {"action": "renew\x00"})

    assert response.status_code == 400
    assert _says_why(response)
    assert CalendarSubscription.objects.get().token_digest == digest
