"""The 1:1 use of every year in one file, and the streaming writer both exports share."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followup import selectors
from followup.models import Expenditure
from tests.factories.followup import AllocationFactory, AppropriationFactory, ExpenditureFactory

HEADER = ["år", "länskod", "län", "insats", "prioritet", "belopp", "godkänt undantag", "beskrivning"]


def _rows(response) -> list[list]:
    """The file's rows as text (CSV) or values (XLSX), the header first."""
    content = response.getvalue()
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def _as_text(rows: list[list]) -> list[list[str]]:
    return [[str(value) for value in row] for row in rows]


@pytest.fixture
def two_years(region_a, region_b):
    """2015 and 2016 with lines of use in Kalmar (08) and Kronoberg (07)."""
    lines = {}
    for year in (2015, 2016):
        appropriation = AppropriationFactory(year=year)
        for region, amount in ((region_a, 1_000), (region_b, 2_000)):
            allocation = AllocationFactory(appropriation=appropriation, region=region)
            lines[year, region.code] = ExpenditureFactory(
                allocation=allocation, amount=amount + year, description=f"{region.name} {year}"
            )
    return lines


def _url(fmt: str) -> str:
    return reverse("followup:export_all_years", kwargs={"fmt": fmt})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_all_years_export_gives_a_county_user_every_year_of_its_own_county_only(client, region_user, two_years, fmt):
    client.force_login(region_user)
    response = client.get(_url(fmt))
    assert response["Content-Disposition"] == f'attachment; filename="anslag-1-1-anvandning-alla-ar.{fmt}"'
    rows = _as_text(_rows(response))
    assert rows == [
        HEADER,
        ["2015", "08", "Kalmar län", "Projektverksamhet", "", "3015", "nej", "Kalmar län 2015"],
        ["2016", "08", "Kalmar län", "Projektverksamhet", "", "3016", "nej", "Kalmar län 2016"],
    ]
    assert "Kronoberg" not in str(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_all_years_export_gives_the_other_county_user_only_theirs(client, other_region_user, two_years, fmt):
    client.force_login(other_region_user)
    rows = _as_text(_rows(client.get(_url(fmt))))
    assert [row[:2] for row in rows[1:]] == [["2015", "07"], ["2016", "07"]]
    assert "Kalmar" not in str(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_all_years_export_gives_the_ministry_every_county_by_year_and_county(client, ministry_user, two_years, fmt):
    client.force_login(ministry_user)
    rows = _rows(client.get(_url(fmt)))
    assert rows[0] == HEADER
    assert [(str(row[0]), row[1], row[7]) for row in rows[1:]] == [
        ("2015", "07", "Kronobergs län 2015"),
        ("2015", "08", "Kalmar län 2015"),
        ("2016", "07", "Kronobergs län 2016"),
        ("2016", "08", "Kalmar län 2016"),
    ]


def test_all_years_xlsx_keeps_numbers_as_numbers_and_text_as_text(client, ministry_user, two_years):
    Expenditure.objects.filter(pk=two_years[2015, "08"].pk).update(description="=SUM(1+1)")
    Expenditure.objects.filter(pk=two_years[2015, "07"].pk).update(description="\x01=1+1")  # XLSX forbids \x01
    client.force_login(ministry_user)
    sheet = load_workbook(io.BytesIO(client.get(_url("xlsx")).getvalue())).worksheets[0]
    year, code, _, _, _, amount, _, description = sheet[3]  # Kalmar 2015 after the header and Kronoberg
    assert (year.value, year.data_type) == (2015, "n")
    assert (amount.value, amount.data_type) == (3015, "n")
    assert (code.value, code.data_type) == ("08", "s")
    assert (description.value, description.data_type) == ("'=SUM(1+1)", "s")
    assert (sheet["H2"].value, sheet["H2"].data_type) == ("'=1+1", "s")
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_all_years_export_goes_back_in_through_the_import_per_year(client, ministry_user, two_years):
    """The year column aside, the file is the import format: one year's rows import as they are."""
    client.force_login(ministry_user)
    rows = _rows(client.get(_url("csv")))
    year_2016 = [row[1:] for row in rows if row[0] == "2016"]
    content = "\r\n".join(";".join(row) for row in [rows[0][1:], *year_2016]).encode()
    upload = io.BytesIO(content)
    upload.name = "anvandning.csv"
    html = client.post(reverse("followup:import", kwargs={"year": 2016}), {"file": upload}).content.decode()
    assert "Filen är korrekt: 2 rader" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("n", (1, 2 * selectors.EXPORT_CHUNK + 1))
def test_exports_read_the_lines_in_one_query_whatever_their_number(
    client, region_user, two_years, fmt, n, django_assert_num_queries
):
    """The user and the lines: the lines come through one server-side cursor, read in chunks."""
    kalmar = two_years[2016, "08"].allocation
    Expenditure.objects.bulk_create(
        Expenditure(allocation=kalmar, instrument="projects", amount=1, description=f"Rad {i}") for i in range(n)
    )
    client.force_login(region_user)
    for url in (_url(fmt), reverse("followup:export", kwargs={"year": 2016, "fmt": fmt})):
        with django_assert_num_queries(2):
            rows = _rows(client.get(url))
        assert len(rows) == 1 + n + (2 if "alla-ar" in url else 1)  # the header, the new lines, the fixture's
        assert rows[-1][-1] == f"Rad {n - 1}"


def test_csv_export_is_sent_in_chunks_as_it_is_written(client, region_user, two_years):
    kalmar = two_years[2016, "08"].allocation
    Expenditure.objects.bulk_create(
        Expenditure(allocation=kalmar, instrument="projects", amount=1, description=f"Rad {i}") for i in range(1000)
    )
    client.force_login(region_user)
    response = client.get(_url("csv"))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    assert max(len(chunk) for chunk in chunks) < 64 * 1024
    text = b"".join(chunks).decode("utf-8-sig")
    assert text.count("\r\n") == 1 + 1000 + 2
