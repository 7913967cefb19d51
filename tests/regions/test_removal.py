"""Removing contacts, organisations and responsibility periods in the portal: who may, what the
confirmation page shows, and that a record other records still refer to stays, with the reason."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.choices import Role
from dialogues.models import DialogueDay, Participant
from forum.choices import ForumKind, SeatRole
from regions import services
from regions.models import Contact, Organisation, ResponsibilityPeriod
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import ParticipantFactory
from tests.factories.forum import AttendanceFactory, ForumFactory, MembershipFactory
from tests.factories.regions import ContactFactory, OrganisationFactory, ResponsibilityPeriodFactory

pytestmark = pytest.mark.django_db

WHO = ("ministry", "admin", "own_region", "agency", "other_region")


@pytest.fixture
def user_by_who(ministry_user, admin_user, region_user, agency_user, other_region_user):
    return {
        "ministry": ministry_user,
        "admin": admin_user,
        "own_region": region_user,
        "agency": agency_user,
        "other_region": other_region_user,
    }


@pytest.fixture
def contact_a(region_a):
    return ContactFactory(name="Klara Kalmarsson", title="Utvecklingsstrateg", region=region_a)


@pytest.fixture
def period_a(region_a):
    return ResponsibilityPeriodFactory(
        region=region_a, body_name="Regionförbundet i Kalmar län", valid_from=2003, valid_to=2018
    )


def _page(response) -> str:
    return response.content.decode()


# --- Contacts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_contact_delete_page_opens_for_ministry_and_own_county_only(client, user_by_who, contact_a, who):
    client.force_login(user_by_who[who])
    response = client.get(reverse("regions:contact_delete", args=[contact_a.pk]))
    if who in ("agency", "other_region"):
        assert response.status_code == 404
        return
    html = _page(response)
    assert "<h1>Ta bort kontakten</h1>" in html
    assert "Klara Kalmarsson" in html and "Utvecklingsstrateg" in html
    assert "Inga andra uppgifter hänvisar till den." in html
    assert "Personen tas bort ur kontaktkatalogen. Det går inte att ångra." in html
    assert '<button type="submit" class="btn btn-danger">Ta bort kontakten</button>' in html


def test_contact_delete_own_county_removes_it_and_says_so(client, region_user, contact_a):
    client.force_login(region_user)
    response = client.post(reverse("regions:contact_delete", args=[contact_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("regions:contact_list")
    assert "Klara Kalmarsson är borttagen ur kontaktkatalogen." in _page(response)
    assert not Contact.objects.filter(pk=contact_a.pk).exists()


@pytest.mark.parametrize("who", ("agency", "other_region"))
def test_contact_delete_refused_roles_get_404_and_nothing_changes(client, user_by_who, contact_a, who):
    client.force_login(user_by_who[who])
    response = client.post(reverse("regions:contact_delete", args=[contact_a.pk]))
    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact_a.pk, name="Klara Kalmarsson").exists()


def test_contact_delete_national_contact_is_the_ministrys(client, region_user, ministry_user):
    national = ContactFactory(name="Nils Nationell", region=None)
    url = reverse("regions:contact_delete", args=[national.pk])
    client.force_login(region_user)
    assert client.post(url).status_code == 404
    assert Contact.objects.filter(pk=national.pk).exists()
    client.force_login(ministry_user)
    client.post(url)
    assert not Contact.objects.filter(pk=national.pk).exists()


def test_contact_delete_forum_member_is_refused_with_the_reason_and_nothing_changes(
    client, region_user, region_a, contact_a
):
    civil_servants = ForumFactory(kind=ForumKind.CIVIL_SERVANT)
    membership = MembershipFactory(
        forum=civil_servants, contact=contact_a, region=region_a, role=SeatRole.REGIONAL_DIRECTOR
    )
    ParticipantFactory(contact=contact_a)
    AttendanceFactory(contact=contact_a)
    url = reverse("regions:contact_delete", args=[contact_a.pk])
    client.force_login(region_user)

    html = _page(client.get(url))
    assert "Den kan inte tas bort så länge de här uppgifterna hänvisar till den:" in html
    assert "Forumledamöter (ledamot): 1" in html
    assert "Klara Kalmarsson: Regiondirektör (eller motsvarande)" in html
    assert "Deltagare (person): 1" in html
    assert "Närvaro (ledamot): 1" in html
    assert "avslutar departementet mandatet på forumets sida" in html
    assert "btn-danger" not in html  # no button to press

    response = client.post(url)
    html = _page(response)
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "kan inte tas bort så länge andra uppgifter hänvisar till den: Forumledamöter (ledamot): 1" in html
    assert "Inget har ändrats." in html
    assert Contact.objects.filter(pk=contact_a.pk).exists()
    membership.refresh_from_db()
    assert membership.contact_id == contact_a.pk


def test_contact_delete_substitute_and_chair_are_kept_too(client, ministry_user, contact_a):
    """The database would only blank these links; the forum's history would lose who chaired or stood in."""
    forum = ForumFactory(chair=contact_a)
    MembershipFactory(forum=forum, substitute=contact_a)
    client.force_login(ministry_user)
    html = _page(client.post(reverse("regions:contact_delete", args=[contact_a.pk])))
    assert "Forum (ordförande): 1" in html
    assert "Forumledamöter (ersättare): 1" in html
    forum.refresh_from_db()
    assert forum.chair_id == contact_a.pk
    assert forum.memberships.get().substitute_id == contact_a.pk


