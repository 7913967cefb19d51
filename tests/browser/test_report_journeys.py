"""The feedback reports end to end in Chromium, with a real Celery worker and axe-core (issue 9).

The ministry asks for the 2015 round's reports and watches the table follow the worker without
reloading the page; the agency reads Kalmar's report, comments with the keyboard alone and approves
it; the ministry publishes it; Kalmar's regional director downloads the PDF and cannot open
Kronoberg's report. axe-core checks every report page on the way, in Swedish, and one in English.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from dialogues.models import DialogueRound
from regions.models import Region
from reports import services as report_services
from reports.choices import ReportStatus, ReviewState
from reports.models import FeedbackReport

from .conftest import assert_accessible, log_in, screenshot
from .test_role_journeys import DEMO_PASSWORD, demo, switch_language, tab_to  # noqa: F401 - demo is a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "media_in_tmp"),
]

# How long one worker may take for a round's reports (21 counties and the summary), and the page to follow.
GENERATION_TIMEOUT_MS = 90_000
# Records the status line after every swap of the report table. A reload would wipe the record, and
# the status line must stay the same element (a live region that is replaced is not read out).
WATCH_TABLE = """() => {
    window.reportSwaps = [];
    window.statusLine = document.getElementById('report-status');
    document.body.addEventListener('htmx:afterSettle', () => {
        const done = [...document.querySelectorAll('#report-rows tbody tr')]
            .filter((row) => row.innerText.includes('Klar')).length;
        window.reportSwaps.push([document.getElementById('report-status').innerText.trim(), done]);
    });
}"""


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """The generated PDFs go to a folder of the test's own (the live server runs in this process)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def status_line(page) -> str:
    return page.locator("#report-status").inner_text().strip()


def row(page, name: str):
    return page.locator("#report-rows tbody tr", has=page.get_by_role("rowheader", name=name))


def switch_user(page, email: str) -> None:
    page.context.clear_cookies()
    log_in(page, email, DEMO_PASSWORD)  # with a recovery code where the account gives a second factor
    assert page.locator("#id_password").count() == 0, page.locator("#main").inner_text()[:500]


