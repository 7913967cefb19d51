"""Closing a round in Chromium (issue #14), with axe-core on each page: the ministry tries to close a
round while a county has not submitted, reads the checklist, extends that county's deadline, is
refused while the deadline runs, and closes the round once the county has submitted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import DialogueStatus, RoundStatus
from dialogues.models import DialogueRound, Submission
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory

from .conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send_in(submission, user, text):
    submission.refresh_from_db()
    services.submission_save_draft(
        submission=submission, expected_version=submission.version, resource_use=text, priorities=[], results=[]
    )
    services.submission_submit(submission=submission, user=user)


@pytest.fixture
def round_with_one_missing(region_a, region_b, region_user):
    """Kalmar has submitted and held its dialogue; Kronoberg has not submitted, and the round's
    deadline passed yesterday."""
    today = timezone.localdate()
    dialogue_round = DialogueRoundFactory(
        year=2032, title="Dialogerna 2032", submission_deadline=today + datetime.timedelta(days=1)
    )
    start = timezone.now() - datetime.timedelta(hours=3)
    kalmar = DialogueFactory(
        round=dialogue_round, region=region_a, start=start, end=start + datetime.timedelta(hours=2)
    )
    SubmissionFactory(dialogue=kalmar)
    _send_in(kalmar.submission, region_user, "Kalmars resursanvändning")
    in_time = timezone.now() - datetime.timedelta(days=2)  # before the deadline was moved to yesterday
    Submission.objects.filter(dialogue=kalmar).update(first_submitted_at=in_time)
    services.dialogue_status_set(dialogue=kalmar, status=DialogueStatus.HELD)
    SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_b))
    DialogueRound.objects.filter(pk=dialogue_round.pk).update(submission_deadline=today - datetime.timedelta(days=1))
    dialogue_round.refresh_from_db()
    return dialogue_round


def test_ministry_reads_the_checklist_extends_a_deadline_and_closes_the_round_when_ready(
    page, ministry_user, other_region_user, password, region_b, round_with_one_missing
):
    dialogue_round = round_with_one_missing
    log_in(page, ministry_user.email, password)

    page.goto(dialogue_round.get_absolute_url())
    progress = page.locator("#main section[aria-labelledby=progress-heading]")
    assert "1 av 2 inlämnade" in progress.inner_text()
    assert "1 av 2 genomförda" in progress.inner_text()
    assert page.locator("progress").count() == 3
    assert_accessible(page, "round page with its progress")

    # "Stäng omgången" no longer closes in one click: it opens the checklist.
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng omgången").click()
    main = page.locator("#main")
    # Kalmar's is sent in but not yet accepted; Kronoberg's is missing.
    assert "2 inlämningar saknas eller är inte godkända" in main.inner_text()
    assert "Kalmar län: inlämnad" in main.inner_text() and "försenad" not in main.inner_text()
    assert "Kronobergs län: inte inlämnad" in main.inner_text()
    assert "Inget län som ännu inte har lämnat in har en tidsfrist som löper." in main.inner_text()
    assert_accessible(page, "round close checklist")
    screenshot(page, "round-close-checklist")

    # Kronoberg gets a week more.
    extended = timezone.localdate() + datetime.timedelta(days=7)
    with page.expect_navigation():
        page.get_by_role("link", name="Förläng tidsfristen för Kronobergs län").click()
    assert_accessible(page, "extend a county's deadline")
    page.fill("#id_deadline", extended.isoformat())
    page.fill("#id_reason", "Regionfullmäktige beslutar om underlaget först nästa vecka.")
    with page.expect_navigation():
        page.get_by_role("button", name="Förläng tidsfristen").click()
    assert "Länets tidsfrist har förlängts" in page.locator(".alert-success").inner_text()
    assert Submission.objects.get(dialogue__region=region_b, dialogue__round=dialogue_round).deadline == extended
    assert "1 läns tidsfrist löper fortfarande" in main.inner_text()

    # Closing now is refused: Kronoberg's deadline runs, and "close anyway" is not ticked.
    page.get_by_label("Jag har läst checklistan och vill stänga omgången").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng omgången").click()
    assert "Tidsfristen löper fortfarande för Kronobergs län." in main.inner_text()
    dialogue_round.refresh_from_db()
    assert dialogue_round.status == RoundStatus.OPEN
    assert_accessible(page, "round close refused")

    # Kronoberg submits within its own deadline, after the round's.
    _send_in(
        Submission.objects.get(dialogue__region=region_b, dialogue__round=dialogue_round),
        other_region_user,
        "Kronobergs resursanvändning",
    )

    page.goto(reverse("dialogues:round_close", args=[dialogue_round.pk]))
    assert "Inget län som ännu inte har lämnat in har en tidsfrist som löper." in main.inner_text()
    page.get_by_label("Jag har läst checklistan och vill stänga omgången").check()
    # The tests run the report tasks inside the request (eager): the close takes as long as they do.
    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name="Stäng omgången").click(timeout=90_000)
    assert page.locator(".alert-success").inner_text().strip() == "Omgången är stängd."
    dialogue_round.refresh_from_db()
    assert dialogue_round.status == RoundStatus.CLOSED
    assert_accessible(page, "round page (closed)")
