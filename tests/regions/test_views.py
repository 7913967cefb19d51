import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.choices import Role
from regions.choices import BodyType, OrganisationKind
from regions.models import (
    BusinessSupportYear,
    Contact,
    GoodExample,
    Organisation,
    RegionalStrategy,
    RegionFollow,
    ResponsibilityPeriod,
    StrategyPriority,
)
from regions.views.contacts import ContactListView
from regions.views.good_examples import GoodExampleListView
from regions.views.organisations import OrganisationListView
from tests.factories.forum import TopicFactory
from tests.factories.regions import (
    ContactFactory,
    GoodExampleFactory,
    OrganisationFactory,
    RegionalStrategyFactory,
    RegionFactory,
    RegionFollowFactory,
    ResponsibilityPeriodFactory,
    StrategyPriorityFactory,
    StrategyStageFactory,
)
from tests.pages import FIRST_AND_LATER_PAGE, page_label, rows_on, sizes_over_a_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy_a(region_a):
    strategy = RegionalStrategyFactory(region=region_a, title="Kalmars RUS", start_year=2014, end_year=2030)
    StrategyPriorityFactory(strategy=strategy, number=1, title="Hållbar tillväxt")
    return strategy


@pytest.fixture
def region_c(db):
    return RegionFactory(code="25", name="Norrbottens län", iso_code="SE-BD", slug="norrbottens-lan")


def _page(response) -> str:
    return response.content.decode()


# --- Reading: every role reads every page, in a fixed number of queries -----------------------


@pytest.mark.parametrize("role", list(Role))
def test_region_detail_every_role_reads_the_profile(client, user_by_role, strategy_a, role):
    client.force_login(user_by_role[role])
    html = _page(client.get(reverse("regions:region_detail", args=[strategy_a.region.slug])))
    assert "Kalmars RUS" in html
    assert "1.</strong> Hållbar tillväxt" in html
    assert "Region Kalmar län" in html
    # Only those who may edit see the edit links.
    can_edit = role in (Role.MINISTRY, Role.ADMIN, Role.REGION)
    assert (reverse("regions:strategy_update", args=[strategy_a.pk]) in html) is can_edit


def test_region_detail_other_county_user_sees_no_edit_links(client, other_region_user, strategy_a):
    client.force_login(other_region_user)
    html = _page(client.get(reverse("regions:region_detail", args=[strategy_a.region.slug])))
    assert "Kalmars RUS" in html
    assert reverse("regions:strategy_update", args=[strategy_a.pk]) not in html
    assert "Redigera länets profil" not in html


@pytest.mark.parametrize("n", (1, 3))
def test_region_list_queries_do_not_grow_with_counties(client, ministry_user, django_assert_num_queries, n):
    ResponsibilityPeriodFactory.create_batch(n)
    client.force_login(ministry_user)
    # user, counties, their periods this year
    with django_assert_num_queries(3):
        response = client.get(reverse("regions:region_list"))
    assert _page(response).count("<td>Region Testlän") == n


@pytest.mark.parametrize("n", (1, 3))
def test_region_detail_queries_do_not_grow_with_rows(client, ministry_user, region_a, django_assert_num_queries, n):
    theme = TopicFactory()
    for i in range(n):
        strategy = RegionalStrategyFactory(region=region_a, start_year=2000 + i * 10, end_year=2009 + i * 10)
        StrategyPriorityFactory.create_batch(n, strategy=strategy)
        StrategyStageFactory(strategy=strategy)
        ContactFactory(region=region_a)
        GoodExampleFactory(region=region_a, theme=theme)
        BusinessSupportYear.objects.create(region=region_a, year=2015 + i)
    client.force_login(ministry_user)
    # user, county (with "followed"), periods, business-support years, strategies, priorities,
    # stages, contacts, good examples
    with django_assert_num_queries(9):
        response = client.get(reverse("regions:region_detail", args=[region_a.slug]))
    assert _page(response).count('<h3 class="h5">Gott exempel') == n


ORGANISATIONS_PER_PAGE = OrganisationListView.paginate_by
CONTACTS_PER_PAGE = ContactListView.paginate_by
EXAMPLES_PER_PAGE = GoodExampleListView.paginate_by


