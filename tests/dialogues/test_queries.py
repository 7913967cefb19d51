"""Query counts per page do not grow with the data (an N+1 fails here)."""

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.choices import RoundStatus
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    ObservationFactory,
    ParticipantFactory,
    SubmissionFactory,
)
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db


def _round_with(n):
    dialogue_round = DialogueRoundFactory(year=2016)
    for _ in range(n):
        dialogue = DialogueFactory(round=dialogue_round, region=RegionFactory())
        SubmissionFactory(dialogue=dialogue)
        BriefFactory(dialogue=dialogue)
        ObservationFactory.create_batch(2, dialogue=dialogue)
        FollowUpActionFactory.create_batch(2, dialogue=dialogue)
        ParticipantFactory(dialogue=dialogue)
    return dialogue_round


@pytest.mark.parametrize("n", (1, 3))
def test_round_overview_queries_do_not_grow_with_dialogues(client, ministry_user, django_assert_num_queries, n):
    dialogue_round = _round_with(n)
    client.force_login(ministry_user)
    # user, round, its themes, the progress (the dialogues' counts and the published reports), the
    # annotated dialogues (the previous round's conclusions show only while a round is being planned)
    with django_assert_num_queries(6):
        response = client.get(dialogue_round.get_absolute_url())
    html = response.content.decode()
    assert html.count("Testlän") == n
    assert f"0 av {n} inlämnade" in html


@pytest.mark.parametrize("n", (1, 3))
def test_round_list_queries_do_not_grow_with_rounds(client, ministry_user, django_assert_num_queries, n):
    for i in range(n):
        DialogueRoundFactory(year=2040 + i)
    client.force_login(ministry_user)
    with django_assert_num_queries(2):
        response = client.get(reverse("dialogues:round_list"))
    assert response.content.decode().count("Regionala utvecklingsdialoger 20") == n


@pytest.mark.parametrize("n", (1, 3))
def test_dialogue_detail_queries_do_not_grow_with_participants_observations_and_actions(
    client, ministry_user, region_a, django_assert_num_queries, n
):
    old = DialogueFactory(round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED), region=region_a)
    ObservationFactory.create_batch(n, dialogue=old)
    FollowUpActionFactory.create_batch(n, dialogue=old)
    new_round = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    services.round_open(dialogue_round=new_round, regions=[region_a])
    dialogue = new_round.dialogues.get()
    ObservationFactory.create_batch(n, dialogue=dialogue, is_good_example=True)
    ParticipantFactory.create_batch(n, dialogue=dialogue)
    BriefFactory(dialogue=dialogue)
    client.force_login(ministry_user)
    # user, dialogue (+ submission, brief), participants, observations, actions, previous dialogue,
    # its observations, its actions; the brief's files; the brief's change history and the dialogue
    # its creation names; the secrecy markings in force on each list of observations (records, issue 17)
    with django_assert_num_queries(13):
        response = client.get(dialogue.get_absolute_url())
    assert response.content.decode().count("överförd från föregående omgång") == n


@pytest.mark.parametrize("n", (1, 3))
def test_dialogue_detail_for_the_county_queries_do_not_grow(
    client, region_user, kalmar_dialogue, django_assert_num_queries, n
):
    ObservationFactory.create_batch(n, dialogue=kalmar_dialogue)
    FollowUpActionFactory.create_batch(n, dialogue=kalmar_dialogue)
    client.force_login(region_user)
    # user with their county, dialogue, participants, shared observations, actions, previous dialogue (none)
    with django_assert_num_queries(6):
        response = client.get(kalmar_dialogue.get_absolute_url())
    assert response.content.decode().count('card-title">Iakttagelse') == n
