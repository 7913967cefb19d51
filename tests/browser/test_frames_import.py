"""A new year's frames for all 21 counties from one file, in Chromium (issue 15).

The ministry opens the year on the national page, follows the link to set every county's frame from
a file, downloads the template (the 21 counties with their current 0 kr frames), fills in 21 frames
and a conditions decision (openpyxl, as a person would in Excel), uploads it, reads the preview
(old → new frame per county), saves, and sees the new frames on the national page. axe-core checks
each page on the way, and the preview again in English; the preview is kept as a screenshot.
A county then imports its co-financing and results the same way, and a row of another county is refused.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from followup.models import Allocation
from tests.factories.followup import COUNTIES, year_with_counties

from .conftest import assert_accessible, docs_screenshot, log_in
from .test_role_journeys import switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ministry_sets_21_frames_from_the_template(page, ministry_user, password, tmp_path):
    year_with_counties(2026)
    log_in(page, ministry_user.email, password)

    page.goto(reverse("followup:national") + "?year=2026")
    with page.expect_navigation():
        page.get_by_role("link", name="Sätt alla läns ramar från en fil").click()
    expect(page.locator("h1")).to_contain_text("Ramar och villkor för 2026 från en fil")
    assert_accessible(page, "frames import page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="ramar som XLSX").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    sheet = workbook.active
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == list(COUNTIES)
    assert {row[2].value for row in rows} == {0}
    for number, row in enumerate(rows, start=1):
        row[2].value = 10_000_000 + number * 1_000_000
        row[3].value = datetime.date(2026, 1, 20)
        row[4].value = "Medlen ska användas i enlighet med den regionala utvecklingsstrategin."
    filled = tmp_path / "ramar-2026.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled.write_bytes(buffer.getvalue())

    page.set_input_files("input[name=file]", str(filled))
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    preview = page.locator("#preview-heading")
    expect(preview).to_contain_text("Filen är korrekt: 21 län")
    kalmar = page.locator("tr", has=page.get_by_role("rowheader", name="Kalmar län", exact=True))
    expect(kalmar).to_contain_text("0 kr")
    expect(kalmar).to_contain_text("17 000 000 kr")  # Kalmar (08) is the 7th county
    assert_accessible(page, "frames import preview")
    docs_screenshot(page, "frames-import", full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Spara de importerade siffrorna").click()
    expect(page.locator("#main")).to_contain_text("Ramarna och villkoren för 21 län för 2026 sparades.")
    table = page.locator("#main table").first
    expect(table).to_contain_text("17 000 000 kr")
    expect(table).to_contain_text("31 000 000 kr")  # Norrbotten, the 21st
    assert_accessible(page, "national page after the import")
    assert Allocation.objects.filter(appropriation__year=2026, conditions_decided_on="2026-01-20").count() == 21

    page.goto(reverse("followup:frames_import", kwargs={"year": 2026}))
    switch_language(page, "en")
    expect(page.locator("h1")).to_contain_text("Frames and conditions for 2026 from a file")
    assert_accessible(page, "frames import page in English")
    page.set_input_files("input[name=file]", str(filled))  # the same file again: nothing would change
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#preview-heading")).to_contain_text("The file is correct: 21 counties")
    expect(page.locator("#main")).to_contain_text("No text changes")
    assert_accessible(page, "frames import preview in English")


def test_county_imports_co_financing_and_results_and_a_row_of_another_county_is_refused(
    page, region_user, password, region_b, tmp_path
):
    """Kalmar's co-financing and results from files, in the browser; Kronoberg's row is refused by line."""
    appropriation = year_with_counties(2026, count=8)  # Kalmar is the 7th, Kronoberg the 6th
    appropriation.allocations.update(frame_amount=10_000_000)
    log_in(page, region_user.email, password)
    page.goto(reverse("followup:allocation_detail", kwargs={"slug": "kalmar-lan", "year": 2026}))

    with page.expect_navigation():
        page.get_by_role("link", name="Importera medfinansiering från en fil").click()
    cofinancing = tmp_path / "medfinansiering.csv"
    cofinancing.write_bytes("länskod;län;källa;belopp\r\n08;Kalmar län;Regionen;400 000\r\n".encode("cp1252"))
    page.set_input_files("input[name=file]", str(cofinancing))
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.locator("#preview-heading")).to_contain_text("Filen är korrekt: 1 rad med medfinansiering")
    assert_accessible(page, "co-financing import preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara de importerade siffrorna").click()
    expect(page.locator("#main")).to_contain_text("Medfinansieringen för 1 län för 2026 sparades")

    page.goto(reverse("followup:results_import", kwargs={"year": 2026}))
    results = tmp_path / "resultat.csv"
    results.write_bytes(
        "länskod;län;prioritet;indikator;enhet;utgångsvärde;mål;utfall\r\n"
        "08;Kalmar län;;Nya företag;st;10;20;15,5\r\n"
        "07;Kronobergs län;;Främmande;st;1;2;3\r\n".encode("utf-8-sig")
    )
    page.set_input_files("input[name=file]", str(results))
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Rad 3")
    expect(errors).to_contain_text("du får bara importera ditt eget läns siffror")
    assert_accessible(page, "results import with a refused row")
    assert page.get_by_role("button", name="Spara de importerade siffrorna").count() == 0
