"""Pages of the dialogues in Chromium, with axe-core: the round's month grid and a county's dialogues
(Swedish and English), and a dialogue day's session with its participating counties and agencies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues.models import DialogueDay, Session
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import OrganisationFactory

from .conftest import assert_accessible, log_in, screenshot
from .test_role_journeys import switch_language, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def this_month(region_a, region_b):
    """A round with Kalmar's dialogue today and Kronoberg's next month."""
    dialogue_round = DialogueRoundFactory(year=2031, title="Dialogerna 2031")
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9)))
    SubmissionFactory(
        dialogue=DialogueFactory(
            round=dialogue_round, region=region_a, start=start, end=start + datetime.timedelta(hours=2)
        )
    )
    later = start + datetime.timedelta(days=35)
    DialogueFactory(round=dialogue_round, region=region_b, start=later, end=later + datetime.timedelta(hours=2))
    return dialogue_round


def test_month_grid_and_county_dialogues_are_accessible_and_the_months_are_a_keyboard_step_apart(
    page, ministry_user, password, region_a, this_month
):
    log_in(page, ministry_user.email, password)
    page.goto(reverse("dialogues:round_month", args=[this_month.pk]))
    today = page.locator('td[aria-current="date"]')
    assert today.count() == 1 and "Kalmar län" in today.inner_text()
    assert page.locator("table caption").inner_text().startswith("Dialoger i ")
    assert_accessible(page, "month grid")
    screenshot(page, "round-month")

    tab_to(page, "nav a[href^='?month=']:last-child")  # next month
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Kronobergs län" in page.locator("table").inner_text()
    assert page.locator('td[aria-current="date"]').count() == 0

    page.goto(reverse("dialogues:region_dialogues", args=[region_a.slug]))
    assert page.locator("h1").inner_text() == "Dialogerna med Kalmar län"
    assert_accessible(page, "county dialogues")

    switch_language(page, "en")
    for path in (
        reverse("dialogues:round_month", args=[this_month.pk]),
        reverse("dialogues:round_calendar", args=[this_month.pk]),
        reverse("dialogues:region_dialogues", args=[region_a.slug]),
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, f"{path} in English")
    switch_language(page, "sv")


def test_agency_names_the_counties_and_agencies_of_a_session_and_the_day_page_shows_them(
    page, agency_user, password, region_a, region_b
):
    day = DialogueDay.objects.create(title="Nationell–regional dialogdag", date=datetime.date(2031, 12, 4))
    session = Session.objects.create(day=day, position=1, title="Kompetensförsörjning")
    OrganisationFactory(name="Tillväxtverket")
    OrganisationFactory(name="Arbetsförmedlingen")
    log_in(page, agency_user.email, password)
    page.goto(reverse("dialogues:session_update", args=[session.pk]))
    assert_accessible(page, "session form")
    page.get_by_label("Kalmar län", exact=True).check()
    page.get_by_label("Arbetsförmedlingen", exact=True).check()
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()

    page.goto(day.get_absolute_url())
    card = page.locator(f"#session-{session.pk}")
    assert "Kalmar län" in card.inner_text() and "Kronobergs län" not in card.inner_text()
    assert "Arbetsförmedlingen" in card.inner_text() and "Tillväxtverket" not in card.inner_text()
    assert_accessible(page, "dialogue day with session participants")