def test_contact_delete_names_the_first_five_and_counts_the_rest(client, ministry_user, contact_a):
    ParticipantFactory.create_batch(7, contact=contact_a)
    client.force_login(ministry_user)
    html = _page(client.get(reverse("regions:contact_delete", args=[contact_a.pk])))
    assert "Deltagare (person): 7" in html
    assert html.count("<li>Klara Kalmarsson, Utvecklingsstrateg (") == 5
    assert "och 2 till" in html


def test_contact_delete_linked_user_account_stays(client, ministry_user, contact_a):
    account = UserFactory(role=Role.REGION, region=contact_a.region, email="klara@regionkalmar.test")
    contact_a.user = account
    contact_a.save()
    client.force_login(ministry_user)
    url = reverse("regions:contact_delete", args=[contact_a.pk])
    assert "Användarkontot klara@regionkalmar.test finns kvar" in _page(client.get(url))
    client.post(url)
    assert not Contact.objects.filter(pk=contact_a.pk).exists()
    account.refresh_from_db()
    assert account.is_active


@pytest.mark.parametrize("n", (1, 3))
def test_contact_delete_page_queries_do_not_grow_with_references(
    client, ministry_user, contact_a, django_assert_num_queries, n
):
    ParticipantFactory.create_batch(n, contact=contact_a)
    AttendanceFactory.create_batch(n, contact=contact_a)
    client.force_login(ministry_user)
    # user, the contact, then one query per kind of link to contacts (chair, member, substitute,
    # attendance, dialogue participant)
    with django_assert_num_queries(7):
        html = _page(client.get(reverse("regions:contact_delete", args=[contact_a.pk])))
    assert f"Deltagare (person): {n}" in html
    assert f"Närvaro (ledamot): {n}" in html


def test_contact_list_offers_removal_only_where_the_user_may_remove(client, region_user, contact_a, region_b):
    other = ContactFactory(name="Kalle Kronoberg", region=region_b)
    client.force_login(region_user)
    html = _page(client.get(reverse("regions:contact_list")))
    assert reverse("regions:contact_delete", args=[contact_a.pk]) in html
    assert reverse("regions:contact_delete", args=[other.pk]) not in html


def test_contact_delete_service_refuses_a_referenced_contact(contact_a):
    ParticipantFactory(contact=contact_a)
    with pytest.raises(ValidationError, match="Deltagare"):
        services.contact_delete(contact=contact_a)
    assert Contact.objects.filter(pk=contact_a.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_contact_delete_racing_a_new_reference_never_leaves_one_dangling(region_a):
    """A dialogue participant is being added (not yet committed) while the contact is removed: the
    removal cannot see it and goes ahead, and the participant's commit is then refused by the
    database's foreign key. Never both: no participant points at a removed person."""
    contact = ContactFactory(region=region_a)
    inserted, release = threading.Event(), threading.Event()
    adder_error = []

    def add_participant():
        try:
            with transaction.atomic():
                ParticipantFactory(contact=contact)
                inserted.set()
                release.wait(10)
        except IntegrityError as error:
            adder_error.append(error)
        finally:
            connection.close()

    adder = threading.Thread(target=add_participant)
    adder.start()
    assert inserted.wait(10)
    services.contact_delete(contact=contact)
    release.set()
    adder.join(10)
    assert not adder.is_alive()
    assert len(adder_error) == 1
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not Participant.objects.exists()


# --- Organisations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.MINISTRY, True), (Role.ADMIN, True), (Role.AGENCY, False), (Role.REGION, False)]
)
def test_organisation_delete_is_the_ministrys(client, user_by_role, role, allowed):
    organisation = OrganisationFactory(name="Vinnova")
    client.force_login(user_by_role[role])
    url = reverse("regions:organisation_delete", args=[organisation.pk])
    assert client.get(url).status_code == (200 if allowed else 404)
    response = client.post(url, follow=True)
    assert Organisation.objects.filter(pk=organisation.pk).exists() is not allowed
    if allowed:
        assert "Vinnova är borttagen." in _page(response)
    else:
        assert response.status_code == 404


