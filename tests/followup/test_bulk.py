"""Bulk entry (issue 15): every county's frames and conditions from one file (ministry), co-financing and
result indicators imported like use (own county only for a county), and a use preview that shows what
it replaces."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from followup import bulk, services
from followup.models import Allocation, CoFinancing, ResultIndicator
from tests.factories.followup import (
    COUNTIES,
    CoFinancingFactory,
    ExpenditureFactory,
    ResultIndicatorFactory,
    year_with_counties,
)
from tests.followup.conftest import xlsx

FRAMES_HEADER = ["länskod", "län", "ram", "beslutsdatum", "villkor", "återrapporteringskrav"]
COFINANCING_HEADER = ["länskod", "län", "källa", "belopp"]
RESULTS_HEADER = ["länskod", "län", "prioritet", "indikator", "enhet", "utgångsvärde", "mål", "utfall"]


def text(response) -> str:
    """The page's HTML with every run of white space (non-breaking ones too) as one space."""
    return re.sub(r"\s+", " ", response.content.decode())


def upload(content: bytes, name: str = "fil.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return file


def frames_url(name: str = "frames_import", year: int = 2026) -> str:
    return reverse(f"followup:{name}", kwargs={"year": year})


def check_and_confirm(client, name: str, content: bytes, *, year: int, filename: str = "fil.xlsx"):
    """Upload a file to the import page `name`, then confirm it: (preview page, confirmation page)."""
    preview = client.post(reverse(f"followup:{name}", kwargs={"year": year}), {"file": upload(content, filename)})
    done = client.post(reverse(f"followup:{name}_confirm", kwargs={"year": year}), follow=True)
    return text(preview), text(done)


# --- Frames and conditions --------------------------------------------------------------------------


@pytest.fixture
def year_2026(db):
    return year_with_counties(2026)


def test_frames_template_holds_the_21_counties_with_the_years_values(client, ministry_user, year_2026):
    Allocation.objects.filter(region__code="08").update(frame_amount=7_000_000, conditions="Gamla villkor")
    client.force_login(ministry_user)
    response = client.get(reverse("followup:frames_template", kwargs={"year": 2026, "fmt": "xlsx"}))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == FRAMES_HEADER
    assert [(row[0], row[1]) for row in rows[1:]] == list(COUNTIES.items())
    kalmar = next(row for row in rows if row[0] == "08")
    assert kalmar[2] == 7_000_000 and kalmar[4] == "Gamla villkor"


def test_ministry_sets_21_frames_from_the_template_and_the_audit_trail_records_them(client, ministry_user, year_2026):
    client.force_login(ministry_user)
    template = client.get(reverse("followup:frames_template", kwargs={"year": 2026, "fmt": "xlsx"})).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        row[2].value = number * 1_000_000
        row[3].value = datetime.date(2026, 1, 15)
        row[4].value = f"Villkor {number}"
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview, done = check_and_confirm(client, "frames_import", buffer.getvalue(), year=2026)

    assert "Filen är korrekt: 21 län" in preview
    assert "Ram nu" in preview and "Villkor 3" in preview
    assert "Ramarna och villkoren för 21 län för 2026 sparades." in done
    frames = dict(Allocation.objects.values_list("region__code", "frame_amount"))
    assert frames["01"] == 1_000_000 and frames["25"] == 21_000_000
    assert Allocation.objects.get(region__code="03").conditions == "Villkor 2"
    assert Allocation.objects.filter(conditions_decided_on=datetime.date(2026, 1, 15)).count() == 21
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Allocation), action=LogEntry.Action.UPDATE
    )
    assert entries.count() == 21
    assert all(entry.actor == ministry_user for entry in entries)


