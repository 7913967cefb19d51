"""The feedback report as a document a ministry sends (issue 14), in Chromium with a real worker.

The ministry writes the round's letter template, sender and contact person and Kalmar's covering
letter with its registration number, and generates Kalmar's report; the agency reads the draft
(marked as such) and comments; the ministry sees the comment, cannot publish yet, marks it worked
in and generates the report again; the agency approves the new version; the ministry publishes;
Kalmar's director downloads a PDF whose cover carries the sender, the addressee, the date, the
registration number and the contact person, and no draft marking. axe-core checks every page.
Screenshots of the new pages go to docs/screenshots/ for the README.
"""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.models import DialogueRound
from regions.models import Region
from reports.choices import ReviewState
from reports.models import FeedbackReport
from reports.selectors import addressee_of

from .conftest import assert_accessible, docs_screenshot
from .test_report_journeys import media_in_tmp, row, switch_user  # noqa: F401 - media_in_tmp is a fixture
from .test_role_journeys import demo  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "media_in_tmp"),
]

GENERATION_TIMEOUT_MS = 60_000


def generate_kalmar(page, reports_url: str) -> None:
    page.goto(reports_url)
    page.select_option("#id_region", label="Kalmar län")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa rapporter").click()
    expect(row(page, "Kalmar län")).to_contain_text("Klar", timeout=GENERATION_TIMEOUT_MS)


def test_report_document_written_reviewed_resolved_published_and_downloaded(page, celery_live_worker):
    round_2015 = DialogueRound.objects.get(year=2015)
    kalmar = Region.objects.get(name="Kalmar län")
    reports_url = reverse("reports:report_list", args=[round_2015.pk])

    # --- The ministry writes the round's template, sender and contact, then Kalmar's letter.
    switch_user(page, "departementet@demo.test")
    page.goto(reports_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Följebrev, avsändare och kontaktperson").click()
    page.get_by_label("Enhet").fill("Enheten för regional tillväxt")
    page.get_by_label("Kontaktperson", exact=True).fill("Karin Handläggare")
    page.get_by_label("Kontaktpersonens e-postadress").fill("karin.handlaggare@regeringskansliet.test")
    page.get_by_label("Kontaktpersonens telefon").fill("08-405 10 00")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara mallen").click()
    expect(page.locator(".alert-success")).to_contain_text("Brevmallen är sparad.")
    assert_accessible(page, "covering letters of the round")
    docs_screenshot(page, "report-letters")

    with page.expect_navigation():
        page.get_by_role("link", name="Kalmar län").click()
    assert "Kalmar län" in page.get_by_label("Inledning").input_value()  # the template, filled in
    page.get_by_label("Diarienummer").fill("N2015/04711/RTS")
    page.get_by_label("Inledning").fill(
        "Tack för dialogen i Kalmar i oktober.\n\nVi vill särskilt lyfta arbetet med kompetensförsörjning."
    )
    assert_accessible(page, "Kalmar's covering letter")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara brevet").click()
    expect(page.locator(".alert-success")).to_contain_text("Följebrevet är sparat.")

    generate_kalmar(page, reports_url)
    first = FeedbackReport.objects.get(round=round_2015, region=kalmar, is_current=True)

    # --- The agency reads the draft and comments.
    switch_user(page, "tillvaxtverket@demo.test")
    page.goto(first.get_absolute_url())
    expect(page.locator(".report-draft")).to_contain_text("UTKAST")
    expect(page.locator("#report-letter")).to_contain_text("Vi vill särskilt lyfta arbetet med kompetensförsörjning.")
    expect(page.locator(".document-particulars")).to_contain_text("N2015/04711/RTS")
    page.locator("#id_text").fill("Nämn även den nya infrastrukturplanen i följebrevet.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till kommentaren").click()
    assert_accessible(page, "draft report with the agency's comment")
    docs_screenshot(page, "report-draft")

    # --- The ministry sees the comment, cannot publish yet, works it in and generates again.
    switch_user(page, "departementet@demo.test")
    page.goto(first.get_absolute_url())
    expect(page.locator("#comments-heading + ul")).to_contain_text("Nämn även den nya infrastrukturplanen")
    page.goto(reverse("reports:letter_edit", args=[round_2015.pk, kalmar.slug]))
    page.get_by_label("Inledning").fill(
        "Tack för dialogen i Kalmar i oktober.\n\nVi vill särskilt lyfta arbetet med kompetensförsörjning "
        "och den nya infrastrukturplanen."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Spara brevet").click()
    page.goto(first.get_absolute_url())
    page.get_by_label("Inarbetad: texten ändras och rapporten skapas på nytt").check()
    assert_accessible(page, "ministry resolving the comment")
    docs_screenshot(page, "report-comment-resolve")
    with page.expect_navigation():
        page.get_by_role("button", name="Hantera").click()
    expect(page.locator(".alert-success")).to_contain_text("Kommentaren är markerad som inarbetad.")
    page.goto(reports_url)
    with page.expect_navigation():
        row(page, "Kalmar län").get_by_role("button", name="Skapa igen Kalmar län").click()
    expect(row(page, "Kalmar län")).to_contain_text("Klar", timeout=GENERATION_TIMEOUT_MS)
    second = FeedbackReport.objects.get(round=round_2015, region=kalmar, is_current=True)
    assert second.version == first.version + 1

    # --- The agency approves the new version; the ministry publishes it.
    switch_user(page, "tillvaxtverket@demo.test")
    page.goto(second.get_absolute_url())
    expect(page.locator("#report-letter")).to_contain_text("den nya infrastrukturplanen")
    with page.expect_navigation():
        page.get_by_role("button", name="Godkänn").click()
    switch_user(page, "departementet@demo.test")
    page.goto(second.get_absolute_url())
    expect(page.get_by_role("button", name="Publicera")).to_be_enabled()
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera").click()
    expect(page.locator(".alert-success")).to_contain_text("publicerad")
    second.refresh_from_db()
    assert second.review_state == ReviewState.PUBLISHED
    assert page.locator(".report-draft").count() == 0

    # --- Kalmar's director reads the letter and downloads the final PDF.
    switch_user(page, "kalmar@demo.test")
    page.goto(second.get_absolute_url())
    expect(page.locator("#report-letter")).to_contain_text("den nya infrastrukturplanen")
    assert "Nämn även" not in page.locator("#main").inner_text()  # the review stays internal
    assert_accessible(page, "published report, as the county reads it")
    docs_screenshot(page, "report-published")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner pdf-filen").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = text.decode().split("\f")
    cover = pages[0]
    day = timezone.localdate(second.published_at)
    for particular in (
        "Näringsdepartementet",
        "Enheten för regional tillväxt",
        addressee_of(kalmar, 2015),
        f"{day.day} december {day.year}" if day.month == 12 else str(day.year),
        "N2015/04711/RTS",
        "Karin Handläggare",
        "karin.handlaggare@regeringskansliet.test",
        "08-405 10 00",
    ):
        assert particular in cover, particular
    assert "UTKAST" not in text.decode()
