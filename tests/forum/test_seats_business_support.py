"""The länsråd's seat in the civil servants' forum follows the ministry's per county and year setting
(regions.BusinessSupportYear), not a flag on the responsibility period."""

import datetime

import pytest
from django.urls import reverse

from forum.choices import SeatRole
from forum.models import Membership
from forum.selectors import composition
from regions.models import BusinessSupportYear
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db


def _composition_html(client, forum, year: int) -> str:
    return client.get(reverse("forum:forum_composition", kwargs={"pk": forum.pk}) + f"?year={year}").content.decode()


def _row_of(html: str, county: str) -> str:
    """The part of the composition page from the county's heading to the next county's."""
    start = html.index(county)
    return html[start : start + 4000]


def test_composition_shows_lansrad_seat_in_the_year_with_the_setting_and_not_in_another(
    client, agency_user, civil_servants, region_county
):
    BusinessSupportYear.objects.create(region=region_county, year=2016)
    client.force_login(agency_user)

    with_setting = _composition_html(client, civil_servants, 2016)
    without_setting = _composition_html(client, civil_servants, 2017)

    assert "Länsråd" in _row_of(with_setting, "Skåne län")
    assert "2 tomma" in with_setting  # regional director and länsråd, both empty
    assert "Länsråd" not in without_setting
    assert "1 tom" in without_setting


def test_composition_of_another_county_is_not_given_the_seat(
    client, agency_user, civil_servants, region_county, board_county
):
    # Västmanland is held by a region from 2017; only Skåne has the business support setting.
    BusinessSupportYear.objects.create(region=region_county, year=2018)
    rows = {row.region.name: row for row in composition(civil_servants, 2018) if row.region}
    assert [seat.role for seat in rows["Skåne län"].seats] == [
        SeatRole.REGIONAL_DIRECTOR,
        SeatRole.COUNTY_BOARD_DIRECTOR,
    ]
    assert [seat.role for seat in rows["Västmanlands län"].seats] == [SeatRole.REGIONAL_DIRECTOR]


@pytest.mark.parametrize("n", (1, 3))
def test_composition_queries_do_not_grow_with_business_support_settings(
    client, ministry_user, civil_servants, region_county, django_assert_num_queries, n
):
    for year in range(2015, 2015 + n):
        BusinessSupportYear.objects.create(region=region_county, year=year)
    client.force_login(ministry_user)
    # user, forum, memberships, counties (with the setting), their periods, the forum period
    with django_assert_num_queries(6):
        html = _composition_html(client, civil_servants, 2015)
    assert "Länsråd" in html


def test_membership_as_lansrad_accepted_only_in_years_with_the_setting(
    client, ministry_user, civil_servants, region_county
):
    BusinessSupportYear.objects.create(region=region_county, year=2015)
    contact = ContactFactory(name="Karin Holm")
    client.force_login(ministry_user)
    url = reverse("forum:membership_create", kwargs={"forum_pk": civil_servants.pk})
    data = {
        "contact": contact.pk,
        "region": region_county.pk,
        "role": SeatRole.COUNTY_BOARD_DIRECTOR,
        "valid_from": "2015-01-01",
        "valid_to": "2016-12-31",
    }
    refused = client.post(url, data)
    assert "är inte en plats för Skåne län" in refused.content.decode()
    assert not Membership.objects.exists()

    data["valid_to"] = "2015-12-31"
    client.post(url, data)
    assert Membership.objects.get().valid_to == datetime.date(2015, 12, 31)