def test_frames_csv_as_swedish_excel_writes_it(client, ministry_user, year_2026):
    """Semicolons, cp1252, "1 234 567" with a non-breaking space, decimal comma; columns left out stay."""
    Allocation.objects.filter(region__code="08").update(reporting_requirements="Behålls")
    content = (
        "länskod;län;ram;villkor\r\n"
        "8;Kalmar län;1\u00a0234\u00a0567;Nya villkor för år två\r\n"
        "01;Stockholm;2 000 000,00;\r\n"
    ).encode("cp1252")
    client.force_login(ministry_user)
    preview, _done = check_and_confirm(client, "frames_import", content, year=2026, filename="r.csv")
    assert "Filen är korrekt: 2 län" in preview
    kalmar = Allocation.objects.get(region__code="08")
    assert kalmar.frame_amount == Decimal(1_234_567)
    assert kalmar.conditions == "Nya villkor för år två"
    assert kalmar.reporting_requirements == "Behålls"  # its column was not in the file
    assert Allocation.objects.get(region__code="01").frame_amount == 2_000_000
    assert Allocation.objects.get(region__code="03").frame_amount == 0  # not in the file


def test_frames_preview_shows_old_and_new_frame_and_the_changed_texts(client, ministry_user, year_2026):
    Allocation.objects.filter(region__code="08").update(frame_amount=5_000_000, conditions="Gamla villkor")
    client.force_login(ministry_user)
    content = xlsx([["08", "", 6_000_000, "", "Nya villkor", ""]], header=FRAMES_HEADER)
    html = text(client.post(frames_url(), {"file": upload(content)}))
    assert "5 000 000 kr" in html and "6 000 000 kr" in html
    assert "<del>Gamla villkor</del>" in html and "<ins>Nya villkor</ins>" in html
    assert "<caption>" in html and 'scope="row">Kalmar län</th>' in html


def test_frames_file_with_bad_rows_saves_nothing_and_names_every_line(client, ministry_user, year_2026):
    ExpenditureFactory(allocation=Allocation.objects.get(region__code="07"), amount=3_000_000)
    Allocation.objects.filter(region__code="07").update(frame_amount=3_000_000)
    rows = [
        ["08", "", 1_000_000, "", "", ""],  # correct
        ["99", "", 1_000_000, "", "", ""],  # no such county
        ["08", "", 2_000_000, "", "", ""],  # twice
        ["01", "", "tio miljoner", "", "", ""],
        ["03", "", 100, "15/1", "", ""],
        ["07", "", 1_000_000, "", "", ""],  # below Kronoberg's reported use
    ]
    client.force_login(ministry_user)
    html = text(client.post(frames_url(), {"file": upload(xlsx(rows, header=FRAMES_HEADER))}))
    assert "Filen sparades inte: 5 problem hittades." in html
    for line in (3, 4, 5, 6, 7):
        assert f"Rad {line}" in html
    assert "Okänd länskod ”99”" in html
    assert "finns redan på rad 2" in html
    assert "skulle bli lägre än den användning som redan rapporterats" in html
    assert not Allocation.objects.filter(frame_amount=1_000_000).exists()
    response = client.post(frames_url("frames_import_confirm"), follow=True)
    assert "Det finns ingen kontrollerad fil att spara" in text(response)


def test_frames_confirm_is_refused_when_a_county_changed_after_the_preview(client, ministry_user, year_2026):
    client.force_login(ministry_user)
    content = xlsx([["08", "", 4_000_000, "", "", ""], ["07", "", 3_000_000, "", "", ""]], header=FRAMES_HEADER)
    client.post(frames_url(), {"file": upload(content)})
    kronoberg = Allocation.objects.get(region__code="07")
    services.allocation_update(
        allocation=kronoberg,
        expected_version=kronoberg.version,
        frame_amount=Decimal(9_000_000),
        conditions_decided_on=None,
        conditions="Ändrat i formuläret",
        reporting_requirements="",
    )

    html = text(client.post(frames_url("frames_import_confirm"), follow=True))

    assert "Filen sparades inte." in html and "Någon ändrade ramen eller villkoren för Kronobergs län" in html
    assert Allocation.objects.get(region__code="08").frame_amount == 0  # nothing of the file was saved
    assert Allocation.objects.get(region__code="07").frame_amount == 9_000_000


def test_frames_confirm_twice_saves_once(client, ministry_user, year_2026):
    client.force_login(ministry_user)
    client.post(frames_url(), {"file": upload(xlsx([["08", "", 4_000_000]], header=FRAMES_HEADER[:3]))})
    first = text(client.post(frames_url("frames_import_confirm"), follow=True))
    second = text(client.post(frames_url("frames_import_confirm"), follow=True))
    assert "sparades." in first
    assert "Det finns ingen kontrollerad fil att spara" in second
    assert Allocation.objects.get(region__code="08").version == 2


