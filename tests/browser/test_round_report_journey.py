"""The round's feedback reports from the covering letter to the county's PDF, in Chromium with a real
Celery worker and axe-core on the way (issue 14, the chained journey).

The ministry writes the round's letter template and Kalmar's covering letter; tries to close the
round while Kronoberg has not submitted, reads the checklist and extends Kronoberg's deadline; closes
the round once Kronoberg has submitted, which asks the worker for the reports. The agency finds
Kalmar's report on its start page and comments; the ministry finds the comment on its start page,
edits the letter, works the comment in and generates the report again; the agency approves the new
version; the ministry publishes it from its start page; Kalmar's director finds the published
report on the start page and downloads a PDF whose cover has the sender, the addressee, the date,
the registration number and the contact person, and no UTKAST.
"""

import datetime
import io
from pathlib import Path

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.choices import RoundStatus
from dialogues.models import Submission
from reports.choices import ReviewState
from reports.models import FeedbackReport
from reports.selectors import addressee_of

from .conftest import assert_accessible, log_in
from .test_report_journeys import media_in_tmp, row  # noqa: F401 - media_in_tmp is a fixture
from .test_round_close import _send_in, round_with_one_missing  # noqa: F401 - round_with_one_missing is a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_in_tmp"),
]

GENERATION_TIMEOUT_MS = 90_000
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]  # fmt: skip


def as_user(page, user, password) -> None:
    page.context.clear_cookies()
    log_in(page, user.email, password)


def open_from_start_page(page, url: str, label: str) -> None:
    """Go to the start page and follow its link to `url` (a queue's row)."""
    page.goto("/")
    assert_accessible(page, label)
    link = page.locator(f"#main a[href^='{url}']").first
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()


