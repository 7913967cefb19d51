"""A county's seat in a forum has one holder at a time (SKL's committee, a national seat, has several)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum import services
from forum.choices import SeatRole
from forum.models import Membership
from forum.selectors import composition, composition_summary
from tests.factories.forum import MembershipFactory
from tests.factories.regions import ContactFactory
from tests.racing import race


def _seat(forum, county, **fields):
    return Membership(
        forum=forum,
        region=county,
        role=SeatRole.REGIONAL_DIRECTOR,
        contact=ContactFactory(),
        valid_from=datetime.date(2015, 1, 1),
        **fields,
    )


@pytest.mark.django_db
def test_a_second_holder_of_the_regional_directors_seat_is_refused_with_the_first_holders_name(
    client, ministry_user, civil_servants, region_county
):
    holder = MembershipFactory(
        forum=civil_servants,
        region=region_county,
        role=SeatRole.REGIONAL_DIRECTOR,
        contact=ContactFactory(name="Anna Andersson"),
    )
    client.force_login(ministry_user)
    response = client.post(
        reverse("forum:membership_create", kwargs={"forum_pk": civil_servants.pk}),
        {
            "contact": ContactFactory(name="Bertil Berg").pk,
            "region": region_county.pk,
            "role": SeatRole.REGIONAL_DIRECTOR,
            "valid_from": "2016-03-01",
            "valid_to": "",
            "substitute": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Andersson har redan denna plats för Skåne län från 1 januari 2015, utan slutdatum" in html
    assert list(Membership.objects.values_list("pk", flat=True)) == [holder.pk]

    rows = composition(civil_servants, 2016)
    assert composition_summary(rows)["filled"] == 1


@pytest.mark.django_db
def test_a_successor_may_take_the_seat_the_day_after_the_mandate_ends(civil_servants, region_county):
    services.membership_save(membership=_seat(civil_servants, region_county, valid_to=datetime.date(2016, 6, 30)))
    successor = _seat(civil_servants, region_county)
    successor.valid_from = datetime.date(2016, 7, 1)
    services.membership_save(membership=successor)
    overlapping = _seat(civil_servants, region_county)
    overlapping.valid_from = datetime.date(2016, 6, 30)
    with pytest.raises(ValidationError):
        services.membership_save(membership=overlapping)
    assert Membership.objects.count() == 2


@pytest.mark.django_db
def test_skl_committee_seats_have_several_holders(politicians):
    for _ in range(3):
        services.membership_save(
            membership=Membership(
                forum=politicians,
                role=SeatRole.SKL_COMMITTEE,
                contact=ContactFactory(),
                valid_from=datetime.date(2015, 1, 1),
            )
        )
    assert Membership.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_people_saved_into_one_free_seat_at_once_one_gets_it(civil_servants, region_county):
    def save_seat():
        try:
            services.membership_save(membership=_seat(civil_servants, region_county))
        except ValidationError:
            return "refused"
        return "saved"

    outcomes = race(save_seat, save_seat, lock_sql="LOCK TABLE forum_forum IN EXCLUSIVE MODE")
    assert sorted(outcomes) == ["refused", "saved"]
    assert Membership.objects.count() == 1
