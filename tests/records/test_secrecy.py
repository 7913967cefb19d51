"""Secrecy markings (OSL 5 kap. 5 §): which provision, why, who decided and when; set and lifted by
the registrar on a record (or an observation), flagged wherever the record is listed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import Role
from accounts.models import User
from records.choices import Direction, DocumentType
from records.models import SecrecyMarking, osl_reference_validator
from records.selectors import active_markings_of, is_marked_secret
from records.services import record_register, secrecy_lift, secrecy_mark
from tests.factories.dialogues import ObservationFactory
from tests.factories.regions import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(region_a):
    return record_register(
        document=OrganisationFactory(name="Inkommen skrivelse"),
        document_type=DocumentType.OTHER,
        direction=Direction.RECEIVED,
        cases=(region_a,),
        region=region_a,
        year=2026,
    )


@pytest.mark.parametrize("reference", ["21 kap. 7 §", "5 kap. 5 §", "18 kap. 1 a §", "31 kap. 16 §"])
def test_osl_reference_in_the_statute_form_is_accepted(reference):
    osl_reference_validator(reference)


@pytest.mark.parametrize(
    "reference", ["", "21:7", "21 kap 7 §", "kap. 21 7 §", "0 kap. 1 §", "21 kap. 7", "21 kap. 7 § OSL", "<b>"]
)
def test_osl_reference_in_any_other_form_is_refused(reference):
    with pytest.raises(ValidationError):
        osl_reference_validator(reference)


def test_secrecy_mark_records_provision_reason_who_and_when_and_lift_keeps_it(record, registrar):
    marking = secrecy_mark(target=record, osl_reference=" 21  kap. 7 § ", reason="Personuppgifter", user=registrar)

    assert (marking.osl_reference, marking.decided_by, marking.is_active) == ("21 kap. 7 §", registrar, True)
    assert marking.decided_at is not None and is_marked_secret(record)

    secrecy_lift(marking=marking, user=registrar)

    marking.refresh_from_db()
    assert not marking.is_active and marking.lifted_by == registrar and marking.lifted_at is not None
    assert not is_marked_secret(record) and SecrecyMarking.objects.count() == 1
    with pytest.raises(ValidationError):
        secrecy_lift(marking=marking, user=registrar)


def test_secrecy_mark_twice_under_the_same_provision_is_refused_another_is_kept(record, registrar):
    secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)

    with pytest.raises(ValidationError):
        secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="Igen", user=registrar)
    secrecy_mark(target=record, osl_reference="31 kap. 16 §", reason="Affärsförhållanden", user=registrar)

    assert sorted(m.osl_reference for m in active_markings_of(record)) == ["21 kap. 7 §", "31 kap. 16 §"]


@pytest.mark.parametrize(("reference", "reason"), [("21:7", "Personuppgifter"), ("21 kap. 7 §", "  ")])
def test_secrecy_mark_without_a_valid_provision_or_a_reason_is_refused(record, registrar, reference, reason):
    with pytest.raises(ValidationError):
        secrecy_mark(target=record, osl_reference=reference, reason=reason, user=registrar)

    assert not SecrecyMarking.objects.exists()


def test_an_observation_can_be_marked_secret_too(region_a, registrar):
    observation = ObservationFactory(dialogue__region=region_a)

    secrecy_mark(target=observation, osl_reference="18 kap. 1 a §", reason="Säkerhet", user=registrar)

    assert is_marked_secret(observation)
    assert [m.target for m in active_markings_of(observation)] == [observation]


def test_registrar_marks_and_lifts_on_the_record_page_and_the_register_flags_it(english, registrar, record):
    english.force_login(registrar)
    url = reverse("records:secrecy_mark", args=[record.pk])

    refused = english.post(url, {"osl_reference": "21:7", "reason": "Personuppgifter"})
    assert 'e.g. "21 kap. 7 §"' in refused.content.decode() and not SecrecyMarking.objects.exists()

    page = english.post(url, {"osl_reference": "21 kap. 7 §", "reason": "Personuppgifter"}, follow=True)
    html = page.content.decode()
    assert "The record is marked secret." in html and "secrecy-flag" in html
    assert "21 kap. 7 § OSL" in html and "Personuppgifter" in html and "Rut Registrator" in html
    assert "secrecy-flag" in english.get(reverse("records:record_list")).content.decode()

    marking = SecrecyMarking.objects.get()
    lifted = english.post(reverse("records:secrecy_lift", args=[marking.pk]), follow=True).content.decode()

    assert "The secrecy marking is lifted." in lifted and "lifted" in lifted
    assert "secrecy-flag" not in english.get(reverse("records:record_list")).content.decode()


def test_registrar_types_the_provision_with_stray_spaces_and_it_is_kept_tidied(english, registrar, record):
    english.force_login(registrar)

    page = english.post(
        reverse("records:secrecy_mark", args=[record.pk]),
        {"osl_reference": " 21  kap.\t7 § ", "reason": "Personuppgifter"},
        follow=True,
    )

    assert "The record is marked secret." in page.content.decode()
    assert SecrecyMarking.objects.get().osl_reference == "21 kap. 7 §"


def test_registrar_lifting_a_lifted_marking_is_told_and_nothing_changes(english, registrar, record):
    marking = secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    secrecy_lift(marking=marking, user=registrar)
    english.force_login(registrar)

    page = english.post(reverse("records:secrecy_lift", args=[marking.pk]), follow=True).content.decode()

    assert "This secrecy marking has already been lifted." in page


@pytest.mark.parametrize("role", [Role.AGENCY, Role.ADMIN])
def test_only_ministry_staff_can_be_registrars(role):
    user = User(email="x@example.test", full_name="X", role=role, is_registrar=True)

    with pytest.raises(ValidationError, match=r"registrar|registrator"):
        user.full_clean(exclude=["password"])
