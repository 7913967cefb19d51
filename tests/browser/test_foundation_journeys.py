import pytest

from accounts.choices import Role

from .conftest import assert_accessible, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_swedish_and_accessible_for_anonymous_visitors(page):
    page.goto("/")
    assert "/konto/logga-in/" in page.url
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Logga in"
    assert_accessible(page, "login")
    screenshot(page, "login")


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_each_role_logs_in_with_the_keyboard_and_gets_an_accessible_start_page(
    page, user_by_role, password, region_b, role
):
    user = user_by_role[role]
    log_in(page, user.email, password)
    assert page.locator("h1").inner_text().startswith("Välkommen")
    assert_accessible(page, f"start page ({role})")
    screenshot(page, f"start-{role}")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, ministry_user, password):
    log_in(page, ministry_user.email, password)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till huvudinnehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_turns_the_interface_english_and_stays_accessible(page, ministry_user, password):
    log_in(page, ministry_user.email, password)
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.get_by_role("button", name="Byt språk").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert_accessible(page, "start page in English")


def test_county_pages_are_accessible(page, region_user, password):
    log_in(page, region_user.email, password)
    page.get_by_role("link", name="Län", exact=True).click()
    assert_accessible(page, "county list")
    page.get_by_role("link", name="Kalmar län").first.click()
    assert page.locator("h1").inner_text() == "Kalmar län"
    assert_accessible(page, "county profile")


def test_public_pages_are_accessible_without_logging_in(page):
    for path, heading in [
        ("/konto/aterstall/", "Återställ lösenord"),
        ("/tillganglighet/", "Tillgänglighetsredogörelse"),
    ]:
        page.goto(path)
        assert page.locator("h1").inner_text() == heading
        assert_accessible(page, path)