@pytest.mark.parametrize("role_user", ["agency_user", "region_user"])
def test_only_the_ministry_sets_frames_from_a_file(client, request, year_2026, role_user):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(frames_url()).status_code == 403
    assert client.get(reverse("followup:frames_template", kwargs={"year": 2026, "fmt": "csv"})).status_code == 403
    content = xlsx([["08", "", 4_000_000]], header=FRAMES_HEADER[:3])
    assert client.post(frames_url(), {"file": upload(content)}).status_code == 403
    assert client.post(frames_url("frames_import_confirm")).status_code == 403


@pytest.mark.parametrize("count", [1, 21])
def test_frames_preview_query_count_does_not_grow_with_counties(
    client, ministry_user, count, django_assert_num_queries
):
    year_with_counties(2026, count=count)
    rows = [[code, "", 1_000_000, "2026-01-15", "Villkor", "Krav"] for code in list(COUNTIES)[:count]]
    content = xlsx(rows, header=FRAMES_HEADER)
    client.force_login(ministry_user)
    with django_assert_num_queries(12):
        html = text(client.post(frames_url(), {"file": upload(content)}))
    assert "Filen är korrekt" in html


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("frames_import", "Frames and conditions for 2026 from a file"),
        ("cofinancing_import", "Import co-financing for 2026"),
        ("results_import", "Import results for 2026"),
    ],
)
def test_import_pages_in_english(client, ministry_user, year_2026, name, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(ministry_user)
    html = text(client.get(reverse(f"followup:{name}", kwargs={"year": 2026})))
    assert heading in html and "Columns of the file" in html


# --- The use preview --------------------------------------------------------------------------------


def test_use_preview_shows_per_county_and_instrument_what_is_replaced(client, region_user, year_2015):
    kalmar = year_2015["kalmar"]
    ExpenditureFactory(allocation=kalmar, instrument="projects", amount=2_500_000)
    ExpenditureFactory(allocation=kalmar, instrument="other", amount=700_000)
    rows = [
        ["08", "Kalmar län", "Projektverksamhet", 1, 4_000_000, "nej", "Innovationsprojekt"],
        ["08", "Kalmar län", "Regionala företagsstöd", "", 1_000_000, "nej", "Stöd"],
    ]
    client.force_login(region_user)
    html = text(client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload(xlsx(rows))}))
    assert "Användning nu" in html
    # Project activities 2 500 000 → 4 000 000; business support 0 → 1 000 000; other 700 000 → 0.
    for old, new in (("2 500 000 kr", "4 000 000 kr"), ("0 kr", "1 000 000 kr"), ("700 000 kr", "0 kr")):
        assert f'<td class="text-end">{old}</td> <td class="text-end">{new}</td>' in html
    assert "3 200 000 kr" in html and "5 000 000 kr" in html  # the county's totals, old and new
    assert "Innovationsprojekt" in html and "Stöd" in html  # the lines that will be saved


@pytest.mark.parametrize("count", [2, 21])
def test_use_preview_query_count_does_not_grow_with_rows_or_counties(
    client, ministry_user, count, django_assert_num_queries
):
    year_with_counties(2027, count=count, frame_amount=10_000_000)
    rows = [[code, "", "Projektverksamhet", "", 1000, "nej", ""] for code in list(COUNTIES)[:count] for _ in range(3)]
    client.force_login(ministry_user)
    with django_assert_num_queries(14):
        html = client.post(reverse("followup:import", kwargs={"year": 2027}), {"file": upload(xlsx(rows))})
    assert "Filen är korrekt" in text(html)


# --- Co-financing and result indicators -------------------------------------------------------------


def test_county_imports_its_co_financing(client, region_user, year_2015):
    CoFinancingFactory(allocation=year_2015["kalmar"], source="private", amount=99)
    content = xlsx(
        [["08", "Kalmar län", "Regionen", "400 000"], ["08", "Kalmar län", "EU:s strukturfonder", 1_000_000]],
        header=COFINANCING_HEADER,
    )
    client.force_login(region_user)
    preview, done = check_and_confirm(client, "cofinancing_import", content, year=2015)
    assert "Filen är korrekt: 2 rader med medfinansiering" in preview
    assert "Medfinansieringen för 1 län för 2015 sparades (2 rader)." in done
    assert dict(CoFinancing.objects.values_list("source", "amount")) == {
        "region": 400_000,
        "eu_structural_funds": 1_000_000,
    }