def test_round_closed_reported_reviewed_published_and_found_by_the_county(
    page,
    celery_live_worker,
    ministry_user,
    agency_user,
    region_user,
    other_region_user,
    password,
    region_a,
    region_b,
    round_with_one_missing,  # noqa: F811 - the fixture imported above
):
    dialogue_round = round_with_one_missing
    reports_url = reverse("reports:report_list", args=[dialogue_round.pk])

    # --- The ministry writes the round's letter template and Kalmar's covering letter.
    as_user(page, ministry_user, password)
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
    with page.expect_navigation():
        page.get_by_role("link", name="Kalmar län").click()
    page.get_by_label("Diarienummer").fill("N2032/00815/RTS")
    page.get_by_label("Inledning").fill("Tack för dialogen i Kalmar.\n\nVi lyfter arbetet med kompetensförsörjning.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara brevet").click()
    expect(page.locator(".alert-success")).to_contain_text("Följebrevet är sparat.")
    assert_accessible(page, "Kalmar's covering letter saved")

    # --- It tries to close the round: the checklist names Kronoberg, whose deadline it extends.
    page.goto(dialogue_round.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng omgången").click()
    main = page.locator("#main")
    assert "Kronobergs län: inte inlämnad" in main.inner_text()
    assert_accessible(page, "round close checklist")
    with page.expect_navigation():
        page.get_by_role("link", name="Förläng tidsfristen för Kronobergs län").click()
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.fill("#id_reason", "Regionfullmäktige beslutar om underlaget först nästa vecka.")
    with page.expect_navigation():
        page.get_by_role("button", name="Förläng tidsfristen").click()
    expect(page.locator(".alert-success")).to_contain_text("Länets tidsfrist har förlängts")
    page.get_by_label("Jag har läst checklistan och vill stänga omgången").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng omgången").click()
    assert "Tidsfristen löper fortfarande för Kronobergs län." in main.inner_text()

    # --- Kronoberg submits; the round closes, and the worker makes the reports.
    _send_in(
        Submission.objects.get(dialogue__region=region_b, dialogue__round=dialogue_round),
        other_region_user,
        "Kronobergs resursanvändning",
    )
    page.goto(reverse("dialogues:round_close", args=[dialogue_round.pk]))
    page.get_by_label("Jag har läst checklistan och vill stänga omgången").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng omgången").click()
    expect(page.locator(".alert-success")).to_contain_text("Omgången är stängd.")
    dialogue_round.refresh_from_db()
    assert dialogue_round.status == RoundStatus.CLOSED
    page.goto(reports_url)
    expect(row(page, "Kalmar län")).to_contain_text("Klar", timeout=GENERATION_TIMEOUT_MS)
    first = FeedbackReport.objects.get(round=dialogue_round, region=region_a, is_current=True)

    # --- The agency finds Kalmar's report on its start page and comments.
    as_user(page, agency_user, password)
    open_from_start_page(page, first.get_absolute_url(), "agency start page with reports to review")
    expect(page.locator(".report-draft")).to_contain_text("UTKAST")
    page.locator("#id_text").fill("Nämn även den nya infrastrukturplanen i följebrevet.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till kommentaren").click()
    expect(page.locator(".alert-success")).to_contain_text("Din kommentar har sparats.")

    # --- The ministry sees the comment on its start page, edits the letter and generates again.
    as_user(page, ministry_user, password)
    page.goto("/")
    expect(page.locator("#main")).to_contain_text("Nämn även den nya infrastrukturplanen")
    open_from_start_page(page, first.get_absolute_url(), "ministry start page with an open comment")
    page.goto(reverse("reports:letter_edit", args=[dialogue_round.pk, region_a.slug]))
    page.get_by_label("Inledning").fill(
        "Tack för dialogen i Kalmar.\n\nVi lyfter arbetet med kompetensförsörjning och den nya infrastrukturplanen."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Spara brevet").click()
    page.goto(first.get_absolute_url())
    page.get_by_label("Inarbetad: texten ändras och rapporten skapas på nytt").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Hantera").click()
    expect(page.locator(".alert-success")).to_contain_text("Kommentaren är markerad som inarbetad.")
    page.goto(reports_url)
    with page.expect_navigation():
        row(page, "Kalmar län").get_by_role("button", name="Skapa igen Kalmar län").click()
    expect(row(page, "Kalmar län")).to_contain_text("Klar", timeout=GENERATION_TIMEOUT_MS)
    second = FeedbackReport.objects.get(round=dialogue_round, region=region_a, is_current=True)
    assert second.version == first.version + 1

    # --- The agency approves the new version, found on its start page.
    as_user(page, agency_user, password)
    open_from_start_page(page, second.get_absolute_url(), "agency start page with the new version")
    expect(page.locator("#report-letter")).to_contain_text("den nya infrastrukturplanen")
    with page.expect_navigation():
        page.get_by_role("button", name="Godkänn").click()
    second.refresh_from_db()
    assert second.review_state == ReviewState.APPROVED

    # --- The ministry publishes it from its start page.
    as_user(page, ministry_user, password)
    open_from_start_page(page, second.get_absolute_url(), "ministry start page with a report to publish")
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera").click()
    expect(page.locator(".alert-success")).to_contain_text("publicerad")
    second.refresh_from_db()
    assert second.review_state == ReviewState.PUBLISHED

    # --- Kalmar's director finds it on the start page and downloads the final PDF.
    as_user(page, region_user, password)
    open_from_start_page(page, second.get_absolute_url(), "county start page with the published report")
    assert "Nämn även" not in page.locator("#main").inner_text()  # the review stays internal
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner pdf-filen").click()
    pdf = Path(download_info.value.path()).read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [p.extract_text() or "" for p in document.pages]
    cover = " ".join(pages[0].split())
    day = timezone.localdate(second.published_at)
    for particular in (
        "Näringsdepartementet",
        "Enheten för regional tillväxt",
        addressee_of(region_a, dialogue_round.year),
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        "N2032/00815/RTS",
        "Karin Handläggare",
        "karin.handlaggare@regeringskansliet.test",
        "08-405 10 00",
    ):
        assert str(particular) in cover, particular
    assert not any("UTKAST" in text for text in pages)
