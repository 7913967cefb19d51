"""Forum periods: the ministry creates a new period in the portal; the forum pages open on this
year when the period covers it, and say so clearly when no period does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.choices import ForumKind, SeatRole
from forum.models import Forum, Membership
from tests.factories.forum import ForumFactory, MembershipFactory
from tests.factories.regions import ContactFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _html(response) -> str:
    return response.content.decode()


def _post(**overrides):
    data = {
        "kind": ForumKind.CIVIL_SERVANT,
        "name": f"Tjänstemannaforum {THIS_YEAR}–{THIS_YEAR + 3}",
        "chair": "",
        "start_year": THIS_YEAR,
        "end_year": THIS_YEAR + 3,
    }
    data.update(overrides)
    return data


def test_ministry_creates_a_new_forum_period_with_its_chair(client, ministry_user, civil_servants):
    chair = ContactFactory(name="Anna Ordförande")
    client.force_login(ministry_user)
    url = reverse("forum:forum_create")
    page = _html(client.get(url))
    assert "Ny forumperiod" in page
    response = client.post(url, _post(chair=chair.pk), follow=True)
    forum = Forum.objects.get(kind=ForumKind.CIVIL_SERVANT, start_year=THIS_YEAR)
    assert response.redirect_chain[-1][0] == forum.get_absolute_url()
    assert forum.chair == chair
    assert forum.end_year == THIS_YEAR + 3
    html = _html(response)
    assert "Forumperioden skapades." in html
    assert f"Ledamöter {THIS_YEAR}" in html  # opens on this year
    assert "omfattar inte" not in html


def test_new_period_can_carry_over_the_members_of_the_previous_period(
    client, ministry_user, civil_servants, region_county
):
    held = MembershipFactory(
        forum=civil_servants,
        region=region_county,
        role=SeatRole.REGIONAL_DIRECTOR,
        valid_from=f"{civil_servants.start_year}-01-01",
        valid_to=None,
    )
    MembershipFactory(
        forum=civil_servants,
        region=region_county,
        role=SeatRole.REGIONAL_DIRECTOR,
        valid_from=f"{civil_servants.start_year}-01-01",
        valid_to=f"{civil_servants.start_year}-12-31",
    )  # left before the period ended: not carried
    client.force_login(ministry_user)
    response = client.post(reverse("forum:forum_create"), _post(carry_members="on"), follow=True)
    forum = Forum.objects.get(kind=ForumKind.CIVIL_SERVANT, start_year=THIS_YEAR)
    (carried,) = Membership.objects.filter(forum=forum)
    assert (carried.contact, carried.region, carried.role) == (held.contact, held.region, held.role)
    assert carried.valid_from.isoformat() == f"{THIS_YEAR}-01-01"
    assert "1 ledamot fördes över." in _html(response)
    assert held.contact.name in _html(response)


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"start_year": 2019, "end_year": 2022}, "Perioden överlappar"),  # civil_servants runs 2015–2020
        ({"start_year": 1999, "end_year": 2002}, "Ange ett år från 2000"),
        ({"start_year": THIS_YEAR, "end_year": THIS_YEAR + 30}, "Ange ett år från 2000"),
        ({"start_year": THIS_YEAR + 2, "end_year": THIS_YEAR}, "Perioden kan inte sluta innan den börjar."),
        ({"start_year": THIS_YEAR, "end_year": THIS_YEAR + 9}, "En period varar högst 8 år."),
    ],
)
def test_new_period_refuses_insane_or_overlapping_years_and_saves_nothing(
    client, ministry_user, civil_servants, overrides, field_error
):
    client.force_login(ministry_user)
    response = client.post(reverse("forum:forum_create"), _post(**overrides))
    assert response.status_code == 200
    html = _html(response)
    assert field_error in html
    assert html.count(field_error) == 1
    assert Forum.objects.count() == 1


def test_another_kind_may_share_the_years(client, ministry_user, civil_servants):
    client.force_login(ministry_user)
    client.post(
        reverse("forum:forum_create"),
        _post(kind=ForumKind.POLITICIAN, name="Politikerforum 2017–2020", start_year=2017, end_year=2020),
    )
    assert Forum.objects.filter(kind=ForumKind.POLITICIAN, start_year=2017).exists()


@pytest.mark.parametrize("role", ["agency", "region"])
def test_only_the_ministry_creates_periods(client, user_by_role, role):
    client.force_login(user_by_role[role])
    assert client.get(reverse("forum:forum_create")).status_code == 403
    assert client.post(reverse("forum:forum_create"), _post()).status_code == 403
    assert not Forum.objects.exists()


def test_forum_page_opens_on_this_year_when_the_period_covers_it(client, agency_user, region_county):
    forum = ForumFactory(kind=ForumKind.CIVIL_SERVANT, start_year=THIS_YEAR - 1, end_year=THIS_YEAR + 2)
    member = MembershipFactory(
        forum=forum, region=region_county, role=SeatRole.REGIONAL_DIRECTOR, valid_from=f"{THIS_YEAR}-01-01"
    )
    client.force_login(agency_user)
    html = _html(client.get(forum.get_absolute_url()))
    assert f"Ledamöter {THIS_YEAR}" in html
    assert member.contact.name in html
    assert "omfattar inte" not in html


def test_forum_page_of_an_old_period_says_so_and_links_the_current_one(client, agency_user, civil_servants):
    current = ForumFactory(kind=ForumKind.CIVIL_SERVANT, start_year=THIS_YEAR - 1, end_year=THIS_YEAR + 2)
    client.force_login(agency_user)
    html = _html(client.get(civil_servants.get_absolute_url()))
    assert f"Den här perioden, 2015–2020, omfattar inte {THIS_YEAR}; sidan visar 2020." in html
    assert f'href="{current.get_absolute_url()}"' in html
    composition = _html(client.get(reverse("forum:forum_composition", args=[civil_servants.pk])))
    assert "omfattar inte" in composition


def test_forum_list_with_no_period_covering_this_year_shows_the_latest_and_a_note(
    client, ministry_user, politicians, civil_servants
):
    newer = ForumFactory(kind=ForumKind.POLITICIAN, start_year=2021, end_year=THIS_YEAR - 1, name="Politikerforum ny")
    client.force_login(ministry_user)
    html = _html(client.get(reverse("forum:forum_list")))
    assert f"Ingen period av Politikerforum omfattar {THIS_YEAR}. Den senaste perioden är 2021–{THIS_YEAR - 1}:" in html
    assert f'<a href="{newer.get_absolute_url()}">Politikerforum ny</a>' in html
    assert f'href="{reverse("forum:forum_create")}"' in html


def test_forum_list_names_the_current_period(client, agency_user):
    current = ForumFactory(
        kind=ForumKind.POLITICIAN, start_year=THIS_YEAR, end_year=THIS_YEAR + 3, name="Politikerforum nu"
    )
    client.force_login(agency_user)
    html = _html(client.get(reverse("forum:forum_list")))
    assert f'<a href="{current.get_absolute_url()}">Politikerforum nu</a>' in html
    assert "aktuell period" in html
    assert "Ny forumperiod" not in html
