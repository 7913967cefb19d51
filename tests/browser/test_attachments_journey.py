"""In Chromium, with axe-core: a county attaches its action plan (a real PDF) to its submission, sees it
listed and submits; the ministry opens the submission and downloads the same file (issue 15)."""

import pytest
from django.urls import reverse

from core.models import Attachment
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

from .conftest import assert_accessible, log_in, screenshot
from .test_role_journeys import main_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def action_plan(tmp_path):
    """A real, small PDF: the county's action plan."""
    from weasyprint import HTML

    path = tmp_path / "Handlingsplan Kalmar 2016.pdf"
    HTML(string="<h1>Handlingsplan</h1><p>Kalmar läns insatser 2016.</p>").write_pdf(path)
    return path


def test_county_attaches_action_plan_submits_and_ministry_downloads_it(
    page, browser, live_server, settings, tmp_path, region_a, region_user, ministry_user, password, action_plan
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue, resource_use="Medlen går till kompetensförsörjning.")
    submission_url = reverse("dialogues:submission_detail", args=[dialogue.pk])

    log_in(page, region_user.email, password)
    page.goto(submission_url)
    assert "Inga filer är bifogade." in main_text(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Bifoga en fil").click()
    assert page.locator("h1").inner_text() == "Bifoga en fil"
    assert_accessible(page, "attach a file")

    with page.expect_navigation():  # sent without a file: the error summary says what to do
        page.get_by_role("button", name="Bifoga", exact=True).click()
    assert "Filen bifogades inte" in main_text(page)
    assert "Välj en fil att bifoga." in main_text(page)
    assert_accessible(page, "attach a file, with errors")

    page.locator("#id_file").set_input_files(str(action_plan))
    page.get_by_label("Beskrivning (frivillig)").fill("Vår handlingsplan för 2016")
    with page.expect_navigation():
        page.get_by_role("button", name="Bifoga", exact=True).click()
    text = main_text(page)
    assert "Filen bifogades." in text
    assert "Handlingsplan Kalmar 2016.pdf" in text
    assert "Vår handlingsplan för 2016" in text
    assert "PDF" in text
    assert_accessible(page, "submission with its attachment")
    screenshot(page, "submission-attachment")

    page.goto(reverse("dialogues:submission_edit", args=[dialogue.pk]))
    with page.expect_navigation():
        page.get_by_role("button", name="Spara och lämna in till departementet").click()
    assert "Din inlämning har skickats till departementet." in main_text(page)
    assert page.get_by_role("link", name="Ta bort Handlingsplan Kalmar 2016.pdf").count() == 0  # frozen now

    ministry = browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True, accept_downloads=True)
    ministry_page = ministry.new_page()
    log_in(ministry_page, ministry_user.email, password)
    ministry_page.goto(submission_url)
    assert "Handlingsplan Kalmar 2016.pdf" in main_text(ministry_page)
    assert_accessible(ministry_page, "the ministry reads the submission with its attachment")
    with ministry_page.expect_download() as download:
        ministry_page.get_by_role("link", name="Handlingsplan Kalmar 2016.pdf").click()
    assert download.value.suggested_filename == "Handlingsplan Kalmar 2016.pdf"
    saved = tmp_path / "hamtad.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == action_plan.read_bytes()
    assert Attachment.objects.get().uploaded_by == region_user
    ministry.close()
