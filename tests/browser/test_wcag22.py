"""The WCAG 2.2 success criteria that axe-core cannot judge, measured in Chromium (issue 21).

2.4.11 focus not obscured, 2.5.7 dragging movements, 2.5.8 target size, 3.2.6 consistent help,
3.3.7 redundant entry and 3.3.8 accessible authentication. The pages are those of the sweep
(test_a11y_sweep.py: every page a role may open, found from Django's URL resolver), so a new page is
measured without being listed. The accessibility statement (/tillganglighet/) says what each test
shows.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from accounts.choices import Role
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.regions import ContactFactory

from .conftest import log_in
from .test_a11y_sweep import ANONYMOUS, browser_context, is_page, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATIC = Path(__file__).resolve().parents[2] / "static"

# 2.5.8: every link, button and form control that is not hidden, with its box and whether it is a
# link inside a sentence (the criterion's inline exception: its height is the line's).
TARGETS = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
        + '[tabindex]:not([tabindex="-1"])';
    const inSentence = (element) => {
        if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
        const text = [...element.parentElement.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE)
            .map((node) => node.textContent.trim()).join('');
        return text.length > 0;
    };
    return [...document.querySelectorAll(selector)]
        .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
        .filter((element) => !element.closest('.visually-hidden, .visually-hidden-focusable'))
        // a scrolling table that takes keyboard focus is not something to click
        .filter((element) => element.getAttribute('role') !== 'region')
        .map((element) => {
            const box = element.getBoundingClientRect();
            return {
                what: element.outerHTML.slice(0, 120),
                x: box.x + window.scrollX, y: box.y + window.scrollY, width: box.width, height: box.height,
                inline: inSentence(element),
            };
        });
}"""
# 2.4.11: the focused element's box, and whether something else (a sticky or fixed header, a
# dropdown, a toast) covers its middle.
FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const box = element.getBoundingClientRect();
    const covering = document.elementFromPoint(box.x + box.width / 2, box.y + Math.min(box.height / 2, 10));
    const stuck = [...document.querySelectorAll('body *')]
        .filter((e) => ['sticky', 'fixed'].includes(getComputedStyle(e).position))
        .map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0);
    return {
        what: element.outerHTML.slice(0, 100),
        top: box.top, bottom: box.bottom, height: box.height, viewport: window.innerHeight,
        covered: covering !== null && !element.contains(covering) && !covering.contains(element)
            && !(element.labels && [...element.labels].some((label) => label.contains(covering))),
        under_sticky: stuck.some((r) => box.top < r.bottom && box.bottom > r.top && r !== box),
    };
}"""


def undersized(targets: list[dict]) -> list[str]:
    """Targets smaller than 24 × 24 CSS pixels, not in a sentence, and without the criterion's
    spacing: a 24 px circle on the target's centre that meets another target or another
    undersized target's circle."""
    small = [t for t in targets if (t["width"] < 24 or t["height"] < 24) and not t["inline"]]
    problems = []
    for target in small:
        cx, cy = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
        for other in targets:
            if other is target:
                continue
            # the nearest point of the other target's box to this circle's centre
            nx = min(max(cx, other["x"]), other["x"] + other["width"])
            ny = min(max(cy, other["y"]), other["y"] + other["height"])
            meets_box = (nx - cx) ** 2 + (ny - cy) ** 2 < 12**2
            ox, oy = other["x"] + other["width"] / 2, other["y"] + other["height"] / 2
            meets_circle = other in small and (ox - cx) ** 2 + (oy - cy) ** 2 < 24**2
            if meets_box or meets_circle:
                problems.append(
                    f"{target['width']:.0f}×{target['height']:.0f} px, too close to {other['what'][:60]}: "
                    f"{target['what']}"
                )
                break
    return problems


HELP = "footer a[data-help]"
HELP_TEXT = {"sv": "Hjälp och kontakt", "en": "Help and contact"}
# Where the help link is: the first link of the footer, its address and text.
HELP_PLACE = """() => {
    const first = document.querySelector('footer a');
    return first && [first.hasAttribute('data-help'), first.getAttribute('href'), first.innerText.trim()];
}"""


@pytest.mark.parametrize(
    ("role", "language"),
    [(Role.MINISTRY, "sv"), (Role.AGENCY, "sv"), (Role.REGION, "sv"), (ANONYMOUS, "sv"), (ANONYMOUS, "en")],
)
def test_every_page_has_big_enough_targets_no_dragging_and_help_in_one_place(
    browser, live_server, world, user_by_role, role, language
):
    """One walk over every page the role may open (as in the sweep), measuring on each:

    2.5.8 Target size (minimum): every link, button and form control is at least 24 × 24 px, or
    spaced as the criterion allows, or a link inside a sentence.
    2.5.7 Dragging movements: no element is draggable.
    3.2.6 Consistent help: the help link is the first link of the footer, with the same address and
    text on every page, logged in or not.
    """
    user = None if role == ANONYMOUS else user_by_role[role]
    context = browser_context(browser, live_server, user, language)
    page = context.new_page()
    problems, measured, pages = [], 0, 0
    for name, path, state in pages_for(role, world):
        if state is not None:
            continue  # the same templates as the pages before them, in another state
        response = page.context.request.get(path)
        if response.status != 200 or not is_page(response):
            continue
        page.goto(path)
        pages += 1
        targets = page.evaluate(TARGETS)
        measured += len(targets)
        problems += [f"2.5.8 {name}: {problem}" for problem in undersized(targets)]
        if page.locator("[draggable=true]").count():
            problems.append(f"2.5.7 {name}: an element can be dragged")
        help_place = page.evaluate(HELP_PLACE)
        if help_place != [True, reverse("accessibility") + "#help", HELP_TEXT[language]]:
            problems.append(f"3.2.6 {name}: the footer's first link is {help_place}")
    context.close()
    assert problems == [], "\n".join(problems)
    assert pages >= (4 if role == ANONYMOUS else 30)
    assert measured > (40 if role == ANONYMOUS else 300)


