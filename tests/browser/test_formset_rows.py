"""More formset rows without a reload (static/js/formset-rows.js), in Chromium under the portal's
real Content-Security-Policy: a county adds priorities to its submission with the keyboard alone
and saves them, the ministry adds a participant to a dialogue, and without JavaScript the page
still offers its empty rows and the "save for more rows" hint. axe-core checks the pages with the
added rows, in Swedish and English.
"""

import pytest
from django.urls import reverse

from dialogues.models import Participant
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import ContactFactory, RegionalStrategyFactory, StrategyPriorityFactory

from .conftest import AXE_JS, WCAG_AA_TAGS, log_in
from .test_role_journeys import switch_language, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADD_PRIORITY = "[data-formset=priorities] button[data-formset-add]"


@pytest.fixture
def strict_page(browser, live_server):
    """A page that keeps the portal's CSP (the shared `page` fixture bypasses it to inject axe-core):
    an inline script, or a script from elsewhere, would be refused here. axe-core comes in as an
    init script, which the page's CSP does not govern. Console errors and CSP reports are kept."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def axe_check(page, label: str) -> None:
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA_TAGS
    )
    violations = [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    assert violations == [], f"{label}: " + "\n".join(violations)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


@pytest.fixture
def kalmar_submission(region_a):
    strategy = RegionalStrategyFactory(region=region_a, title="RUS Kalmar")
    priorities = [
        StrategyPriorityFactory(strategy=strategy, number=1, title="Attraktiva livsmiljöer"),
        StrategyPriorityFactory(strategy=strategy, number=2, title="Konkurrenskraftigt näringsliv"),
    ]
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2031), region=region_a)
    return SubmissionFactory(dialogue=dialogue), priorities


def test_county_adds_priority_rows_with_the_keyboard_and_saves_them(
    strict_page, region_user, password, kalmar_submission
):
    page = strict_page
    submission, (first, second) = kalmar_submission
    log_in(page, region_user.email, password)
    response = page.goto(reverse("dialogues:submission_edit", args=[submission.dialogue_id]))
    assert "script-src 'self'" in response.headers["content-security-policy"]  # in force in this browser
    assert page.locator("[data-formset=priorities] [data-formset-rows] > fieldset").count() == 2
    assert page.locator(ADD_PRIORITY).is_visible()
    assert not page.get_by_text("Behöver du fler rader?").is_visible()  # the no-script hint gives way
    axe_check(page, "submission form")

    tab_to(page, ADD_PRIORITY)
    assert page.evaluate("document.activeElement.type") == "button"
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_priorities-2-rank"
    page.keyboard.type("1")
    tab_to(page, "#id_priorities-2-strategy_priority", limit=1)
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_priorities-2-rationale", limit=1)
    page.keyboard.type("Lagd till utan omladdning.")
    tab_to(page, "#id_priorities-2-DELETE", limit=1)
    tab_to(page, ADD_PRIORITY, limit=1)
    page.keyboard.press("Space")
    assert focused_id(page) == "id_priorities-3-rank"
    page.keyboard.type("2")
    tab_to(page, "#id_priorities-3-strategy_priority", limit=1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")

    assert page.locator("#id_priorities-TOTAL_FORMS").input_value() == "4"
    assert page.locator("[data-formset=priorities] legend").last.text_content().strip() == "Prioritering 4"
    axe_check(page, "submission form with two added rows")
    page.keyboard.press("Shift+Tab")  # back on the rank field: Enter sends the form (save as draft)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator(".alert-success").inner_text().strip() == "Ditt utkast har sparats."
    saved = list(submission.priorities.order_by("rank").values_list("rank", "strategy_priority", "rationale"))
    assert saved == [(1, first.pk, "Lagd till utan omladdning."), (2, second.pk, "")]
    assert page.problems == []

    # Back on the form: the saved rows, and the added row's number in English too.
    page.goto(reverse("dialogues:submission_edit", args=[submission.dialogue_id]))
    assert page.locator("#id_priorities-1-rank").input_value() == "2"
    switch_language(page, "en")
    page.locator(ADD_PRIORITY).click()
    assert focused_id(page) == "id_priorities-4-rank"
    assert page.locator("[data-formset=priorities] legend").last.text_content().strip() == "Priority 5"
    axe_check(page, "submission form in English with an added row")
    switch_language(page, "sv")
    assert page.problems == []


def test_ministry_adds_a_participant_row_and_schedules_the_dialogue(
    strict_page, ministry_user, password, kalmar_submission
):
    page = strict_page
    dialogue = kalmar_submission[0].dialogue
    ContactFactory.create_batch(4)
    log_in(page, ministry_user.email, password)
    page.goto(reverse("dialogues:dialogue_schedule", args=[dialogue.pk]))
    page.fill("#id_start", "2031-04-14T09:00")
    page.fill("#id_end", "2031-04-14T12:00")
    page.fill("#id_place", "Kalmar slott")
    for index in range(3):
        page.locator(f"#id_participants-{index}-contact").select_option(index=index + 1)
    page.get_by_role("button", name="Lägg till en deltagare").focus()
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_participants-3-contact"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    axe_check(page, "schedule with an added participant row")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara schemat").click()

    assert Participant.objects.filter(dialogue=dialogue).count() == 4
    assert page.problems == []


def test_without_javascript_the_form_keeps_its_empty_rows_and_the_hint(
    browser, live_server, region_user, password, kalmar_submission
):
    submission, (first, second) = kalmar_submission
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, region_user.email, password)
        url = reverse("dialogues:submission_edit", args=[submission.dialogue_id])
        page.goto(url)
        assert not page.locator(ADD_PRIORITY).is_visible()
        assert page.get_by_text("Behöver du fler rader?").is_visible()
        for index, priority in enumerate((first, second)):
            page.fill(f"#id_priorities-{index}-rank", str(index + 1))
            page.select_option(f"#id_priorities-{index}-strategy_priority", str(priority.pk))
        with page.expect_navigation():
            page.get_by_role("button", name="Spara utkast").click()
        assert submission.priorities.count() == 2
        page.goto(url)
        assert page.locator("[data-formset=priorities] [data-formset-rows] > fieldset").count() == 4
    finally:
        context.close()
