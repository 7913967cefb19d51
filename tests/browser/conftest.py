"""Real-browser tests: Debian's Chromium, headless, driven by Playwright against the live server."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from dialogues.models import Dialogue
from tests.security.urlwalk import YEAR, build_world

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still
# ordinary synchronous calls made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core 4.5 and later put target-size under wcag22aa).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _user_kept(settings):
    """The journeys run with the logged-in user kept between requests, as production does."""
    settings.USER_CACHE_SECONDS = 60


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: apt-get install chromium (the CI script does it).")
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the portal's own pages never need it.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Every journey also checks that the pages log no error in the console and throw nothing. A page
    # a test opens on purpose to see it refused (403, 404) is the one "failed resource" allowed.
    errors: list[str] = []
    refused_pages: set[str] = set()
    page.on("response", lambda response: _note_refused_page(refused_pages, response))
    page.on("console", lambda message: _note_console_error(errors, refused_pages, message))
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    yield page
    context.close()
    if errors:
        pytest.fail("Errors in the browser console:\n" + "\n".join(errors), pytrace=False)


def _note_refused_page(refused_pages: set[str], response) -> None:
    if response.status >= 400 and response.request.resource_type == "document":
        refused_pages.add(response.url)


def _note_console_error(errors: list[str], refused_pages: set[str], message) -> None:
    if message.type != "error":
        return
    url = (message.location or {}).get("url", "")
    if message.text.startswith("Failed to load resource") and url in refused_pages:
        return
    errors.append(f"console: {message.text} ({url}:{(message.location or {}).get('lineNumber', '')})")


def axe_violations(page) -> list[str]:
    """Run axe-core in the page with the WCAG 2.2 A and AA rules: one line per violated rule."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:3])
        for v in result["violations"]
    ]


@pytest.fixture
def world(region_a, region_b):
    """The walkers' world, with its two dialogues in the calendar: county A's on the last day of
    March, county B's two days later, so the month grid shows a dialogue on a day of another month."""
    world = build_world(region_a, region_b)
    start = datetime.datetime(YEAR, 3, 31, 9, tzinfo=datetime.UTC)
    for offset, region in enumerate((region_a, region_b)):
        day = start + datetime.timedelta(days=2 * offset)
        Dialogue.objects.filter(round=world["round"], region=region).update(
            start=day, end=day + datetime.timedelta(hours=3)
        )
    return world


def assert_accessible(page, label: str) -> None:
    """Run axe-core in the page: no WCAG 2.2 (2.0, 2.1) A or AA violation is allowed."""
    violations = axe_violations(page)
    assert violations == [], f"{label}: " + "\n".join(violations)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def docs_screenshot(page, name: str, *, full_page: bool = False) -> None:
    """A screenshot for the README: in test-artifacts/ on every run, and into docs/screenshots/
    (tracked files) only when asked for with UPDATE_DOCS_SCREENSHOTS=1, so a test run never
    changes the checkout."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"), full_page=full_page)


def log_in(page, email: str, password: str) -> None:
    """Log in the way a keyboard user does: the e-mail field has focus, Tab, Enter. An account that
    gives a second factor (accounts.mfa) gets an authenticator and a fresh recovery code first, and
    types the code at the code step (test_second_factor_journey.py types real app codes)."""
    from accounts import mfa
    from accounts.models import User
    from tests.helpers import recovery_code_for

    user = User.objects.filter(email=email.strip().lower()).first()
    code = recovery_code_for(user) if user is not None and mfa.second_factor_mandatory(user) else None
    page.goto("/konto/logga-in/")
    # The page gives the e-mail field focus when it has loaded; typing before that (a busy machine
    # running two browsers) would lose the first keys.
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if code is not None and "/konto/logga-in/kod/" in page.url:
        page.locator("details summary").click()
        page.locator("input[name=recovery_code]").fill(code)
        with page.expect_navigation():
            page.locator("input[name=recovery_code]").press("Enter")
