import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.choices import Role
from followup.models import Allocation, CoFinancing, Expenditure
from tests.factories.followup import (
    AllocationFactory,
    AppropriationFactory,
    CoFinancingFactory,
    ExpenditureFactory,
    ResultIndicatorFactory,
)
from tests.factories.regions import RegionFactory
from tests.followup.conftest import xlsx

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name: str = "anvandning-2015.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return {"file": upload}


def _counties_with_figures(n: int, year: int = 2015) -> list[Allocation]:
    appropriation = AppropriationFactory(year=year)
    allocations = []
    for i in range(n):
        allocation = AllocationFactory(appropriation=appropriation, region=RegionFactory(code=f"{40 + i}"))
        ExpenditureFactory(allocation=allocation, amount=1_000_000)
        ExpenditureFactory(allocation=allocation, instrument="business_support", amount=500_000)
        CoFinancingFactory(allocation=allocation, amount=750_000)
        ResultIndicatorFactory(allocation=allocation)
        allocations.append(allocation)
    return allocations


# --- National comparison and year-over-year ----------------------------------------------------


@pytest.mark.parametrize("n", (1, 3))
def test_national_view_query_count_does_not_grow_with_counties(client, ministry_user, n, django_assert_num_queries):
    allocations = _counties_with_figures(n)
    client.force_login(ministry_user)
    with django_assert_num_queries(3):
        response = client.get(reverse("followup:national"), {"year": 2015, "sort": "-leverage"})
    html = response.content.decode()
    for allocation in allocations:
        assert allocation.region.name in html
    assert "1\u00a0500\u00a0000\u00a0kr" in html  # used per county
    assert "1,50" in html  # leverage (1.5 mnkr + 0.75 mnkr) ÷ 1.5 mnkr
    assert html.count('role="img"') == 3
    assert 'aria-sort="descending"' in html


def test_national_view_shows_the_demo_badge_for_demo_figures(client, agency_user, region_a):
    AllocationFactory(appropriation=AppropriationFactory(year=2015, is_demo=True), region=region_a, is_demo=True)
    client.force_login(agency_user)
    html = client.get(reverse("followup:national")).content.decode()
    assert "Demodata" in html
    assert "Jämför länen" not in html or "Kalmar län" in html


def test_national_view_sends_a_regional_user_to_their_own_county(client, region_user):
    client.force_login(region_user)
    response = client.get(reverse("followup:national"))
    assert response.status_code == 302
    assert response.url == reverse("followup:region", kwargs={"slug": "kalmar-lan"})


@pytest.mark.parametrize("n", (1, 3))
def test_trend_view_query_count_does_not_grow_with_years(client, ministry_user, region_a, n, django_assert_num_queries):
    for year in range(2015, 2015 + n):
        allocation = AllocationFactory(appropriation=AppropriationFactory(year=year), region=region_a)
        ExpenditureFactory(allocation=allocation, amount=2_000_000)
    client.force_login(ministry_user)
    with django_assert_num_queries(4):
        response = client.get(reverse("followup:trend"))
    html = response.content.decode()
    assert f"{2015 + n - 1}" in html
    assert html.count("20,0\u00a0%") >= 2 * n  # utilisation 2 of 10 mnkr: all counties, and Kalmar's row
    assert "Nyttjandegrad per län och år" in html
    assert html.count('role="img"') == 3


def test_trend_view_county_table_shows_the_chosen_measure(client, agency_user, region_a):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2015), region=region_a)
    ExpenditureFactory(allocation=allocation, amount=2_000_000)
    CoFinancingFactory(allocation=allocation, amount=3_000_000)
    client.force_login(agency_user)
    html = client.get(reverse("followup:trend"), {"measure": "leverage"}).content.decode()
    assert "Uppväxling per län och år" in html
    assert "2,50" in html
    assert 'aria-current="page">Uppväxling</a>' in html


def test_trend_view_is_refused_to_a_regional_user(client, region_user):
    client.force_login(region_user)
    assert client.get(reverse("followup:trend")).status_code == 403


# --- A county's pages --------------------------------------------------------------------------