@pytest.mark.parametrize("n", sizes_over_a_page(ORGANISATIONS_PER_PAGE))
@FIRST_AND_LATER_PAGE
def test_organisation_list_queries_do_not_grow_with_organisations(
    client, agency_user, django_assert_num_queries, n, page
):
    theme = TopicFactory(name="Kompetensförsörjning", slug="kompetensforsorjning")
    other = TopicFactory()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Myndighet {i:03d}", kind=OrganisationKind.AGENCY) for i in range(n)
    )
    Organisation.themes.through.objects.bulk_create(
        Organisation.themes.through(organisation=organisation, topic=topic)
        for organisation in organisations
        for topic in (theme, other)
    )
    client.force_login(agency_user)
    # user, count, page, their themes, the theme choices of the filter
    with django_assert_num_queries(5):
        response = client.get(reverse("regions:organisation_list"), {"page": page})
    html = _page(response)
    shown = rows_on(page, total=n, per_page=ORGANISATIONS_PER_PAGE)
    assert html.count("Kompetensförsörjning</option>") == 1
    assert html.count('<tr id="organisation-') == html.count("Kompetensförsörjning\n") == shown
    assert f"Myndighet {(page - 1) * ORGANISATIONS_PER_PAGE:03d}" in html  # by name
    assert page_label(page, total=n, per_page=ORGANISATIONS_PER_PAGE) in html


@pytest.mark.parametrize("n", sizes_over_a_page(CONTACTS_PER_PAGE))
@FIRST_AND_LATER_PAGE
def test_contact_list_queries_do_not_grow_with_contacts(
    client, agency_user, region_a, django_assert_num_queries, n, page
):
    organisation = OrganisationFactory()
    Contact.objects.bulk_create(
        Contact(name=f"Kontakt {i:03d}", title="Handläggare", organisation=organisation, region=region_a)
        for i in range(n)
    )
    client.force_login(agency_user)
    # user, count, page (with organisation and county), organisation choices, county choices
    with django_assert_num_queries(5):
        response = client.get(reverse("regions:contact_list"), {"page": page})
    html = _page(response)
    assert html.count("Handläggare") == rows_on(page, total=n, per_page=CONTACTS_PER_PAGE)
    assert f"{n} kontakter hittades" in html
    assert f"Kontakt {(page - 1) * CONTACTS_PER_PAGE:03d}" in html  # by name
    assert page_label(page, total=n, per_page=CONTACTS_PER_PAGE) in html


@pytest.mark.parametrize("n", sizes_over_a_page(EXAMPLES_PER_PAGE))
@FIRST_AND_LATER_PAGE
def test_good_example_list_queries_do_not_grow_with_examples(
    client, region_user, region_a, django_assert_num_queries, n, page
):
    theme = TopicFactory(name="Uppföljning och analys")
    GoodExample.objects.bulk_create(
        GoodExample(region=region_a, theme=theme, title=f"Gott exempel {i:03d}", year=2015) for i in range(n)
    )
    client.force_login(region_user)
    # user (with the county the page header names), count, page, theme choices, county choices
    with django_assert_num_queries(5):
        response = client.get(reverse("regions:goodexample_list"), {"page": page})
    html = _page(response)
    assert html.count("Kalmar län</strong> – Gott exempel") == rows_on(page, total=n, per_page=EXAMPLES_PER_PAGE)
    assert f"Gott exempel {(page - 1) * EXAMPLES_PER_PAGE:03d}" in html  # by theme, county, year, title
    assert page_label(page, total=n, per_page=EXAMPLES_PER_PAGE) in html


# --- Filters and search ------------------------------------------------------------------------


def test_region_list_filter_by_body_type_shows_only_matching_counties(client, agency_user, region_a, region_c):
    ResponsibilityPeriodFactory(
        region=region_c, body_type=BodyType.COUNTY_BOARD, body_name="Länsstyrelsen i Norrbottens län", valid_from=2000
    )
    client.force_login(agency_user)
    html = _page(client.get(reverse("regions:region_list"), {"body_type": BodyType.COUNTY_BOARD}))
    assert "Norrbottens län" in html
    assert "Kalmar län" not in html
    html = _page(client.get(reverse("regions:region_list"), {"body_type": BodyType.REGION}))
    assert "Kalmar län" in html
    assert "Norrbottens län</a>" not in html


def test_organisation_list_filter_by_theme_finds_who_answers_for_it(client, region_user):
    skills = TopicFactory(name="Kompetensförsörjning", slug="kompetensforsorjning")
    OrganisationFactory(name="Myndigheten för yrkeshögskolan", remit="Yrkeshögskolan").themes.add(skills)
    OrganisationFactory(name="Trafikverket", remit="Transporter")
    client.force_login(region_user)
    html = _page(client.get(reverse("regions:organisation_list"), {"theme": skills.pk}))
    assert "Myndigheten för yrkeshögskolan" in html
    assert "Trafikverket" not in html


