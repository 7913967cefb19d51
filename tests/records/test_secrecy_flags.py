"""A secrecy-marked observation or record carries a visible "Secrecy <provision> OSL" flag on every
list that shows it to national staff: the dialogue page, the round's observation matrix, the search
results and the register. The county never sees the flag, and sees no more observations than before."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from dialogues.choices import ObservationCategory
from records.choices import Direction, DocumentType
from records.services import record_register, secrecy_lift, secrecy_mark
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, ObservationFactory

pytestmark = pytest.mark.django_db

FLAG = "Secrecy 21 kap. 7 § OSL"


@pytest.fixture
def kalmar(region_a):
    return DialogueFactory(round=DialogueRoundFactory(year=2024), region=region_a)


@pytest.fixture
def shared_secret(kalmar, registrar):
    observation = ObservationFactory(
        dialogue=kalmar, title="Kompetensbrist hos leverantören", text="Namngiven leverantör", shared_with_region=True
    )
    secrecy_mark(target=observation, osl_reference="21 kap. 7 §", reason="Affärsförhållanden", user=registrar)
    return observation


@pytest.fixture
def unshared_secret(kalmar, registrar):
    observation = ObservationFactory(
        dialogue=kalmar, title="Departementets anteckning", text="Internt", shared_with_region=False
    )
    secrecy_mark(target=observation, osl_reference="31 kap. 16 §", reason="Affärsförhållanden", user=registrar)
    return observation


def _pages(kalmar) -> dict[str, str]:
    return {
        "dialogue": reverse("dialogues:dialogue_detail", args=[kalmar.pk]),
        "matrix": reverse("dialogues:observation_matrix", args=[kalmar.round_id])
        + f"?category={ObservationCategory.RESULTS}",
        "search": reverse("dialogues:search") + "?q=leverant%C3%B6ren",
    }


@pytest.mark.parametrize("page", ["dialogue", "matrix", "search"])
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY])
def test_national_staff_see_the_secrecy_flag_with_its_provision(english, kalmar, shared_secret, page, role):
    english.force_login(UserFactory(role=role))

    html = english.get(_pages(kalmar)[page]).content.decode()

    assert "Kompetensbrist hos leverantören" in html
    assert FLAG in html


@pytest.mark.parametrize("page", ["dialogue", "matrix", "search"])
def test_the_county_sees_its_shared_observation_without_the_flag_and_nothing_unshared(
    english, kalmar, region_a, shared_secret, unshared_secret, page
):
    english.force_login(UserFactory(role=Role.REGION, region=region_a))

    html = english.get(_pages(kalmar)[page]).content.decode()

    assert "Kompetensbrist hos leverantören" in html
    assert "secrecy-flag" not in html and "OSL" not in html
    assert "Departementets anteckning" not in html


def test_an_unshared_secret_observation_is_flagged_for_national_staff_under_its_own_provision(
    english, kalmar, ministry_user, unshared_secret
):
    english.force_login(ministry_user)

    html = english.get(_pages(kalmar)["dialogue"]).content.decode()

    assert "Departementets anteckning" in html and "Secrecy 31 kap. 16 § OSL" in html


def test_a_lifted_marking_takes_the_flag_away_everywhere(english, kalmar, ministry_user, registrar, shared_secret):
    from records.selectors import active_markings_of

    secrecy_lift(marking=active_markings_of(shared_secret).get(), user=registrar)
    english.force_login(ministry_user)

    for url in _pages(kalmar).values():
        html = english.get(url).content.decode()
        assert "Kompetensbrist hos leverantören" in html and "secrecy-flag" not in html


def test_the_register_flags_a_marked_record_with_its_provision(english, kalmar, registrar):
    record = record_register(
        document=kalmar, document_type=DocumentType.OTHER, direction=Direction.DRAWN_UP,
        cases=(kalmar.round,), region=kalmar.region, year=2024, title="Promemoria",
    )  # fmt: skip
    secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    english.force_login(registrar)

    listed = english.get(reverse("records:record_list")).content.decode()
    page = english.get(record.get_absolute_url()).content.decode()

    assert FLAG in listed and FLAG in page


@pytest.mark.parametrize("n", (1, 3))
def test_flags_on_the_matrix_list_cost_one_query_whatever_the_number(
    english, kalmar, registrar, ministry_user, n, django_assert_max_num_queries
):
    for i in range(n):
        observation = ObservationFactory(dialogue=kalmar, title=f"Hemlig {i}")
        secrecy_mark(target=observation, osl_reference="21 kap. 7 §", reason="Skäl", user=registrar)
    english.force_login(ministry_user)
    english.get(_pages(kalmar)["search"])  # warm the session and the content types (not the page's cache)

    with django_assert_max_num_queries(6):
        html = english.get(_pages(kalmar)["matrix"]).content.decode()

    assert html.count(FLAG) == n


@pytest.mark.parametrize("n", (1, 3))
def test_flags_on_the_search_results_cost_one_query_whatever_the_number(
    english, kalmar, registrar, ministry_user, n, django_assert_max_num_queries
):
    for i in range(n):
        observation = ObservationFactory(dialogue=kalmar, title=f"Leverantören {i}")
        secrecy_mark(target=observation, osl_reference="21 kap. 7 §", reason="Skäl", user=registrar)
    english.force_login(ministry_user)
    url = _pages(kalmar)["search"]
    english.get(url)

    with django_assert_max_num_queries(9):
        html = english.get(url).content.decode()

    assert html.count(FLAG) == n
