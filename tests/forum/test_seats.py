import datetime

import pytest
from django.urls import reverse

from forum.choices import SeatRole
from forum.models import Membership
from forum.seats import expected_seats
from regions.choices import BodyType
from regions.models import BusinessSupportYear
from tests.factories.regions import ContactFactory, RegionFactory, ResponsibilityPeriodFactory

pytestmark = pytest.mark.django_db


def test_expected_seats_county_board_year_sends_governor_and_association_and_county_council_politicians(
    politicians, board_county
):
    assert expected_seats(politicians, board_county, 2015) == (
        SeatRole.COUNTY_GOVERNOR,
        SeatRole.ASSOCIATION_POLITICIAN_MAJORITY,
        SeatRole.ASSOCIATION_POLITICIAN_OPPOSITION,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_MAJORITY,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_OPPOSITION,
    )


def test_expected_seats_after_region_takes_over_sends_regional_politicians(politicians, board_county):
    assert expected_seats(politicians, board_county, 2017) == (
        SeatRole.REGIONAL_POLITICIAN_MAJORITY,
        SeatRole.REGIONAL_POLITICIAN_OPPOSITION,
    )


def test_expected_seats_civil_servants_follow_the_body(civil_servants, board_county, region_county):
    assert expected_seats(civil_servants, board_county, 2016) == (
        SeatRole.COUNTY_BOARD_DIRECTOR,
        SeatRole.ASSOCIATION_DIRECTOR,
        SeatRole.COUNTY_COUNCIL_DIRECTOR,
    )
    assert expected_seats(civil_servants, region_county, 2015) == (SeatRole.REGIONAL_DIRECTOR,)


@pytest.mark.parametrize("body_type", [BodyType.COLLABORATION_BODY, BodyType.MUNICIPALITY])
def test_expected_seats_collaboration_body_or_municipality_count_as_regional(politicians, civil_servants, body_type):
    county = RegionFactory()
    ResponsibilityPeriodFactory(region=county, body_type=body_type, valid_from=2010)
    assert SeatRole.REGIONAL_POLITICIAN_OPPOSITION in expected_seats(politicians, county, 2015)
    assert expected_seats(civil_servants, county, 2015) == (SeatRole.REGIONAL_DIRECTOR,)


def test_expected_seats_county_board_with_business_support_adds_lansrad(civil_servants):
    county = RegionFactory()
    ResponsibilityPeriodFactory(region=county, valid_from=2010)
    BusinessSupportYear.objects.create(region=county, year=2015)
    assert expected_seats(civil_servants, county, 2015) == (SeatRole.REGIONAL_DIRECTOR, SeatRole.COUNTY_BOARD_DIRECTOR)
    assert expected_seats(civil_servants, county, 2016) == (SeatRole.REGIONAL_DIRECTOR,)


def test_expected_seats_national_are_skl_committee_in_politicians_forum_only(politicians, civil_servants):
    assert expected_seats(politicians, None, 2015) == (SeatRole.SKL_COMMITTEE,)
    assert expected_seats(civil_servants, None, 2015) == ()


def _post_member(client, forum, **data):
    contact = ContactFactory(name="Greta Granström")
    payload = {"contact": contact.pk, "valid_from": "2015-01-01", "valid_to": "", "substitute": "", **data}
    return client.post(reverse("forum:membership_create", kwargs={"forum_pk": forum.pk}), payload)


def test_membership_create_governor_where_region_holds_responsibility_is_refused(
    client, ministry_user, politicians, region_county
):
    client.force_login(ministry_user)
    response = _post_member(client, politicians, region=region_county.pk, role=SeatRole.COUNTY_GOVERNOR)
    html = response.content.decode()
    assert "Landshövding är inte en plats för Skåne län i politikerforum 2015" in html
    assert "Region Skåne" in html
    assert not Membership.objects.exists()


def test_membership_create_governor_where_county_board_holds_it_is_saved(
    client, ministry_user, politicians, board_county
):
    client.force_login(ministry_user)
    response = _post_member(
        client, politicians, region=board_county.pk, role=SeatRole.COUNTY_GOVERNOR, valid_to="2016-12-31"
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.region, membership.role) == (board_county, SeatRole.COUNTY_GOVERNOR)
    page = client.get(response["Location"]).content.decode()
    assert "Greta Granström" in page
    assert "Landshövding" in page


def test_membership_create_mandate_running_past_the_change_of_body_is_refused(
    client, ministry_user, politicians, board_county
):
    client.force_login(ministry_user)
    response = _post_member(
        client, politicians, region=board_county.pk, role=SeatRole.COUNTY_GOVERNOR, valid_to="2018-12-31"
    )
    assert "i politikerforum 2017" in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_create_skl_seat_with_a_county_is_refused(client, ministry_user, politicians, region_county):
    client.force_login(ministry_user)
    response = _post_member(client, politicians, region=region_county.pk, role=SeatRole.SKL_COMMITTEE)
    assert "SKL:s platser i beredningen hör inte till något län" in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_create_county_seat_without_county_is_refused(client, ministry_user, civil_servants):
    client.force_login(ministry_user)
    response = _post_member(client, civil_servants, region="", role=SeatRole.REGIONAL_DIRECTOR)
    assert "Välj det län ledamoten representerar" in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_create_outside_the_forum_period_is_refused(client, ministry_user, politicians, region_county):
    client.force_login(ministry_user)
    response = _post_member(
        client,
        politicians,
        region=region_county.pk,
        role=SeatRole.REGIONAL_POLITICIAN_MAJORITY,
        valid_from="2021-01-01",
    )
    assert "Forumet gäller 2015–2020" in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_update_substitute_same_as_member_is_refused(client, ministry_user, politicians, region_county):
    contact = ContactFactory()
    membership = Membership.objects.create(
        forum=politicians,
        contact=contact,
        region=region_county,
        role=SeatRole.REGIONAL_POLITICIAN_MAJORITY,
        valid_from=datetime.date(2015, 1, 1),
    )
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:membership_update", kwargs={"pk": membership.pk}),
        {
            "contact": contact.pk,
            "region": region_county.pk,
            "role": SeatRole.REGIONAL_POLITICIAN_MAJORITY,
            "valid_from": "2015-01-01",
            "substitute": contact.pk,
        },
    )
    assert "En ledamot kan inte vara sin egen ersättare" in response.content.decode()
    membership.refresh_from_db()
    assert membership.substitute is None
