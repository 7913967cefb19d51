"""The registrar marks an observation secret from the dialogue page; national staff see the flag
where the observations are listed, the county never does."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from records.models import SecrecyMarking
from records.services import secrecy_mark
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import ObservationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def observation(region_a):
    return ObservationFactory(dialogue__region=region_a, title="Kompetensbrist i länet", shared_with_region=True)


def test_registrar_marks_an_observation_secret_from_the_dialogue_page(english, registrar, observation):
    english.force_login(registrar)
    dialogue_url = reverse("dialogues:dialogue_detail", args=[observation.dialogue_id])
    form_url = reverse("records:observation_secrecy", args=[observation.pk])
    assert form_url in english.get(dialogue_url).content.decode()

    refused = english.post(form_url, {"osl_reference": "21:7", "reason": "Personuppgifter"})
    assert 'e.g. "21 kap. 7 §"' in refused.content.decode() and not SecrecyMarking.objects.exists()

    page = english.post(form_url, {"osl_reference": "21 kap. 7 §", "reason": "Personuppgifter"}, follow=True)

    html = page.content.decode()
    assert "The observation is marked secret." in html and "secrecy-flag" in html
    assert SecrecyMarking.objects.get().target == observation


def test_national_staff_see_the_flag_and_the_county_does_not(client, region_a, registrar, observation):
    secrecy_mark(target=observation, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    dialogue_url = reverse("dialogues:dialogue_detail", args=[observation.dialogue_id])
    form_url = reverse("records:observation_secrecy", args=[observation.pk])

    client.force_login(UserFactory(role=Role.AGENCY))
    agency_page = client.get(dialogue_url).content.decode()
    assert "Kompetensbrist i länet" in agency_page
    assert "badge text-bg-danger" in agency_page and form_url not in agency_page

    client.force_login(UserFactory(role=Role.REGION, region=region_a))
    county_page = client.get(dialogue_url).content.decode()
    assert "badge text-bg-danger" not in county_page and form_url not in county_page


@pytest.mark.parametrize("role", [Role.REGION, Role.AGENCY, Role.MINISTRY])
def test_only_registrars_may_mark_an_observation(client, region_a, observation, role):
    client.force_login(UserFactory(role=role, region=region_a if role == Role.REGION else None))
    url = reverse("records:observation_secrecy", args=[observation.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"osl_reference": "21 kap. 7 §", "reason": "x"}).status_code == 404
    assert not SecrecyMarking.objects.exists()