def test_contact_list_search_by_name_organisation_and_county(client, agency_user, region_a, region_b):
    tvv = OrganisationFactory(name="Tillväxtverket")
    ContactFactory(name="Eva Exempel", organisation=tvv, region=None)
    ContactFactory(name="Karin Kalmar", region=region_a, title="Regiondirektör")
    ContactFactory(name="Kristian Kronoberg", region=region_b, title="Regiondirektör")
    client.force_login(agency_user)
    url = reverse("regions:contact_list")

    html = _page(client.get(url, {"name": "karin"}))
    assert "Karin Kalmar" in html
    assert "Kristian Kronoberg" not in html
    html = _page(client.get(url, {"organisation": tvv.pk}))
    assert "Eva Exempel" in html
    assert "Karin Kalmar" not in html
    html = _page(client.get(url, {"region": region_b.pk, "name": "regiondirektör"}))
    assert "Kristian Kronoberg" in html
    assert "Karin Kalmar" not in html
    assert "1 kontakt hittades" in html


def test_contact_list_paginates(client, agency_user):
    ContactFactory.create_batch(26)
    client.force_login(agency_user)
    html = _page(client.get(reverse("regions:contact_list")))
    assert "26 kontakter hittades" in html
    assert "Sida 1 av 2" in html


def test_good_example_list_groups_by_theme_and_filters_by_county(client, agency_user, region_a, region_b):
    analysis = TopicFactory(name="Uppföljning och analys")
    logic = TopicFactory(name="Mål, insatslogik och resultat")
    GoodExampleFactory(region=region_a, theme=analysis, title="Uppföljning och analys av företagsstöden")
    GoodExampleFactory(region=region_b, theme=logic, title="Insatslogiken i fokus")
    client.force_login(agency_user)
    html = _page(client.get(reverse("regions:goodexample_list")))
    assert html.index("Mål, insatslogik och resultat</h2>") < html.index("Insatslogiken i fokus")
    html = _page(client.get(reverse("regions:goodexample_list"), {"region": region_b.pk}))
    assert "Insatslogiken i fokus" in html
    assert "företagsstöden" not in html


# --- Writing: who may, and what is refused -----------------------------------------------------


def _edit_urls(strategy):
    region = strategy.region
    priority = strategy.priorities.get()
    period = region.responsibility_periods.get()
    return [
        reverse("regions:region_update", args=[region.slug]),
        reverse("regions:period_create", args=[region.slug]),
        reverse("regions:period_update", args=[period.pk]),
        reverse("regions:strategy_create", args=[region.slug]),
        reverse("regions:strategy_update", args=[strategy.pk]),
        reverse("regions:strategy_stage_set", args=[strategy.pk]),
        reverse("regions:priority_create", args=[strategy.pk]),
        reverse("regions:priority_update", args=[priority.pk]),
        reverse("regions:contact_update", args=[ContactFactory(region=region).pk]),
        reverse("regions:goodexample_update", args=[GoodExampleFactory(region=region).pk]),
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("ministry", True), ("admin", True), ("own_region", True), ("agency", False), ("other_region", False)],
)
def test_county_edit_pages_open_only_to_ministry_and_the_own_county(
    client, ministry_user, admin_user, region_user, agency_user, other_region_user, strategy_a, who, allowed
):
    user = {
        "ministry": ministry_user,
        "admin": admin_user,
        "own_region": region_user,
        "agency": agency_user,
        "other_region": other_region_user,
    }[who]
    client.force_login(user)
    for url in _edit_urls(strategy_a):
        response = client.get(url)
        assert response.status_code == (200 if allowed else 404), url
        if allowed:
            assert "Spara" in _page(response)


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.MINISTRY, True), (Role.ADMIN, True), (Role.AGENCY, False), (Role.REGION, False)]
)
def test_organisation_edit_pages_are_the_ministrys(client, user_by_role, role, allowed):
    organisation = OrganisationFactory(name="Vinnova")
    client.force_login(user_by_role[role])
    for url in (
        reverse("regions:organisation_create"),
        reverse("regions:organisation_update", args=[organisation.pk]),
    ):
        assert client.get(url).status_code == (200 if allowed else 404)


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.MINISTRY, True), (Role.ADMIN, True), (Role.REGION, True), (Role.AGENCY, False)]
)
def test_contact_and_good_example_create_pages_by_role(client, user_by_role, role, allowed):
    client.force_login(user_by_role[role])
    for url in (reverse("regions:contact_create"), reverse("regions:goodexample_create")):
        assert client.get(url).status_code == (200 if allowed else 404)


