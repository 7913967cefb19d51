"""The agency's dialogue days (with sessions) and its joint commitments to counties."""

import datetime

import pytest
from django.urls import reverse

from accounts.choices import Role
from dialogues.models import DialogueDay, JointCommitment, Session
from tests.factories.regions import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(db):
    day = DialogueDay.objects.create(title="Nationell–regional dialogdag", date=datetime.date(2019, 12, 4))
    Session.objects.create(day=day, position=1, title="Kompetensförsörjning", proposals="En gemensam väg in")
    return day


@pytest.fixture
def commitments(region_a, region_b):
    return [
        JointCommitment.objects.create(region=region_a, title="Analysstöd till Kalmar", kind="knowledge"),
        JointCommitment.objects.create(region=region_b, title="Medel till Kronoberg", kind="funds", amount=250000),
    ]


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION])
def test_dialogue_day_with_its_sessions_is_read_by_everyone(client, user_by_role, role, day):
    client.force_login(user_by_role[role])
    html = client.get(day.get_absolute_url()).content.decode()
    assert "Kompetensförsörjning" in html
    assert "En gemensam väg in" in html
    assert ("Nytt dialogpass" in html) is (role == Role.AGENCY)


def test_dialogue_day_session_added_by_the_agency(client, agency_user, day):
    client.force_login(agency_user)
    response = client.post(
        reverse("dialogues:session_create", args=[day.pk]),
        {"position": 2, "title": "Utmaningsdriven samverkan", "needs": "Tematisk samverkan", "next_step_owner": "TVV"},
        follow=True,
    )
    assert "Utmaningsdriven samverkan" in response.content.decode()
    assert day.sessions.count() == 2


def test_dialogue_session_participants_chosen_by_the_agency_appear_under_the_session(
    client, agency_user, region_user, day, region_a, region_b
):
    agencies = [OrganisationFactory(name="Tillväxtverket"), OrganisationFactory(name="Arbetsförmedlingen")]
    OrganisationFactory(name="Region Kalmar län", kind="regional_body")
    session = day.sessions.get()
    client.force_login(agency_user)
    form = client.get(reverse("dialogues:session_update", args=[session.pk])).content.decode()
    assert "Arbetsförmedlingen" in form and "Region Kalmar län" not in form  # only agencies take part as such
    client.post(
        reverse("dialogues:session_update", args=[session.pk]),
        {
            "position": 1,
            "title": session.title,
            "regions": [region_a.pk, region_b.pk],
            "agencies": [agencies[1].pk],
        },
    )
    assert set(session.regions.all()) == {region_a, region_b}
    assert list(session.agencies.all()) == [agencies[1]]

    client.force_login(region_user)
    card = client.get(day.get_absolute_url()).content.decode().split(f'id="session-{session.pk}"')[1]
    assert "Kalmar län" in card and "Kronobergs län" in card
    assert "Arbetsförmedlingen" in card and "Tillväxtverket" not in card


def test_dialogue_session_with_an_organisation_that_is_not_an_agency_is_refused(client, agency_user, day):
    OrganisationFactory(name="Tillväxtverket")
    other = OrganisationFactory(name="Sveriges Kommuner och Landsting", kind="association")
    session = day.sessions.get()
    client.force_login(agency_user)
    response = client.post(
        reverse("dialogues:session_update", args=[session.pk]),
        {"position": 1, "title": "Ändrad rubrik", "agencies": [other.pk]},
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Kompetensförsörjning" and not session.agencies.exists()


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.REGION])
def test_dialogue_day_and_sessions_are_written_only_by_the_agency(client, user_by_role, role, day):
    client.force_login(user_by_role[role])
    assert (
        client.post(reverse("dialogues:session_create", args=[day.pk]), {"title": "x", "position": 1}).status_code
        == 403
    )
    assert client.post(reverse("dialogues:dialogueday_create"), {"title": "x", "date": "2020-01-01"}).status_code == 403
    assert day.sessions.count() == 1
    assert DialogueDay.objects.count() == 1


def test_joint_commitments_a_county_sees_only_its_own(client, region_user, commitments):
    client.force_login(region_user)
    html = client.get(reverse("dialogues:commitment_list")).content.decode()
    assert "Analysstöd till Kalmar" in html
    assert "Medel till Kronoberg" not in html
    response = client.post(reverse("dialogues:commitment_update", args=[commitments[1].pk]), {"title": "x"})
    assert response.status_code == 404


def test_joint_commitment_recorded_by_the_agency_in_whole_kronor(client, agency_user, ministry_user, region_a):
    client.force_login(agency_user)
    data = {"region": region_a.pk, "title": "Förstudie", "kind": "funds", "amount": "1234567", "status": "agreed"}
    client.post(reverse("dialogues:commitment_create"), data)
    client.force_login(ministry_user)
    html = client.get(reverse("dialogues:commitment_list")).content.decode()
    assert "Förstudie" in html
    assert "1 234 567 kr" in html.replace("\xa0", " ")
    client.post(reverse("dialogues:commitment_create"), data | {"title": "Av departementet"})
    assert not JointCommitment.objects.filter(title="Av departementet").exists()


def test_joint_commitment_with_a_fraction_of_a_krona_is_refused(client, agency_user, region_a):
    client.force_login(agency_user)
    response = client.post(
        reverse("dialogues:commitment_create"),
        {"region": region_a.pk, "title": "Ören", "kind": "funds", "amount": "100.50", "status": "agreed"},
    )
    assert "decimal" in response.content.decode().lower()
    assert not JointCommitment.objects.exists()


@pytest.mark.parametrize("n", (1, 3))
def test_dialogue_day_and_commitment_pages_queries_do_not_grow(
    client, ministry_user, region_a, django_assert_num_queries, n
):
    day = DialogueDay.objects.create(title="Dag", date=datetime.date(2019, 12, 4))
    for i in range(n):
        session = Session.objects.create(day=day, position=i, title=f"Pass {i}")
        session.regions.add(region_a)
        session.agencies.add(OrganisationFactory())
        JointCommitment.objects.create(region=region_a, title=f"Åtagande {i}", kind="knowledge")
    day.regions.add(region_a)
    client.force_login(ministry_user)
    # user, day, counties, agencies, sessions, the sessions' counties, the sessions' agencies
    with django_assert_num_queries(7):
        html = client.get(day.get_absolute_url()).content.decode()
    assert html.count('class="h5 card-title"') == n
    assert html.count("Myndighet ") == n
    # user, commitments with their counties (permissions come from the role rules, not the database)
    with django_assert_num_queries(2):
        html = client.get(reverse("dialogues:commitment_list")).content.decode()
    assert html.count("Åtagande ") == n