@pytest.mark.parametrize("n", (1, 3))
def test_region_trend_query_count_does_not_grow_with_years(client, region_user, region_a, n, django_assert_num_queries):
    for year in range(2015, 2015 + n):
        allocation = AllocationFactory(appropriation=AppropriationFactory(year=year), region=region_a)
        ExpenditureFactory(allocation=allocation, amount=2_000_000)
        CoFinancingFactory(allocation=allocation, amount=2_000_000)
    client.force_login(region_user)
    # user (with county), county, the allocations with their figures
    with django_assert_num_queries(3):
        response = client.get(reverse("followup:region", kwargs={"slug": "kalmar-lan"}))
    html = response.content.decode()
    assert "Kalmar län" in html
    assert html.count("2,00") >= n  # leverage each year
    assert html.count('role="img"') == 3


@pytest.mark.parametrize("n", (1, 3))
def test_allocation_detail_query_count_does_not_grow_with_lines(
    client, region_user, year_2015, n, django_assert_num_queries
):
    kalmar = year_2015["kalmar"]
    priority = kalmar.region.strategies.get().priorities.get(number=1)
    for i in range(n):
        ExpenditureFactory(allocation=kalmar, amount=100_000 * (i + 1), priority=priority, description=f"Rad {i}")
        ResultIndicatorFactory(allocation=kalmar, priority=priority, name=f"Indikator {i}")
    client.force_login(region_user)
    with django_assert_num_queries(5):  # the user, the allocation, its results, its lines and their count
        response = client.get(reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2015}))
    html = response.content.decode()
    assert "Rad 0" in html
    assert "Indikator 0" in html
    assert "1. Innovation och företagande" in html
    assert "100,0\u00a0%" in html  # all the use is tied to a priority
    assert "Rapportera användning" in html
    assert "Ändra ram och villkor" not in html  # the frame is the ministry's and agency's


@pytest.mark.parametrize(
    "name", ["region", "allocation_detail", "expenditure_report", "cofinancing_report", "result_report"]
)
def test_kronoberg_user_gets_404_on_kalmars_pages(client, other_region_user, year_2015, name):
    kwargs = {"slug": "kalmar-lan"} if name == "region" else {"slug": "kalmar-lan", "year": 2015}
    client.force_login(other_region_user)
    assert client.get(reverse(f"followup:{name}", kwargs=kwargs)).status_code == 404
    response = client.post(reverse(f"followup:{name}", kwargs=kwargs), {"version": 1})
    assert response.status_code in (404, 405)
    assert not Expenditure.objects.exists()
    assert not CoFinancing.objects.exists()


def test_regional_user_may_not_change_the_frame(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:allocation_update", kwargs={"slug": "kalmar-lan", "year": 2015})
    response = client.post(url, {"frame_amount": "99999999", "version": 1})
    assert response.status_code == 403
    assert Allocation.objects.get(pk=year_2015["kalmar"].pk).frame_amount == Decimal(10_000_000)


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY])
def test_ministry_and_agency_change_any_countys_frame(client, user_by_role, year_2015, role):
    client.force_login(user_by_role[role])
    url = reverse("followup:allocation_update", kwargs={"slug": "kronobergs-lan", "year": 2015})
    response = client.post(
        url,
        {"frame_amount": "6000000", "conditions_decided_on": "2015-01-20", "conditions": "Villkor", "version": 1},
        follow=True,
    )
    assert "Ramen och villkoren sparades." in response.content.decode()
    assert Allocation.objects.get(pk=year_2015["kronoberg"].pk).frame_amount == Decimal(6_000_000)


def test_allocation_update_second_of_two_concurrent_edits_is_refused_and_keeps_the_text(
    client, ministry_user, agency_user, year_2015
):
    url = reverse("followup:allocation_update", kwargs={"slug": "kalmar-lan", "year": 2015})
    data = {"frame_amount": "10000000", "version": 1}
    client.force_login(ministry_user)
    client.post(url, data | {"conditions": "Departementets text"})
    client.force_login(agency_user)
    response = client.post(url, data | {"conditions": "Myndighetens text"})
    html = response.content.decode()
    assert "Någon annan sparade detta" in html
    assert "Myndighetens text" in html
    assert Allocation.objects.get(pk=year_2015["kalmar"].pk).conditions == "Departementets text"


def _lines_post(**lines) -> dict:
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "version": "1"}
    for index, (instrument, amount) in enumerate(lines.items()):
        data |= {f"lines-{index}-instrument": instrument, f"lines-{index}-amount": amount}
    return data


