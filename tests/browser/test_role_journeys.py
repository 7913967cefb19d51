"""Each role's work end to end in Chromium, with axe-core on every page visited (issue 9).

One test per journey, on one browser page, over the demo data: axe checks each page in Swedish as the
journey reaches it, and at the end every page again in English. Each journey fills at least one form
with the keyboard alone (Tab order, a visible focus ring, Enter to submit).
"""

import datetime
from pathlib import Path

import pytest
from django import forms
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from dialogues import services
from dialogues.models import Brief, Dialogue, DialogueRound, FollowUpAction, Observation, Submission
from followup.models import Appropriation, Expenditure
from forum.models import AgendaItem, Forum, Meeting

from .conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Dialog-demo-2015"
FOCUS_RING = """(selector) => {
    const e = document.activeElement;
    return e.matches(selector) ? getComputedStyle(e).outlineStyle : null;
}"""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses demo users in production
    call_command("load_demo")
    settings.DEBUG = False  # the live server shows the portal's own error pages


def visit(page, path: str, label: str, *, shot: str = "") -> None:
    page.goto(path)
    check(page, label, shot=shot)


# Pages checked in the current journey, so that it can check them all again in the other language.
SEEN: list[str] = []


@pytest.fixture(autouse=True)
def _forget_seen_pages():
    SEEN.clear()


def check(page, label: str, *, shot: str = "") -> None:
    assert_accessible(page, label)
    if page.url not in SEEN:
        SEEN.append(page.url)
    if shot:
        screenshot(page, shot)


def check_seen_pages_in_english(page) -> None:
    """Every page seen so far, again in English (as they are now: a closed round, a sent draft)."""
    switch_language(page, "en")
    for url in list(SEEN):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, f"{url} in English")
    switch_language(page, "sv")


def submit_main_form(page) -> None:
    with page.expect_navigation():
        page.locator("#main form[method=post] button[type=submit]").last.click()


