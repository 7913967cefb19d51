"""A county's dialogues across the rounds, linked from the county's profile."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from dialogues import services
from dialogues.choices import DialogueKind, RoundStatus
from dialogues.models import DialogueRound
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _url(region):
    return reverse("dialogues:region_dialogues", args=[region.slug])


def _html(response):
    return response.content.decode()


@pytest.fixture
def kalmar_rounds(region_a, region_user):
    """Kalmar's annual dialogues of 2015 (accepted) and 2016 (a draft), bilateral talks in 2016,
    and the annual dialogue of a 2017 round still being planned."""
    closed = DialogueRoundFactory(year=2015, title="Dialogerna 2015")
    open_ = DialogueRoundFactory(year=2016, title="Dialogerna 2016")
    planning = DialogueRoundFactory(year=2017, title="Dialogerna 2017", status=RoundStatus.PLANNING)
    old = SubmissionFactory(dialogue=DialogueFactory(round=closed, region=region_a), resource_use="Text")
    services.submission_submit(submission=old, user=region_user)
    services.submission_accept(submission=old)
    DialogueRound.objects.filter(pk=closed.pk).update(status=RoundStatus.CLOSED)
    SubmissionFactory(dialogue=DialogueFactory(round=open_, region=region_a))
    DialogueFactory(round=open_, region=region_a, kind=DialogueKind.BILATERAL, topic="Kompetensplattformen")
    DialogueFactory(round=planning, region=region_a)
    return {"closed": closed, "open": open_, "planning": planning}


def test_region_dialogues_for_the_county_newest_round_first_without_rounds_in_planning(
    client, region_user, kalmar_rounds
):
    client.force_login(region_user)
    html = _html(client.get(_url(region_user.region)))
    assert "Dialogerna med Kalmar län" in html
    assert "Dialogerna 2017" not in html  # a round in planning does not exist for the county yet
    assert html.index("Dialogerna 2016") < html.index("Dialogerna 2015")
    assert "Bilaterala samtal: Kompetensplattformen" in " ".join(html.split())
    assert "3 dialoger" in html
    # The county opens its own draft and its accepted submission.
    draft = kalmar_rounds["open"].dialogues.get(kind=DialogueKind.ANNUAL)
    assert f'href="{reverse("dialogues:submission_detail", args=[draft.pk])}"' in html
    assert "Godkänd" in html


def test_region_dialogues_for_the_ministry_show_every_round_but_no_link_to_a_draft(
    client, ministry_user, region_a, kalmar_rounds
):
    client.force_login(ministry_user)
    html = _html(client.get(_url(region_a)))
    assert "Dialogerna 2017" in html
    draft = kalmar_rounds["open"].dialogues.get(kind=DialogueKind.ANNUAL)
    accepted = kalmar_rounds["closed"].dialogues.get()
    assert reverse("dialogues:submission_detail", args=[draft.pk]) not in html
    assert reverse("dialogues:submission_detail", args=[accepted.pk]) in html
    assert reverse("dialogues:dialogue_detail", args=[draft.pk]) in html


def test_region_dialogues_of_another_county_do_not_exist_for_a_regional_user(
    client, other_region_user, region_a, kalmar_rounds
):
    client.force_login(other_region_user)
    response = client.get(_url(region_a))
    assert response.status_code == 404
    assert "Dialogerna 2016" not in _html(response)


def test_region_dialogues_of_an_unknown_county_is_404(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("dialogues:region_dialogues", args=["inget-lan"])).status_code == 404


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION])
def test_county_profile_links_to_its_dialogues(client, user_by_role, region_a, role):
    client.force_login(user_by_role[role])
    assert f'href="{_url(region_a)}"' in _html(client.get(region_a.get_absolute_url()))


def test_county_profile_of_another_county_has_no_link_to_its_dialogues(client, other_region_user, region_a):
    client.force_login(other_region_user)
    assert _url(region_a) not in _html(client.get(region_a.get_absolute_url()))


@pytest.mark.parametrize("n", (1, 3))
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.REGION])
def test_region_dialogues_queries_do_not_grow_with_rounds(
    client, user_by_role, region_a, django_assert_num_queries, n, role
):
    for year in range(2040, 2040 + n):
        SubmissionFactory(dialogue=DialogueFactory(round=DialogueRoundFactory(year=year), region=region_a))
    client.force_login(user_by_role[role])
    with django_assert_num_queries(3):  # user, county, dialogues with their rounds and submissions
        html = _html(client.get(_url(region_a)))
    assert html.count('<th scope="row">') == n