def test_countys_co_financing_file_with_another_countys_code_is_refused_by_row(client, region_user, year_2015):
    kronoberg = CoFinancingFactory(allocation=year_2015["kronoberg"], source="region", amount=300_000)
    content = xlsx(
        [["08", "", "Regionen", 400_000], ["07", "Kronobergs län", "Regionen", 1]],
        header=COFINANCING_HEADER,
    )
    client.force_login(region_user)
    preview, done = check_and_confirm(client, "cofinancing_import", content, year=2015)
    assert "Rad 3" in preview and "du får bara importera ditt eget läns siffror" in preview
    assert "Det finns ingen kontrollerad fil att spara" in done
    kronoberg.refresh_from_db()
    assert kronoberg.amount == 300_000
    assert not CoFinancing.objects.filter(allocation=year_2015["kalmar"]).exists()


def test_co_financing_file_checks_sources_amounts_and_duplicates(client, ministry_user, year_2015):
    content = xlsx(
        [
            ["08", "", "Lotteri", 1],
            ["08", "", "Regionen", -5],
            ["08", "", "Regionen", 5],
            ["08", "", "region", 6],
        ],
        header=COFINANCING_HEADER,
    )
    client.force_login(ministry_user)
    html = client.post(reverse("followup:cofinancing_import", kwargs={"year": 2015}), {"file": upload(content)})
    html = text(html)
    assert "Okänd källa ”Lotteri”" in html
    assert "Beloppet får inte vara negativt" in html
    assert "har redan den här källan på rad 3" in html
    assert not CoFinancing.objects.exists()


def test_ministry_imports_results_for_any_county(client, ministry_user, year_2015):
    ResultIndicatorFactory(allocation=year_2015["kalmar"], name="Gammal")
    content = xlsx(
        [
            ["08", "Kalmar län", 1, "Nya företag", "st", 10, 20, "15,5"],
            ["07", "Kronobergs län", "", "Deltagare", "personer", "", "1 200", ""],
        ],
        header=RESULTS_HEADER,
    )
    client.force_login(ministry_user)
    preview, done = check_and_confirm(client, "results_import", content, year=2015)
    assert "Filen är korrekt: 2 resultatindikatorer" in preview
    assert "Resultaten för 2 län för 2015 sparades (2 indikatorer)." in done
    kalmar = ResultIndicator.objects.get(allocation=year_2015["kalmar"])
    assert (kalmar.name, kalmar.priority.number, kalmar.outcome) == ("Nya företag", 1, Decimal("15.5"))
    assert ResultIndicator.objects.get(allocation=year_2015["kronoberg"]).target == 1200


def test_countys_results_file_with_another_countys_code_is_refused_by_row(client, region_user, year_2015):
    ResultIndicatorFactory(allocation=year_2015["kronoberg"], name="Kronobergs indikator")
    content = xlsx(
        [["08", "", "", "Egen", "st", 1, 2, 3], ["07", "", "", "Främmande", "st", 1, 2, 3], ["08", "", 9, "", "", "x"]],
        header=RESULTS_HEADER,
    )
    client.force_login(region_user)
    preview, _done = check_and_confirm(client, "results_import", content, year=2015)
    assert "Rad 3" in preview and "du får bara importera ditt eget läns siffror" in preview
    assert "Okänd prioritering 9" in preview and "Indikatorns namn saknas." in preview
    assert list(ResultIndicator.objects.values_list("name", flat=True)) == ["Kronobergs indikator"]


def test_co_financing_and_results_templates_download(client, region_user):
    client.force_login(region_user)
    for name, header in (("cofinancing_template", COFINANCING_HEADER), ("results_template", RESULTS_HEADER)):
        response = client.get(reverse(f"followup:{name}", kwargs={"fmt": "csv"}))
        assert response.status_code == 200
        assert response.content.decode("utf-8-sig").splitlines()[0] == ";".join(header)