def switch_language(page, code: str) -> None:
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.locator("form:has(#language-select) button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == code


def tab_to(page, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus; it must show a visible outline."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        outline = page.evaluate(FOCUS_RING, selector)
        if outline is not None:
            assert outline != "none", f"no visible focus on {selector}"
            return
    pytest.fail(
        f"Tab never reached {selector} in {limit} steps on {page.url}: {page.locator('#main').inner_text()[:600]}"
    )


def main_text(page) -> str:
    return page.locator("#main").inner_text()


def test_ministry_opens_schedules_follows_up_and_closes_a_round(page, demo):
    next_year = DialogueRound.objects.order_by("-year").first().year + 1
    log_in(page, "departementet@demo.test", DEMO_PASSWORD)
    check(page, "ministry start page")

    visit(page, reverse("dialogues:round_list"), "round list", shot="round-list")
    page.get_by_role("link", name="Ny omgång").click()
    page.wait_for_url("**/omgang/ny/")
    check(page, "new round form")
    page.fill("#id_year", str(next_year))
    page.fill("#id_title", f"Regionala utvecklingsdialoger {next_year}")
    page.fill("#id_focus", "Kompetensförsörjning och hållbar tillväxt")
    page.locator("input[name=themes]").first.check()
    page.fill("#id_submission_deadline", f"{next_year}-03-01")
    page.fill("#id_ends_on", f"{next_year}-06-30")
    submit_main_form(page)
    new_round = DialogueRound.objects.get(year=next_year)
    assert page.locator("h1").inner_text() == new_round.title
    check(page, "round detail (planning)")

    page.get_by_role("link", name="Öppna omgången").click()
    check(page, "open the round")
    for box in page.locator("input[name=regions]").all():
        box.uncheck()
    for county in ["Kalmar län", "Kronobergs län", "Gotlands län"]:
        page.get_by_label(county, exact=True).check()
    submit_main_form(page)
    assert "3 nya dialoger" in page.locator(".alert-success").inner_text()
    assert sorted(new_round.dialogues.values_list("region__code", flat=True)) == ["07", "08", "09"]
    check(page, "round detail (open)", shot="round-detail")

    dialogue = Dialogue.objects.get(round=new_round, region__code="08")
    visit(page, reverse("dialogues:dialogue_schedule", args=[dialogue.pk]), "schedule a dialogue")
    page.fill("#id_start", f"{next_year}-04-14T09:00")
    page.fill("#id_end", f"{next_year}-04-14T12:00")
    page.fill("#id_place", "Länsstyrelsen, Kalmar")
    for index in (0, 1):
        page.locator(f"#id_participants-{index}-contact").select_option(index=index + 1)
    submit_main_form(page)
    dialogue.refresh_from_db()
    assert dialogue.participants.count() == 2, main_text(page)
    assert "Länsstyrelsen, Kalmar" in main_text(page)
    check(page, "dialogue detail (scheduled)", shot="dialogue-detail")

    # The observation with the keyboard alone: fields in reading order, a visible focus ring, Enter.
    page.goto(reverse("dialogues:observation_create", args=[dialogue.pk]))
    check(page, "new observation")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_title", limit=1)
    page.keyboard.type("Starkt regionalt ledarskap")
    tab_to(page, "#id_text", limit=1)
    page.keyboard.type("Regionen samlar kommunerna kring kompetensförsörjningen.")
    tab_to(page, "#id_shared_with_region", limit=1)
    page.keyboard.press("Space")
    tab_to(page, "#id_is_good_example", limit=1)
    tab_to(page, "#main form button[type=submit]", limit=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    observation = Observation.objects.get(dialogue=dialogue)
    assert observation.title == "Starkt regionalt ledarskap" and observation.shared_with_region
    assert "Starkt regionalt ledarskap" in main_text(page)

    visit(page, reverse("dialogues:action_create", args=[dialogue.pk]), "new follow-up action")
    page.fill("#id_what", "Ta fram en gemensam kompetensplattform")
    page.fill("#id_owner", "Region Kalmar län")
    page.fill("#id_due_date", f"{next_year}-12-31")
    submit_main_form(page)
    assert FollowUpAction.objects.filter(dialogue=dialogue, what__startswith="Ta fram").exists()
    assert "Ta fram en gemensam kompetensplattform" in main_text(page)
    check(page, "dialogue detail with action")

    page.goto(new_round.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng omgången").click()
    check(page, "round close checklist")
    page.get_by_label("Jag har läst checklistan och vill stänga omgången").check()
    page.get_by_label("Stäng ändå trots att tidsfrister löper").check()  # the new round's deadline is next year
    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name="Stäng omgången").click(timeout=90_000)
    assert page.locator(".alert-success").inner_text().strip() == "Omgången är stängd."
    new_round.refresh_from_db()
    assert new_round.status == "closed"
    check(page, "round detail (closed)")
    for path, label in [
        (reverse("dialogues:observation_matrix", args=[new_round.pk]), "observation matrix"),
        (reverse("dialogues:round_calendar", args=[new_round.pk]), "round calendar"),
        (reverse("dialogues:search") + "?q=Kalmar", "search results"),
        (reverse("dialogues:commitment_list"), "joint commitments"),
        (reverse("followup:national"), "national 1:1 page"),
    ]:
        visit(page, path, label)
    check_seen_pages_in_english(page)


def test_regional_director_drafts_and_submits_imports_figures_and_sees_charts(page, demo):
    dialogue = Dialogue.objects.filter(region__code="08", kind="annual").order_by("-round__year").first()
    if dialogue.round.status == "planning":  # the demo's latest round waits for the ministry to open it
        services.round_open(dialogue_round=dialogue.round, regions=[dialogue.region])
    log_in(page, "kalmar@demo.test", DEMO_PASSWORD)
    check(page, "regional start page")
    visit(page, dialogue.get_absolute_url(), "own dialogue")

    # The draft with the keyboard alone: rank, RUS priority and rationale in reading order, Enter saves.
    visit(page, reverse("dialogues:submission_edit", args=[dialogue.pk]), "submission form", shot="submission-form")
    tab_to(page, "#id_priorities-0-rank")
    page.keyboard.type("1")
    tab_to(page, "#id_priorities-0-strategy_priority", limit=1)
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_priorities-0-rationale", limit=1)
    page.keyboard.type("Kompetensförsörjningen är länets största utmaning.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    submission = Submission.objects.get(dialogue=dialogue)
    assert submission.status == "draft"
    [priority] = submission.priorities.select_related("strategy_priority__strategy")
    assert priority.strategy_priority.strategy.region.code == "08"
    assert priority.rationale == "Kompetensförsörjningen är länets största utmaning."
    check(page, "after saving the draft")

    # Coming back later: the draft is there.
    page.goto(reverse("dialogues:submission_edit", args=[dialogue.pk]))
    page.reload()
    assert page.locator("#id_priorities-0-rank").input_value() == "1"
    assert page.locator("#id_priorities-0-strategy_priority").input_value() == str(priority.strategy_priority_id)
    assert "största utmaning" in page.locator("#id_priorities-0-rationale").input_value()
    with page.expect_navigation():
        page.locator("button[name=submit]").click()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert page.locator(".alert-success").count() == 1
    check(page, "submitted submission", shot="submission-detail")

    # The year's 1:1 figures: a bad file first (every error with its line, nothing saved), then a good one.
    appropriation = Appropriation.objects.order_by("-year").first()
    year = appropriation.year
    exported = page.request.get(reverse("followup:export", args=[year, "csv"]))
    good = exported.body().decode("utf-8-sig").replace("\r\n", "\n").strip().split("\n")
    header, first, *rest = good
    cells = first.split(";")
    assert cells[0] == "08", first
    amount_at = header.split(";").index("belopp")
    before = list(
        Expenditure.objects.filter(allocation__region__code="08", allocation__appropriation=appropriation)
        .order_by("pk")
        .values_list("amount", "description")
    )
    bad_cells = list(cells)
    bad_cells[amount_at] = "mycket"
    bad = "\n".join([header, ";".join(bad_cells), *rest, "08;Kalmar län;Trolleri;;100;nej;"]) + "\n"

    visit(page, reverse("followup:import", args=[year]), "import form")
    page.set_input_files("#id_file", files=[{"name": "kalmar.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    submit_main_form(page)
    problems = page.locator("#errors-heading + p + table tbody tr")
    assert problems.count() == 2
    lines = [problems.nth(i).locator("th").inner_text().strip() for i in range(2)]
    assert lines == ["Rad 2", f"Rad {len(good) + 1}"]
    check(page, "import with errors", shot="import-errors")
    after = list(
        Expenditure.objects.filter(allocation__region__code="08", allocation__appropriation=appropriation)
        .order_by("pk")
        .values_list("amount", "description")
    )
    assert after == before

    cells[-1] = "Importerad i webbläsaren"
    fixed = "\n".join([header, ";".join(cells), *rest]) + "\n"
    page.set_input_files("#id_file", files=[{"name": "kalmar.csv", "mimeType": "text/csv", "buffer": fixed.encode()}])
    submit_main_form(page)
    check(page, "import preview")
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('followup:import_confirm', args=[year])}'] button").click()
    assert page.locator(".alert-success").count() == 1
    assert Expenditure.objects.filter(
        allocation__region__code="08", allocation__appropriation=appropriation, description="Importerad i webbläsaren"
    ).exists()
    check(page, "allocation after import")
    visit(page, reverse("regions:region_detail", args=["kalmar-lan"]), "own county profile")

    visit(page, reverse("followup:region", args=["kalmar-lan"]), "county 1:1 page", shot="followup-county")
    charts = page.locator("#main svg[role=img]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).locator("title").first.text_content().strip()

    # Another county's director cannot open Kalmar's dialogue: the portal's own 404 page.
    check_seen_pages_in_english(page)
    page.context.clear_cookies()
    SEEN.clear()
    page.goto(reverse("login"))
    page.fill("#id_username", "kronoberg@demo.test")
    page.fill("#id_password", DEMO_PASSWORD)
    submit_main_form(page)
    check(page, "Kronoberg's start page")
    response = page.goto(dialogue.get_absolute_url())
    assert response.status == 404
    assert dialogue.region.name not in page.locator("#main").inner_text()
    check(page, "404 page", shot="not-found")
    check_seen_pages_in_english(page)


def test_agency_writes_a_brief_with_the_keyboard(page, demo):
    dialogue = Dialogue.objects.filter(region__code="08", kind="annual").order_by("-round__year").first()
    log_in(page, "tillvaxtverket@demo.test", DEMO_PASSWORD)
    check(page, "agency start page")
    visit(page, reverse("dialogues:round_list"), "agency round list")
    visit(page, dialogue.round.get_absolute_url(), "agency round detail")
    visit(page, dialogue.get_absolute_url(), "agency dialogue detail")

    visit(page, reverse("dialogues:brief_edit", args=[dialogue.pk]), "brief form", shot="brief-form")
    tab_to(page, "#id_text")
    page.keyboard.press("Control+A")
    page.keyboard.type("Kalmar län har ett starkt näringsliv inom livsmedel och besöksnäring.")
    tab_to(page, "#main form button[type=submit]", limit=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Brief.objects.get(dialogue=dialogue).text.startswith("Kalmar län har ett starkt näringsliv")
    assert page.locator(".alert-success").count() == 1
    check(page, "after saving the brief")
    visit(page, reverse("dialogues:observation_matrix", args=[dialogue.round.pk]), "agency observation matrix")
    visit(page, reverse("dialogues:dialogueday_list"), "dialogue days")
    visit(page, reverse("followup:trend"), "1:1 over time", shot="followup-trend")

    check_seen_pages_in_english(page)
    page.goto(reverse("dialogues:brief_edit", args=[dialogue.pk]))
    assert "starkt näringsliv" in page.locator("#id_text").input_value()


def test_forum_meeting_with_agenda_minutes_and_calendar_file(page, demo):
    forum = Forum.objects.order_by("pk").first()
    year = forum.end_year or datetime.date.today().year + 1  # within the forum's years
    log_in(page, "departementet@demo.test", DEMO_PASSWORD)
    visit(page, reverse("forum:forum_list"), "forum list", shot="forum-list")
    visit(page, forum.get_absolute_url(), "forum detail")

    visit(page, reverse("forum:meeting_create", args=[forum.pk]), "new meeting")
    # A refused form: each error is tied to its field, so a screen reader reads it with the field.
    submit_main_form(page)
    check(page, "new meeting with errors")
    title = page.locator("#id_title")
    assert title.get_attribute("aria-invalid") == "true"
    described = page.locator(f"#{title.get_attribute('aria-describedby').split()[0]}")
    with translation.override("sv"):
        required = str(forms.Field().error_messages["required"])
    assert described.inner_text().strip() == required
    page.fill("#id_title", "Forummöte om kompetensförsörjning")
    page.fill("#id_start", f"{year}-05-20T10:00")
    page.fill("#id_end", f"{year}-05-20T15:00")
    page.fill("#id_place", "Rosenbad, Stockholm")
    submit_main_form(page)
    assert page.locator(".invalid-feedback, .alert-danger").count() == 0, main_text(page)
    meeting = Meeting.objects.get(title="Forummöte om kompetensförsörjning")
    assert page.locator("h1").inner_text().startswith("Forummöte om kompetensförsörjning")
    check(page, "meeting detail")

    visit(page, reverse("forum:agendaitem_create", args=[meeting.pk]), "new agenda item")
    page.fill("#id_position", "1")
    page.fill("#id_title", "Kompetensförsörjning i länen")
    submit_main_form(page)
    item = AgendaItem.objects.get(meeting=meeting)
    assert "Kompetensförsörjning i länen" in page.locator("#main").inner_text()

    # The minutes with the keyboard alone.
    visit(page, reverse("forum:agendaitem_minutes", args=[item.pk]), "minutes form")
    tab_to(page, "#id_minutes")
    page.keyboard.type("Forumet enades om att samla länens behov till nästa möte.")
    tab_to(page, "#main form button[type=submit]", limit=1)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    item.refresh_from_db()
    assert item.minutes.startswith("Forumet enades")
    assert "Forumet enades" in page.locator("#main").inner_text()
    check(page, "meeting detail with minutes", shot="meeting-detail")
    visit(page, reverse("forum:forum_composition", args=[forum.pk]), "forum composition")
    visit(page, reverse("forum:meeting_list"), "meeting list")
    visit(page, reverse("forum:attendance_update", args=[meeting.pk]), "attendance form")
    check_seen_pages_in_english(page)

    page.goto(meeting.get_absolute_url())
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('forum:meeting_ics', args=[meeting.pk])}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Forummöte om kompetensförsörjning" in content
    assert f"DTSTART:{year}0520T" in content or f"DTSTART;TZID=Europe/Stockholm:{year}0520T1000" in content
    assert "LOCATION:Rosenbad\\, Stockholm" in content