def test_strategy_update_other_county_user_gets_404_and_nothing_changes(client, other_region_user, strategy_a):
    client.force_login(other_region_user)
    response = client.post(
        reverse("regions:strategy_update", args=[strategy_a.pk]),
        {"title": "Kapad", "start_year": 2014, "end_year": 2020, "version": 1},
    )
    assert response.status_code == 404
    strategy_a.refresh_from_db()
    assert (strategy_a.title, strategy_a.version) == ("Kalmars RUS", 1)


def test_priority_update_other_county_user_gets_404_and_nothing_changes(client, other_region_user, strategy_a):
    priority = strategy_a.priorities.get()
    client.force_login(other_region_user)
    response = client.post(reverse("regions:priority_update", args=[priority.pk]), {"number": 1, "title": "Kapad"})
    assert response.status_code == 404
    assert StrategyPriority.objects.get(pk=priority.pk).title == "Hållbar tillväxt"


def test_strategy_update_own_county_user_saves_and_sees_it_on_the_profile(client, region_user, strategy_a):
    client.force_login(region_user)
    response = client.post(
        reverse("regions:strategy_update", args=[strategy_a.pk]),
        {"title": "Kalmars nya RUS", "start_year": 2021, "end_year": 2030, "version": 1},
        follow=True,
    )
    html = _page(response)
    assert "Sparat." in html
    assert "Kalmars nya RUS" in html
    strategy_a.refresh_from_db()
    assert (strategy_a.start_year, strategy_a.version) == (2021, 2)


def test_strategy_update_end_before_start_shows_the_message_and_saves_nothing(client, region_user, strategy_a):
    client.force_login(region_user)
    response = client.post(
        reverse("regions:strategy_update", args=[strategy_a.pk]),
        {"title": "Bakvänd", "start_year": 2030, "end_year": 2021, "version": 1},
    )
    assert "Sista året kan inte komma före det första." in _page(response)
    strategy_a.refresh_from_db()
    assert strategy_a.title == "Kalmars RUS"


def test_strategy_update_concurrent_edit_is_refused_with_the_users_text_kept(
    client, ministry_user, region_user, strategy_a
):
    url = reverse("regions:strategy_update", args=[strategy_a.pk])
    client.force_login(ministry_user)
    client.post(url, {"title": "Departementets rubrik", "start_year": 2014, "end_year": 2030, "version": 1})
    client.force_login(region_user)
    response = client.post(url, {"title": "Regionens rubrik", "start_year": 2014, "end_year": 2030, "version": 1})
    html = _page(response)
    assert "Någon annan sparade detta" in html
    assert 'value="Regionens rubrik"' in html
    strategy_a.refresh_from_db()
    assert strategy_a.title == "Departementets rubrik"


def test_region_update_saves_the_profile_for_the_own_county(client, region_user, region_a):
    client.force_login(region_user)
    client.post(
        reverse("regions:region_update", args=[region_a.slug]),
        {"description": "Ett län med stark besöksnäring.", "website": "https://regionkalmar.se/", "version": 1},
    )
    html = _page(client.get(region_a.get_absolute_url()))
    assert "Ett län med stark besöksnäring." in html


def test_priority_create_number_taken_shows_the_message_and_saves_nothing(client, region_user, strategy_a):
    client.force_login(region_user)
    response = client.post(reverse("regions:priority_create", args=[strategy_a.pk]), {"number": 1, "title": "Dubblett"})
    assert "Prioritering nummer 1 används redan i strategin." in _page(response)
    assert strategy_a.priorities.count() == 1


def test_priority_create_next_number_is_proposed_and_saved(client, region_user, strategy_a):
    client.force_login(region_user)
    url = reverse("regions:priority_create", args=[strategy_a.pk])
    assert 'value="2"' in _page(client.get(url))
    client.post(url, {"number": 2, "title": "Kompetensförsörjning"})
    assert list(strategy_a.priorities.values_list("number", "title")) == [
        (1, "Hållbar tillväxt"),
        (2, "Kompetensförsörjning"),
    ]