def test_feedback_reports_generated_reviewed_published_and_downloaded(page, celery_live_worker):
    round_2015 = DialogueRound.objects.get(year=2015)
    kalmar, kronoberg = Region.objects.get(code="08"), Region.objects.get(code="07")
    reports_url = reverse("reports:report_list", args=[round_2015.pk])

    # --- The ministry asks for the round's reports and watches the worker get through them.
    log_in(page, "departementet@demo.test", DEMO_PASSWORD)
    page.goto(reports_url)
    assert_accessible(page, "report list before any report")
    counties = round_2015.dialogues.filter(kind="annual").count()
    page.select_option("#id_region", "")  # all counties and the summary
    page.select_option("#id_language", "sv")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa rapporter").click()
    assert page.locator(".alert-success").inner_text().strip() == f"{counties + 1} rapporter skapas."
    page.evaluate(WATCH_TABLE)
    assert status_line(page) == "Rapporter skapas; tabellen uppdateras av sig själv."
    rows = page.locator("#report-rows tbody tr")
    assert rows.count() == counties + 1
    assert rows.filter(has_text="Klar").count() < counties + 1  # the worker is still at it
    assert_accessible(page, "report list while the reports are generated")

    page.wait_for_function(
        "() => window.reportSwaps && window.reportSwaps.some(([status]) => status === 'Ingen rapport skapas just nu.')",
        timeout=GENERATION_TIMEOUT_MS,
    )
    # The same page all along, its table swapped in place: the reports turned done a few at a time.
    swaps = page.evaluate("window.reportSwaps")
    assert swaps[-1] == ["Ingen rapport skapas just nu.", counties + 1], swaps
    assert len(swaps) >= 2 and swaps[0][0] == "Rapporter skapas; tabellen uppdateras av sig själv.", swaps
    done_counts = [done for _, done in swaps]
    assert done_counts == sorted(done_counts), swaps
    assert page.evaluate("window.statusLine === document.getElementById('report-status')")
    assert rows.filter(has_text="Klar").count() == counties + 1
    for county in ("Kalmar län", "Kronobergs län"):
        assert row(page, county).get_by_role("link", name=f"Ladda ner {county}").count() == 1
    assert_accessible(page, "report list when the reports are done")
    kalmar_report = FeedbackReport.objects.get(round=round_2015, region=kalmar, is_current=True)
    kronoberg_report = FeedbackReport.objects.get(round=round_2015, region=kronoberg, is_current=True)
    assert kalmar_report.status == kronoberg_report.status == ReportStatus.DONE

    # --- The agency reads Kalmar's report, comments with the keyboard alone and approves it.
    switch_user(page, "tillvaxtverket@demo.test")
    page.goto(reports_url)
    assert_accessible(page, "agency report list")
    with page.expect_navigation():
        row(page, "Kalmar län").get_by_role("link", name="Kalmar län", exact=True).click()
    assert "Kalmar" in page.locator("h1").inner_text()
    assert "Våra iakttagelser från dialogen" in page.locator("#report-observations").inner_text()
    assert_accessible(page, "agency report detail")

    tab_to(page, "#id_text")
    page.keyboard.type("Lyft fram kompetensförsörjningen tydligare i slutsatserna.")
    tab_to(page, "form[action$='/kommentar/'] button[type=submit]", limit=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".alert-success").inner_text().strip() == "Din kommentar har sparats."
    assert "Lyft fram kompetensförsörjningen" in page.locator("#comments-heading + ul").inner_text()
    assert kalmar_report.comments.get().author.email == "tillvaxtverket@demo.test"
    assert_accessible(page, "report detail with a comment")
    screenshot(page, "report-review")

    with page.expect_navigation():
        page.get_by_role("button", name="Godkänn").click()
    assert "godkänd" in page.locator(".alert-success").inner_text()
    kalmar_report.refresh_from_db()
    assert kalmar_report.review_state == ReviewState.APPROVED

    # --- The ministry publishes it (Kronoberg's is approved and published the same way, by the services).
    switch_user(page, "departementet@demo.test")
    page.goto(kalmar_report.get_absolute_url())
    assert_accessible(page, "ministry report detail (approved)")
    # An open review comment blocks publishing: the ministry answers it first.
    assert page.get_by_role("button", name="Publicera").is_disabled()
    page.get_by_label("Besvarad: svara granskaren").check()
    page.get_by_label("Svar (när du besvarar kommentaren)").fill("Kompetensförsörjningen lyfts i det inledande brevet.")
    with page.expect_navigation():
        page.get_by_role("button", name="Hantera").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera").click()
    assert "publicerad" in page.locator(".alert-success").inner_text()
    kalmar_report.refresh_from_db()
    assert kalmar_report.review_state == ReviewState.PUBLISHED
    # The report's change history (issue 7): who approved and who published it, and the comment.
    page.locator("details.audit-trail summary").click()
    history = page.locator("details.audit-trail table")
    assert "Godkänd" in history.inner_text() and "Publicerad" in history.inner_text()
    assert "Tomas Tillväxtverket" in history.inner_text() and "Maria Departementet" in history.inner_text()
    assert "Lyft fram kompetensförsörjningen" in history.inner_text()
    assert_accessible(page, "ministry report detail with its change history open")
    screenshot(page, "report-history")
    report_services.report_approve(report=kronoberg_report)
    report_services.report_publish(report=kronoberg_report)

    # --- Kalmar's director reads and downloads the PDF; Kronoberg's report does not exist for them.
    switch_user(page, "kalmar@demo.test")
    page.goto(reports_url)
    assert row(page, "Kalmar län").count() == 1
    assert row(page, "Kronobergs län").count() == 0
    assert_accessible(page, "regional report list")
    with page.expect_navigation():
        row(page, "Kalmar län").get_by_role("link", name="Kalmar län", exact=True).click()
    assert "Lyft fram kompetensförsörjningen" not in page.locator("#main").inner_text()  # review stays internal
    assert_accessible(page, "regional report detail")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner pdf-filen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    response = page.goto(kronoberg_report.get_absolute_url())
    assert response.status == 404
    assert "Kronoberg" not in page.locator("#main").inner_text()
    assert_accessible(page, "another county's report: not found")
    assert page.request.get(reverse("reports:report_download", args=[kronoberg_report.pk])).status == 404

    # --- The same report page in English.
    page.goto(kalmar_report.get_absolute_url())
    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, "regional report detail in English")
    switch_language(page, "sv")