def test_co_financing_csv_utf8_with_bom(client, region_user, year_2015):
    content = "länskod;län;källa;belopp\r\n08;Kalmar län;Kommuner;1 234 567,00\r\n".encode("utf-8-sig")
    client.force_login(region_user)
    check_and_confirm(client, "cofinancing_import", content, year=2015, filename="m.csv")
    assert CoFinancing.objects.get().amount == 1_234_567


def test_import_confirm_keeps_the_other_kinds_stash(client, region_user, year_2015):
    """A checked use file and a checked co-financing file wait side by side; each is confirmed on its own."""
    client.force_login(region_user)
    use = xlsx([["08", "", "Projektverksamhet", "", 1000, "nej", ""]])
    cofinancing = xlsx([["08", "", "Regionen", 500]], header=COFINANCING_HEADER)
    client.post(reverse("followup:import", kwargs={"year": 2015}), {"file": upload(use)})
    client.post(reverse("followup:cofinancing_import", kwargs={"year": 2015}), {"file": upload(cofinancing)})
    client.post(reverse("followup:import_confirm", kwargs={"year": 2015}))
    client.post(reverse("followup:cofinancing_import_confirm", kwargs={"year": 2015}))
    assert year_2015["kalmar"].expenditures.get().amount == 1000
    assert CoFinancing.objects.get().amount == 500


def test_other_county_is_untouched_by_a_region_users_results_import(client, other_region_user, year_2015):
    ResultIndicatorFactory(allocation=year_2015["kalmar"], name="Kalmars")
    client.force_login(other_region_user)
    content = xlsx([["08", "", "", "Intrång", "", "", "", ""]], header=RESULTS_HEADER)
    preview, _done = check_and_confirm(client, "results_import", content, year=2015)
    assert "du får bara importera ditt eget läns siffror" in preview
    assert list(ResultIndicator.objects.values_list("name", flat=True)) == ["Kalmars"]


# --- Cells ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1 234,5", Decimal("1234.50")), ("1\u00a0234", Decimal(1234)), (12.25, Decimal("12.25")), ("", None)],
)
def test_parse_decimal_reads_figures_as_swedish_excel_writes_them(cell, expected):
    assert bulk.parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["12,345", "tolv", "1" * 20, True])
def test_parse_decimal_refuses_what_is_not_a_figure_of_two_decimals(cell):
    with pytest.raises(ValueError):
        bulk.parse_decimal(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-01-15", datetime.date(2026, 1, 15)),
        (datetime.datetime(2026, 1, 15, 0, 0), datetime.date(2026, 1, 15)),
        ("2026-01-15 00:00:00", datetime.date(2026, 1, 15)),
        ("", None),
    ],
)
def test_parse_date_reads_iso_dates_and_spreadsheet_dates(cell, expected):
    assert bulk.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["15/1/2026", "igår", "1066-10-14"])
def test_parse_date_refuses_other_writings(cell):
    with pytest.raises(ValueError):
        bulk.parse_date(cell)


def test_parse_source_takes_the_swedish_name_the_code_and_the_label():
    assert {bulk.parse_source(v) for v in ("Regionen", "region", "REGIONEN")} == {"region"}


@pytest.mark.parametrize("count", [1, 21])
def test_co_financing_and_results_previews_query_count_does_not_grow_with_rows_or_counties(
    client, ministry_user, count, django_assert_num_queries
):
    year_with_counties(2028, count=count, frame_amount=10_000_000)
    codes = list(COUNTIES)[:count]
    cofinancing = xlsx(
        [[code, "", source, 1000] for code in codes for source in bulk.SOURCE_NAMES.values()], COFINANCING_HEADER
    )
    results = xlsx(
        [[code, "", "", f"Indikator {n}", "st", 1, 2, 3] for code in codes for n in range(3)], RESULTS_HEADER
    )
    client.force_login(ministry_user)
    for name, content in (("cofinancing_import", cofinancing), ("results_import", results)):
        with django_assert_num_queries(13):
            html = text(client.post(reverse(f"followup:{name}", kwargs={"year": 2028}), {"file": upload(content)}))
        assert "Filen är korrekt" in html