def test_expenditure_report_by_the_region_is_saved(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    response = client.post(url, _lines_post(projects="3 000 000", other="1000000,00"), follow=True)
    assert "Användningen sparades." in response.content.decode()
    assert sorted(Expenditure.objects.values_list("amount", flat=True)) == [Decimal(1_000_000), Decimal(3_000_000)]


def test_expenditure_report_above_the_frame_is_refused_with_a_message(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    response = client.post(url, _lines_post(projects="9000000", other="2000000"))
    html = response.content.decode()
    assert "överstiger ramen" in html
    assert "9000000" in html  # the user's figures are still in the form
    assert not Expenditure.objects.exists()


def test_cofinancing_report_saves_the_sources(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:cofinancing_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    client.post(url, {"region": "400 000", "eu_structural_funds": "1000000", "private": "-5", "version": "1"})
    assert not CoFinancing.objects.exists()  # a negative amount refuses the whole form
    client.post(url, {"region": "400 000", "eu_structural_funds": "1000000", "version": "1"})
    response = client.get(reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2015}))
    assert "1\u00a0400\u00a0000\u00a0kr" in response.content.decode()


# --- Import and export -------------------------------------------------------------------------

BAD = [
    ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovation"],
    ["99", "", "Projektverksamhet", "", "1 000", "", ""],
    ["08", "Kalmar län", "Övrigt", "", "-200", "", ""],
    ["08", "Kalmar län", "Projektverksamhet", 9, "200 000,00", "", ""],
]
GOOD = [
    ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovation"],
    ["08", "Kalmar län", "Projektverksamhet", "", "1 000", "", ""],
    ["08", "Kalmar län", "Övrigt", "", "200", "", ""],
    ["08", "Kalmar län", "Projektverksamhet", 2, "200 000,00", "", ""],
]


def test_import_by_a_regional_director_three_bad_rows_refused_then_corrected_file_saved(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:import", kwargs={"year": 2015})
    assert "länskod" in client.get(url).content.decode()  # the format is documented on the page

    html = client.post(url, _upload(xlsx(BAD))).content.decode()
    assert "Filen sparades inte: 3 problem hittades." in html
    assert "Okänd länskod ”99”." in html
    assert "Beloppet får inte vara negativt (-200)." in html
    assert "Okänd prioritering 9" in html
    assert "Spara de importerade siffrorna" not in html
    assert not Expenditure.objects.exists()
    # Without a valid preview, there is nothing to confirm.
    client.post(reverse("followup:import_confirm", kwargs={"year": 2015}))
    assert not Expenditure.objects.exists()

    html = client.post(url, _upload(xlsx(GOOD))).content.decode()
    assert "Filen är korrekt: 4 rader" in html
    assert "1\u00a0201\u00a0200\u00a0kr" in html
    assert not Expenditure.objects.exists()  # a preview saves nothing

    response = client.post(reverse("followup:import_confirm", kwargs={"year": 2015}), follow=True)
    html = response.content.decode()
    assert "4 rader sparades" in html
    assert "Innovation" in html
    assert Expenditure.objects.filter(allocation=year_2015["kalmar"]).count() == 4


def test_import_by_kronoberg_user_with_kalmar_rows_is_refused(client, other_region_user, year_2015):
    client.force_login(other_region_user)
    rows = [["07", "", "Projektverksamhet", "", 1000, "", ""], ["08", "", "Projektverksamhet", "", 1000, "", ""]]
    html = client.post(reverse("followup:import", kwargs={"year": 2015}), _upload(xlsx(rows))).content.decode()
    assert "du får bara importera ditt eget läns siffror" in html
    client.post(reverse("followup:import_confirm", kwargs={"year": 2015}))
    assert not Expenditure.objects.exists()


def test_export_gives_a_regional_user_only_their_own_county(client, region_user, year_2015):
    ExpenditureFactory(allocation=year_2015["kalmar"], amount=1_234_567, description="Kalmars rad")
    ExpenditureFactory(allocation=year_2015["kronoberg"], amount=7_654_321, description="Kronobergs rad")
    client.force_login(region_user)
    response = client.get(reverse("followup:export", kwargs={"year": 2015, "fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["länskod", "län", "insats", "prioritet", "belopp"]
    assert rows[1:] == [["08", "Kalmar län", "Projektverksamhet", "", "1234567", "nej", "Kalmars rad"]]


def test_export_xlsx_goes_back_in_through_the_import(client, ministry_user, year_2015):
    ExpenditureFactory(allocation=year_2015["kalmar"], amount=1_234_567)
    ExpenditureFactory(allocation=year_2015["kronoberg"], amount=7_654)
    client.force_login(ministry_user)
    exported = client.get(reverse("followup:export", kwargs={"year": 2015, "fmt": "xlsx"})).getvalue()
    html = client.post(reverse("followup:import", kwargs={"year": 2015}), _upload(exported)).content.decode()
    assert "Filen är korrekt: 2 rader" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download_has_the_import_header(client, region_user, fmt):
    client.force_login(region_user)
    response = client.get(reverse("followup:template", kwargs={"fmt": fmt}))
    assert response["Content-Disposition"] == f'attachment; filename="anslag-1-1-mall.{fmt}"'
    assert len(response.content) > 100


# --- Every page for every role -----------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_followup_page_answers_each_role_without_error(client, user_by_role, other_region_user, year_2015, role):
    user = user_by_role[role]
    client.force_login(user)
    kalmar = {"slug": "kalmar-lan", "year": 2015}
    urls = {
        "national": reverse("followup:national"),
        "trend": reverse("followup:trend"),
        "region": reverse("followup:region", kwargs={"slug": "kalmar-lan"}),
        "detail": reverse("followup:allocation_detail", kwargs=kalmar),
        "update": reverse("followup:allocation_update", kwargs=kalmar),
        "use": reverse("followup:expenditure_report", kwargs=kalmar),
        "cofinancing": reverse("followup:cofinancing_report", kwargs=kalmar),
        "results": reverse("followup:result_report", kwargs=kalmar),
        "import": reverse("followup:import", kwargs={"year": 2015}),
        "export": reverse("followup:export", kwargs={"year": 2015, "fmt": "xlsx"}),
    }
    regional = role == Role.REGION
    expected = {
        "national": 302 if regional else 200,
        "trend": 403 if regional else 200,
        "update": 403 if regional else 200,
    }
    for name, url in urls.items():
        assert client.get(url).status_code == expected.get(name, 200), name
    client.force_login(other_region_user)
    for name in ("region", "detail", "update", "use", "cofinancing", "results"):
        assert client.get(urls[name]).status_code == 404, name


def test_regional_user_cannot_mark_an_approved_exception(client, region_user, year_2015):
    client.force_login(region_user)
    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    data = _lines_post(projects="9000000", other="2000000") | {"lines-1-approved_exception": "on"}
    html = client.post(url, data).content.decode()
    assert "överstiger ramen" in html
    assert not Expenditure.objects.exists()


def test_ministry_marks_use_above_the_frame_as_an_approved_exception(client, ministry_user, year_2015):
    client.force_login(ministry_user)
    url = reverse("followup:expenditure_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    data = _lines_post(projects="9000000", other="2000000") | {"lines-1-approved_exception": "on"}
    html = client.post(url, data, follow=True).content.decode()
    assert "Användningen sparades." in html
    assert "Godkänt undantag" in html
    assert Expenditure.objects.get(approved_exception=True).amount == Decimal(2_000_000)


def test_result_report_saves_indicators_tied_to_a_priority(client, region_user, year_2015):
    priority = year_2015["kalmar"].region.strategies.get().priorities.get(number=2)
    client.force_login(region_user)
    url = reverse("followup:result_report", kwargs={"slug": "kalmar-lan", "year": 2015})
    assert "Kompetensförsörjning" in client.get(url).content.decode()  # the county's priorities to choose from
    data = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "version": "1",
        "lines-0-priority": str(priority.pk),
        "lines-0-name": "Personer i kompetensinsatser",
        "lines-0-unit": "personer",
        "lines-0-baseline": "100",
        "lines-0-target": "250",
        "lines-0-outcome": "210",
    }
    html = client.post(url, data, follow=True).content.decode()
    assert "Resultaten sparades." in html
    assert "Personer i kompetensinsatser" in html
    assert "2. Kompetensförsörjning" in html


def test_appropriation_create_by_the_ministry_opens_the_year_for_every_county(
    client, ministry_user, region_a, region_b
):
    client.force_login(ministry_user)
    response = client.post(
        reverse("followup:appropriation_create"), {"year": "2021", "total_amount": "1800000000"}, follow=True
    )
    html = response.content.decode()
    assert "Året 2021 skapades" in html
    assert "Kalmar län" in html and "Kronobergs län" in html
    assert Allocation.objects.filter(appropriation__year=2021).count() == 2


def test_appropriation_create_is_refused_to_a_regional_user(client, region_user):
    client.force_login(region_user)
    response = client.post(reverse("followup:appropriation_create"), {"year": "2021", "total_amount": "1"})
    assert response.status_code == 403
    assert not Allocation.objects.exists()