def test_period_create_overlap_shows_the_message_and_saves_nothing(client, ministry_user, region_a):
    client.force_login(ministry_user)
    response = client.post(
        reverse("regions:period_create", args=[region_a.slug]),
        {"body_type": BodyType.COUNTY_BOARD, "body_name": "Länsstyrelsen", "valid_from": 2010, "valid_to": 2020},
    )
    assert "Perioden överlappar Region Kalmar län (2019–i dag)." in _page(response)
    assert ResponsibilityPeriod.objects.filter(region=region_a).count() == 1


def test_period_create_before_the_current_period_is_shown_in_the_history(client, region_user, region_a):
    client.force_login(region_user)
    client.post(
        reverse("regions:period_create", args=[region_a.slug]),
        {"body_type": BodyType.COLLABORATION_BODY, "body_name": "Regionförbundet i Kalmar län", "valid_to": 2018},
    )
    html = _page(client.get(region_a.get_absolute_url()))
    assert html.index("Regionförbundet i Kalmar län") < html.index("Region Kalmar län</td>")


def test_strategy_stage_set_view_records_the_stage_and_mails_followers(
    client, region_user, agency_user, strategy_a, django_capture_on_commit_callbacks
):
    RegionFollowFactory(user=agency_user, region=strategy_a.region)
    client.force_login(region_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("regions:strategy_stage_set", args=[strategy_a.pk]),
            {"stage": "drafting", "starts_on": "2015-02-01", "ends_on": "2015-01-01"},
        )
    assert "Skedet kan inte sluta innan det börjar." in _page(response)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("regions:strategy_stage_set", args=[strategy_a.pk]),
            {"stage": "drafting", "starts_on": "2015-02-01"},
            follow=True,
        )
    assert "skede nu: Framtagande" in _page(response)
    assert [m.to for m in mail.outbox] == [[agency_user.email]]


@pytest.mark.parametrize(("role", "allowed"), [(Role.AGENCY, True), (Role.MINISTRY, True), (Role.REGION, False)])
def test_region_follow_by_role(client, user_by_role, region_a, role, allowed):
    user = user_by_role[role]
    client.force_login(user)
    page = _page(client.get(region_a.get_absolute_url()))
    assert ("Följ processen för strategin" in page) is allowed
    response = client.post(reverse("regions:region_follow", args=[region_a.slug]), {"follow": "1"}, follow=True)
    assert RegionFollow.objects.filter(user=user, region=region_a).exists() is allowed
    if allowed:
        assert "Sluta följa processen för strategin" in _page(response)
        client.post(reverse("regions:region_follow", args=[region_a.slug]), {"follow": "0"})
        assert not RegionFollow.objects.filter(user=user).exists()
    else:
        assert response.status_code == 404


def test_contact_create_regional_user_can_only_choose_the_own_county(client, region_user, region_a, region_b):
    client.force_login(region_user)
    url = reverse("regions:contact_create")
    response = client.post(url, {"name": "Smygande Kontakt", "region": region_b.pk})
    assert "Välj ett giltigt alternativ" in _page(response)
    client.post(url, {"name": "Anders Analys", "title": "Analyschef", "region": region_a.pk})
    assert Contact.objects.get(name="Anders Analys").region == region_a
    assert not Contact.objects.filter(name="Smygande Kontakt").exists()


def test_contact_update_other_county_user_gets_404_and_nothing_changes(client, other_region_user, region_a):
    contact = ContactFactory(region=region_a, name="Karin Kalmar")
    client.force_login(other_region_user)
    response = client.post(reverse("regions:contact_update", args=[contact.pk]), {"name": "Kapad"})
    assert response.status_code == 404
    assert Contact.objects.get(pk=contact.pk).name == "Karin Kalmar"


def test_organisation_update_ministry_sets_remit_themes(client, ministry_user):
    skills = TopicFactory(name="Kompetensförsörjning", slug="kompetensforsorjning")
    organisation = OrganisationFactory(name="Arbetsförmedlingen")
    client.force_login(ministry_user)
    client.post(
        reverse("regions:organisation_update", args=[organisation.pk]),
        {"name": "Arbetsförmedlingen", "kind": "agency", "remit": "Matchning", "themes": [skills.pk]},
    )
    html = _page(client.get(reverse("regions:organisation_list"), {"theme": skills.pk}))
    assert "Arbetsförmedlingen" in html
    assert "Matchning" in html