def tab_through(page, *, limit: int = 400) -> list[dict]:
    """Press Tab until the focus comes back round (or `limit`), recording each focused element."""
    seen, states = set(), []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED)
        if state is None:
            continue
        key = (state["what"], round(state["top"] + page.evaluate("window.scrollY")))
        if key in seen:
            break
        seen.add(key)
        states.append(state)
    return states


SHORT_WINDOW = {"width": 1280, "height": 480}


def test_focused_element_is_never_hidden_on_a_long_page(browser, live_server, world, user_by_role):
    """2.4.11 Focus not obscured (minimum): Tab through long pages in a short window; every focused
    element is scrolled into view, and nothing (the header, a sticky bar) covers it."""
    for number in range(30):
        ContactFactory(region=world["region"], name=f"Kontaktperson {number:02}")
    # Bootstrap scrolls smoothly unless the user asks for less motion: measure where the scroll ends.
    context = browser_context(
        browser, live_server, user_by_role[Role.MINISTRY], "sv", reduced_motion="reduce", viewport=SHORT_WINDOW
    )
    page = context.new_page()
    problems, focused = [], 0
    for path in (reverse("regions:contact_list"), reverse("forum:attendance_update", args=[world["meeting"].pk])):
        page.goto(path)
        for state in tab_through(page):
            focused += 1
            if state["covered"] or state["under_sticky"]:
                problems.append(f"{path}: covered: {state['what']}")
            if state["bottom"] <= 0 or state["top"] >= state["viewport"]:
                problems.append(f"{path}: outside the window: {state['what']}")
    context.close()
    assert problems == [], "\n".join(problems)
    assert focused > 40, "the pages were not long enough to scroll"


def test_no_script_of_the_portal_listens_for_drags():
    """2.5.7 Dragging movements: no script of the portal listens for drags or pointer moves, so every
    task is done with single clicks (or the keyboard); the page walk above finds no draggable element."""
    scripts = [path for path in STATIC.rglob("*.js") if "vendor" not in path.parts]
    assert scripts, "the portal's own scripts were not found"
    for script in scripts:
        text = script.read_text()
        for event in ("dragstart", "dragover", "drop", "pointermove", "mousemove", "touchmove"):
            assert f'"{event}"' not in text and f"'{event}'" not in text, f"{script.name} listens for {event}"


def test_what_was_typed_is_kept_after_an_error(page, live_server, world, user_by_role):
    """3.3.7 Redundant entry: a form sent back with an error keeps everything else the user typed,
    and the log-in form keeps the e-mail address after a wrong password."""
    user = UserFactory(role=Role.MINISTRY, email="maria@example.se")
    page.goto(reverse("login"))
    page.fill("#id_username", user.email)
    page.fill("#id_password", "fel lösenord")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.locator("#main .alert, #main .invalid-feedback, #main .errorlist").count() > 0
    assert page.input_value("#id_username") == user.email

    log_in(page, user.email, PASSWORD)
    page.goto(reverse("dialogues:round_create"))
    page.fill("#id_title", "Regionala utvecklingsdialoger 2040")
    page.fill("#id_focus", "Kompetensförsörjning")
    page.fill("#id_year", "")  # the one field left out
    page.locator("#main form").evaluate("(form) => form.noValidate = true")
    with page.expect_navigation():
        page.locator("#main form[method=post] button[type=submit]").last.click()
    assert page.locator("#id_year.is-invalid").count() == 1
    assert page.input_value("#id_title") == "Regionala utvecklingsdialoger 2040"
    assert page.input_value("#id_focus") == "Kompetensförsörjning"


AUTOCOMPLETE = "(selector) => document.querySelector(selector).getAttribute('autocomplete')"


def test_log_in_lets_password_managers_fill_and_paste(browser, live_server, world):
    """3.3.8 Accessible authentication (minimum): no puzzle or memory test, the fields say what they
    hold so password managers fill them (autocomplete), and pasting is allowed."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(reverse("login"))
    assert page.evaluate(AUTOCOMPLETE, "#id_username") == "username"
    assert page.evaluate(AUTOCOMPLETE, "#id_password") == "current-password"
    assert page.locator("#main input[type=password]").count() == 1  # nothing else to remember or solve
    assert page.locator("#main img, #main canvas, #main iframe").count() == 0  # no CAPTCHA

    for field, text in (("#id_username", "maria@example.se"), ("#id_password", "ett långt lösenord 123")):
        page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
        page.focus(field)
        page.keyboard.press("Control+V")
        assert page.input_value(field) == text, f"pasting into {field} was blocked"

    page.goto(reverse("password_reset"))
    assert page.evaluate(AUTOCOMPLETE, "#id_email") == "email"
    context.close()


def test_password_change_fields_tell_password_managers_what_they_hold(page, live_server, world, user_by_role):
    """3.3.8: the change-password form's old password is the current one, the new ones are new (a
    password manager offers the saved one and generates the new one)."""
    user = UserFactory(role=Role.AGENCY, email="tomas@example.se")
    log_in(page, user.email, PASSWORD)
    page.goto(reverse("password_change"))
    assert page.evaluate(AUTOCOMPLETE, "#id_old_password") == "current-password"
    assert page.evaluate(AUTOCOMPLETE, "#id_new_password1") == "new-password"
    assert page.evaluate(AUTOCOMPLETE, "#id_new_password2") == "new-password"