def test_organisation_delete_with_contacts_or_a_dialogue_day_is_refused(client, ministry_user):
    organisation = OrganisationFactory(name="Tillväxtverket")
    ContactFactory(name="Tove Tillväxt", organisation=organisation)
    DialogueDay.objects.create(title="Nationell-regional dialogdag", date="2016-03-10").agencies.add(organisation)
    client.force_login(ministry_user)
    url = reverse("regions:organisation_delete", args=[organisation.pk])
    html = _page(client.get(url))
    assert "Kontaktpersoner (organisation): 1" in html
    assert "Tove Tillväxt" in html
    assert "Dialogdagar (deltagande myndigheter): 1" in html
    assert "Nationell-regional dialogdag" in html
    assert "Flytta först dess kontakter till en annan organisation" in html

    assert "Inget har ändrats." in _page(client.post(url))
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert organisation.dialogue_days.count() == 1


def test_organisation_list_offers_removal_to_the_ministry_only(client, ministry_user, agency_user):
    organisation = OrganisationFactory(name="Vinnova")
    url = reverse("regions:organisation_delete", args=[organisation.pk])
    client.force_login(agency_user)
    assert url not in _page(client.get(reverse("regions:organisation_list")))
    client.force_login(ministry_user)
    assert url in _page(client.get(reverse("regions:organisation_list")))


# --- Responsibility periods -------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_period_delete_page_by_role_warns_about_the_fora(client, user_by_who, period_a, who):
    client.force_login(user_by_who[who])
    response = client.get(reverse("regions:period_delete", args=[period_a.pk]))
    if who in ("agency", "other_region"):
        assert response.status_code == 404
        return
    html = _page(response)
    assert "Regionförbundet i Kalmar län" in html
    assert "Utan den här perioden finns inget organ registrerat för 2003–2018" in html
    assert "Ta bort perioden</button>" in html


def test_period_delete_own_county_removes_it_from_the_history(client, region_user, region_a, period_a):
    client.force_login(region_user)
    response = client.post(reverse("regions:period_delete", args=[period_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == region_a.get_absolute_url()
    html = _page(response)
    assert "Perioden med utvecklingsansvar är borttagen." in html
    assert "Regionförbundet i Kalmar län" not in html
    assert "Region Kalmar län" in html  # the other period stays
    assert list(ResponsibilityPeriod.objects.filter(region=region_a).values_list("body_name", flat=True)) == [
        "Region Kalmar län"
    ]


def test_period_delete_other_county_gets_404_and_nothing_changes(client, other_region_user, region_a, period_a):
    before = list(ResponsibilityPeriod.objects.filter(region=region_a).values_list("pk", "body_name", "valid_to"))
    client.force_login(other_region_user)
    assert client.get(reverse("regions:period_delete", args=[period_a.pk])).status_code == 404
    assert client.post(reverse("regions:period_delete", args=[period_a.pk])).status_code == 404
    after = list(ResponsibilityPeriod.objects.filter(region=region_a).values_list("pk", "body_name", "valid_to"))
    assert after == before


def test_region_detail_offers_removal_of_periods_and_contacts_to_those_who_may(
    client, region_user, other_region_user, region_a, contact_a, period_a
):
    links = (
        reverse("regions:period_delete", args=[period_a.pk]),
        reverse("regions:contact_delete", args=[contact_a.pk]),
    )
    client.force_login(region_user)
    html = _page(client.get(region_a.get_absolute_url()))
    assert all(link in html for link in links)
    client.force_login(other_region_user)
    html = _page(client.get(region_a.get_absolute_url()))
    assert not any(link in html for link in links)