def test_strategy_detail_shows_current_and_earlier_strategies(client, agency_user, region_a):
    year = datetime.date.today().year
    RegionalStrategyFactory(region=region_a, title="Gamla RUS", start_year=2000, end_year=2010)
    RegionalStrategyFactory(region=region_a, title="Nya RUS", start_year=year - 1, end_year=year + 5)
    client.force_login(agency_user)
    html = _page(client.get(region_a.get_absolute_url()))
    assert html.index("Nya RUS") < html.index("Tidigare strategier") < html.index("Gamla RUS")
    assert RegionalStrategy.objects.count() == 2


def test_every_county_page_answers_every_role_without_an_error(client, user_by_role, other_region_user, strategy_a):
    from django.urls import get_resolver

    period = strategy_a.region.responsibility_periods.get()
    objects = {
        "organisation_update": OrganisationFactory().pk,
        "contact_update": ContactFactory(region=strategy_a.region).pk,
        "goodexample_update": GoodExampleFactory(region=strategy_a.region).pk,
        "period_update": period.pk,
        "strategy_update": strategy_a.pk,
        "strategy_stage_set": strategy_a.pk,
        "priority_create": strategy_a.pk,
        "priority_update": strategy_a.priorities.get().pk,
        "priority_delete": strategy_a.priorities.get().pk,
        "organisation_delete": OrganisationFactory().pk,
        "contact_delete": ContactFactory(region=strategy_a.region).pk,
        "period_delete": period.pk,
    }
    patterns = get_resolver().namespace_dict["regions"][1].url_patterns
    for user in [*user_by_role.values(), other_region_user]:
        client.force_login(user)
        for pattern in patterns:
            params = pattern.pattern.converters
            kwargs = {"slug": strategy_a.region.slug} if "slug" in params else {}
            if "pk" in params:
                kwargs["pk"] = objects[pattern.name]
            url = reverse(f"regions:{pattern.name}", kwargs=kwargs)
            status = client.get(url).status_code
            # The follow button is POST only; who may not follow is refused (404) before the method is.
            expected = {404, 405} if pattern.name == "region_follow" else {200, 404}
            assert status in expected, (user.role, url, status)


def test_region_list_year_and_body_type_show_who_held_the_responsibility_then(client, agency_user, region_a):
    ResponsibilityPeriodFactory(
        region=region_a,
        body_type=BodyType.COLLABORATION_BODY,
        body_name="Regionförbundet i Kalmar län",
        valid_from=None,
        valid_to=2018,
    )
    client.force_login(agency_user)
    html = _page(client.get(reverse("regions:region_list"), {"year": 2015, "body_type": BodyType.COLLABORATION_BODY}))
    assert "Regionförbundet i Kalmar län" in html
    assert "regionala utvecklingsansvaret 2015" in html
    html = _page(client.get(reverse("regions:region_list"), {"year": 2015, "body_type": BodyType.REGION}))
    assert "Inget län matchar filtret." in html


def test_priority_delete_own_county_removes_it_and_other_county_gets_404(
    client, region_user, other_region_user, strategy_a
):
    priority = strategy_a.priorities.get()
    url = reverse("regions:priority_delete", args=[priority.pk])
    client.force_login(other_region_user)
    assert client.post(url).status_code == 404
    assert strategy_a.priorities.exists()
    client.force_login(region_user)
    assert "Ta bort Hållbar tillväxt?" not in _page(client.get(url))  # the number comes first
    assert "Ta bort 1. Hållbar tillväxt?" in _page(client.get(url))
    response = client.post(url, follow=True)
    assert "Prioriteringen är borttagen." in _page(response)
    assert not strategy_a.priorities.exists()


def test_region_detail_in_english_after_switching_language(client, agency_user, strategy_a):
    client.force_login(agency_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = _page(client.get(strategy_a.region.get_absolute_url()))
    assert '<html lang="en">' in html
    assert "Regional development responsibility" in html
    assert "Follow the strategy process (e-mail at each new stage)" in html


@pytest.mark.parametrize(("who", "sees_links"), [("ministry", True), ("own", True), ("other", False)])
def test_region_detail_links_to_the_countys_figures_only_for_those_who_may_see_them(
    client, region_a, ministry_user, region_user, other_region_user, who, sees_links
):
    user = {"ministry": ministry_user, "own": region_user, "other": other_region_user}[who]
    client.force_login(user)
    html = client.get(region_a.get_absolute_url()).content.decode()
    assert (f"/uppfoljning/lan/{region_a.slug}/" in html) is sees_links
