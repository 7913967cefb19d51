"""The ministry keeps, per county and year, whether the county board handles the regional business
support (its länsråd then sits in the civil servants' forum)."""

import pytest
from django.urls import reverse
from django.utils import translation

from forum.choices import ForumKind, SeatRole
from forum.seats import expected_seats
from regions.models import BusinessSupportYear
from tests.factories.forum import ForumFactory

pytestmark = pytest.mark.django_db


def sv(msgid: str) -> str:
    """The Swedish text of a msgid (the catalogues are compiled after this branch is merged)."""
    with translation.override("sv"):
        return translation.gettext(msgid)


def _years(region) -> list[int]:
    return list(BusinessSupportYear.objects.filter(region=region).order_by("year").values_list("year", flat=True))


def _url(region) -> str:
    return reverse("regions:business_support_years", kwargs={"slug": region.slug})


def test_ministry_ticks_years_and_the_county_page_and_the_forum_seats_follow(client, ministry_user, region_a):
    client.force_login(ministry_user)
    form = client.get(_url(region_a)).content.decode()
    assert sv("Regional business support at the county board") in form
    assert 'value="2020"' in form

    response = client.post(_url(region_a), {"years": ["2020", "2021"], "expected": ""}, follow=True)

    assert sv("The years with regional business support are saved.") in response.content.decode()
    assert _years(region_a) == [2020, 2021]
    page = client.get(region_a.get_absolute_url()).content.decode()
    assert "2020, 2021" in " ".join(page.split())
    civil_servants = ForumFactory(kind=ForumKind.CIVIL_SERVANT, start_year=2019, end_year=2024)
    assert SeatRole.COUNTY_BOARD_DIRECTOR in expected_seats(civil_servants, region_a, 2021)
    assert SeatRole.COUNTY_BOARD_DIRECTOR not in expected_seats(civil_servants, region_a, 2022)


def test_unticking_a_year_removes_only_that_year(client, ministry_user, region_a):
    for year in (2019, 2020):
        BusinessSupportYear.objects.create(region=region_a, year=year)
    client.force_login(ministry_user)
    client.post(_url(region_a), {"years": ["2020"], "expected": "2019,2020"})
    assert _years(region_a) == [2020]


def test_the_same_form_sent_twice_changes_nothing_more(client, ministry_user, region_a):
    client.force_login(ministry_user)
    for _ in range(2):
        client.post(_url(region_a), {"years": ["2018"], "expected": ""})
    assert _years(region_a) == [2018]


def test_a_form_opened_before_someone_else_saved_is_refused_and_changes_nothing(client, ministry_user, region_a):
    BusinessSupportYear.objects.create(region=region_a, year=2016)  # saved by a colleague meanwhile
    client.force_login(ministry_user)
    response = client.post(_url(region_a), {"years": ["2017"], "expected": ""})
    assert "Någon annan sparade" in response.content.decode()
    assert _years(region_a) == [2016]


def test_a_year_outside_the_choices_is_refused_with_a_message(client, ministry_user, region_a):
    client.force_login(ministry_user)
    response = client.post(_url(region_a), {"years": ["1850"], "expected": ""})
    assert response.status_code == 200
    assert "1850 finns inte bland tillgängliga alternativ" in response.content.decode()
    assert _years(region_a) == []


@pytest.mark.parametrize("role", ["agency", "region", "other_region"])
def test_only_the_ministry_may_open_the_page(client, agency_user, region_user, other_region_user, region_a, role):
    user = {"agency": agency_user, "region": region_user, "other_region": other_region_user}[role]
    client.force_login(user)
    assert client.get(_url(region_a)).status_code == 404
    assert client.post(_url(region_a), {"years": ["2020"], "expected": ""}).status_code == 404
    assert _years(region_a) == []
    assert (
        sv("Edit the years with regional business support")
        not in client.get(region_a.get_absolute_url()).content.decode()
    )
