"""WCAG 2.2 AA on every page, for every role, in both languages (issue 21).

The journeys check the pages they happen to visit; this sweep checks all of them. It walks Django's
URL resolver the way the security walkers do (tests/security/urlwalk.py: the same world of county
A's objects, the same KWARGS), and asks the role table of tests/security/test_role_access.py who may
open each page. Every page a role may GET is loaded in Chromium, in Swedish and in English, and
axe-core runs on it with the WCAG 2.0, 2.1 and 2.2 A/AA rules: zero violations. A new page is
covered without being listed; a page a role may open but that does not open (not 200) fails.

Not pages, so not checked here: downloads (anything that is not text/html: PDF, CSV, XLSX, .ics,
the JSON health checks) and htmx fragments (HTML without an <html> element), which are checked
inside the page that loads them after the update. Django's own admin is outside the portal's
templates (the accessibility statement says so).

Besides each page as it opens: the page after its htmx update, every form page submitted empty
with its errors shown, and the pages again over the demo data (long tables, full charts).

Time, 2026-12-06: this file and test_wcag22.py (24 tests, several hundred pages each run through axe)
took 7 min 28 s with two pytest-xdist workers on the 2-core machine while other test runs kept its
load average near 9; the longest test (the administrator's sweep) 97 s. `pytest --durations=30`.
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from accounts.choices import Role
from accounts.models import User
from dialogues.choices import RoundStatus
from dialogues.models import DialogueDay, DialogueRound, FollowUpAction, JointCommitment, Observation, Session
from forum.models import AgendaItem, Forum, Meeting, MeetingDocument, Membership
from regions.models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    ResponsibilityPeriod,
    StrategyPriority,
)
from reports.models import FeedbackReport
from tests.security.test_anonymous_access import PUBLIC_URL_NAMES
from tests.security.test_role_access import ACCESS, round_in_planning
from tests.security.urlwalk import path_for, walk

from .conftest import axe_violations
from .test_role_journeys import demo  # noqa: F401 - a fixture: the demo data loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMOUS = "anonymous"
ROLES = (Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN, ANONYMOUS)
LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}
NOT_SWEPT = {"admin:index"}  # Django's own admin: not the portal's templates
# Single sign-on's redirects (to the provider, back to the log-in page): no pages of their own; the
# log-in page with its buttons is swept below.
NOT_SWEPT |= {"oidc_login", "oidc_callback"}
# The JSON API (/api/v1/): no pages, and a token rather than the browser's session opens it.
NOT_SWEPT |= {name for name, _route, _ in walk(get_resolver()) if (name or "").startswith("api:")}


def pages_for(role, world) -> list[tuple[str, str, object]]:
    """(url name, path, state) of every page `role` may GET, those that need no state first.

    A state (a sent submission, a published report, a round in planning) is what a URL's page
    needs; the states are applied one after the other, so each group is visited in the state
    its pages need, after every page that needs none.
    """
    stateless, stateful = [], []
    for name, route, _ in walk(get_resolver()):
        if name in NOT_SWEPT:
            continue
        if name not in ACCESS:
            pytest.fail(f"{name} ({route}) is not in tests/security/test_role_access.ACCESS")
        access = ACCESS[name]
        if role == ANONYMOUS:
            if name not in PUBLIC_URL_NAMES:
                continue
        elif access.get is None or role not in access.get:
            continue
        entry = (name, path_for(name, route, world), access.state)
        (stateful if access.state else stateless).append(entry)
    order = []
    for *_, state in stateful:
        if state not in order:
            order.append(state)
    # A round taken back to planning no longer takes submissions: that state comes last.
    order.sort(key=lambda state: state is round_in_planning)
    return stateless + sorted(stateful, key=lambda entry: order.index(entry[2]))


def browser_context(browser, live_server, user, language: str, **options):
    """A context in `language` (the portal follows Accept-Language until the user picks one),
    logged in as `user` (a session made by Django's test client; no log-in form per context)."""
    context = browser.new_context(base_url=live_server.url, locale=LANGUAGES[language], bypass_csp=True, **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def is_page(response) -> bool:
    """An HTML document: not a download (by content type) and not an htmx fragment."""
    if not response.headers.get("content-type", "").startswith("text/html"):
        return False
    return "<html" in response.text()[:2000].lower()


def sweep(page, pages, world, label: str, *, must_open: bool = True) -> tuple[list[str], int]:
    """Open each page and run axe: the problems found, and how many pages were checked. A page
    that does not open (not 200) is a problem, unless `must_open` is off."""
    problems, checked, applied = [], 0, set()
    for name, path, state in pages:
        if state is not None and state not in applied:
            state(world)
            applied.add(state)
        response = page.context.request.get(path)
        if response.status != 200:
            if must_open:
                problems.append(f"{label} {name} {path}: answered {response.status}")
            continue
        if not is_page(response):
            continue
        page.goto(path)
        checked += 1
        problems += [f"{label} {name} {page.url}: {v}" for v in axe_violations(page)]
    return problems, checked


# Every role in both languages; the administrator's pages are the ministry's with an administration
# link more in the menu, so once (in Swedish) is enough for them.
SWEEPS = [(role, language) for role in ROLES for language in LANGUAGES if role != Role.ADMIN or language == "sv"]


@pytest.mark.parametrize(("role", "language"), SWEEPS)
def test_every_page_a_role_may_open_meets_wcag22_aa(browser, live_server, world, user_by_role, role, language):
    user = None if role == ANONYMOUS else user_by_role[role]
    pages = pages_for(role, world)
    context = browser_context(browser, live_server, user, language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        problems, checked = sweep(page, pages, world, f"[{role} {language}]")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert checked >= (4 if role == ANONYMOUS else 30), f"only {checked} pages checked"


def test_sweep_sees_what_axe_finds(browser, live_server, world, user_by_role):
    """The check is not blind: Bootstrap's link blue on its light grey (the month calendar's fault
    before this issue) and two small buttons side by side are found on an otherwise clean page."""
    context = browser_context(browser, live_server, user_by_role[Role.MINISTRY], "sv")
    page = context.new_page()
    page.goto(reverse("home"))
    assert axe_violations(page) == []
    page.evaluate("""() => {
        const main = document.getElementById('main');
        main.insertAdjacentHTML('beforeend',
            '<p style="background:#f8f9fa"><a href="#" style="color:#0d6efd">Kalmar län</a></p>'
            + '<p><button style="width:16px;height:16px;padding:0">a</button>'
            + '<button style="width:16px;height:16px;padding:0">b</button></p>');
    }""")
    found = "\n".join(axe_violations(page))
    context.close()
    assert "color-contrast" in found and "4.26" in found
    assert "target-size" in found


def test_round_page_after_its_htmx_update_meets_wcag22_aa(browser, live_server, world, user_by_role):
    """The round page of a closed round loads its report table with htmx: checked once swapped."""
    DialogueRound.objects.filter(pk=world["round"].pk).update(status=RoundStatus.CLOSED)
    problems = []
    for language in LANGUAGES:
        for role in (Role.MINISTRY, Role.REGION):
            context = browser_context(browser, live_server, user_by_role[role], language)
            page = context.new_page()
            page.goto(reverse("dialogues:round_detail", args=[world["round"].pk]))
            page.locator("#report-rows table").wait_for()
            page.wait_for_load_state("networkidle")
            problems += [f"[{role} {language}] round page after htmx: {v}" for v in axe_violations(page)]
            context.close()
    assert problems == [], "\n".join(problems)


# Empties every field the user fills in (hidden fields, such as the version of the record, stay),
# and turns the browser's own checks off, so the server's error messages come back.
EMPTY_FORM = """(form) => {
    form.noValidate = true;
    for (const field of form.elements) {
        if (field.type === 'hidden' || field.type === 'submit' || field.type === 'button') continue;
        if (field.type === 'checkbox') field.checked = false;
        else if (field.tagName === 'SELECT') {
            const empty = [...field.options].findIndex((option) => option.value === '');
            if (empty >= 0) field.selectedIndex = empty;
        } else if (field.type !== 'radio' && field.type !== 'file') field.value = '';
    }
}"""
MAIN_FORM = "#main form[method=post]:has([required])"
ERRORS = "#main .is-invalid, #main .invalid-feedback, #main .errorlist, #main .alert-danger"
# The county's draft is sent (and the round taken back to planning) by states the ministry's pages
# need: the county's pages come first.
FORM_ROLES = (Role.REGION, Role.AGENCY, ANONYMOUS, Role.MINISTRY, Role.ADMIN)


def form_pages(world) -> list[tuple[object, str, str, object]]:
    """(role, url name, path, state) of every form page, each once, for the first role that may send it."""
    taken, pages = set(), []
    for role in FORM_ROLES:
        for name, path, state in pages_for(role, world):
            access = ACCESS[name]
            may_post = role == ANONYMOUS or (access.post is not None and role in access.post)
            if name in taken or access.post is None or not may_post:
                continue
            taken.add(name)
            pages.append((role, name, path, state))
    return pages


def test_every_form_page_with_its_errors_shown_meets_wcag22_aa(browser, live_server, world, user_by_role):
    """Each form page sent empty (in Swedish), by a role that may send it: the page that comes back
    with its error messages has no violation. A page without a required field (a confirmation, a
    button) has no errors to show and is left alone: sending it would change the world."""
    problems, checked, applied, contexts = [], 0, set(), {}
    try:
        for role, name, path, state in form_pages(world):
            if role not in contexts:
                user = None if role == ANONYMOUS else user_by_role[role]
                contexts[role] = browser_context(browser, live_server, user, "sv").new_page()
            page = contexts[role]
            if state is not None and state not in applied:
                state(world)
                applied.add(state)
            response = page.context.request.get(path)
            if response.status != 200 or not is_page(response):
                continue
            page.goto(path)
            form = page.locator(MAIN_FORM)
            if form.count() == 0:
                continue
            form.first.evaluate(EMPTY_FORM)
            with page.expect_navigation():
                form.first.locator("button[type=submit], input[type=submit]").last.click()
            if page.locator(ERRORS).count() == 0:
                problems.append(f"[{role}] {name} {path}: sent empty, no error is shown ({page.url})")
                continue
            checked += 1
            problems += [f"[{role}] {name} {page.url} with errors: {v}" for v in axe_violations(page)]
    finally:
        for page in contexts.values():
            page.context.close()
    assert problems == [], "\n".join(problems)
    assert checked >= 30, f"only {checked} forms were sent"


def demo_world() -> dict:
    """The walkers' world taken from the demo data: its Kalmar, its oldest round and Kalmar's
    dialogue in it, the first of each of the other objects (long tables, 21 counties, full charts).
    An object the demo lacks stays out, and so do the pages it fills (the factory world has them)."""
    kalmar = Region.objects.get(code="08")
    round_ = DialogueRound.objects.order_by("year").first()
    dialogue = round_.dialogues.filter(region=kalmar).first()
    first = {
        "region": kalmar,
        "round": round_,
        "dialogue": dialogue,
        "observation": Observation.objects.filter(dialogue=dialogue),
        "action": FollowUpAction.objects.filter(dialogue=dialogue),
        "strategy": RegionalStrategy.objects.filter(region=kalmar),
        "priority": StrategyPriority.objects.filter(strategy__region=kalmar),
        "period": ResponsibilityPeriod.objects.filter(region=kalmar),
        "organisation": Organisation.objects.filter(region=kalmar),
        "contact": Contact.objects.filter(region=kalmar),
        "good_example": GoodExample.objects.filter(region=kalmar),
        "forum": Forum.objects.all(),
        "membership": Membership.objects.filter(region=kalmar),
        "meeting": Meeting.objects.all(),
        "agenda_item": AgendaItem.objects.all(),
        "document": MeetingDocument.objects.all(),
        "day": DialogueDay.objects.all(),
        "session": Session.objects.all(),
        "report": FeedbackReport.objects.filter(region=kalmar),
        "commitment": JointCommitment.objects.filter(region=kalmar),
    }
    world = {}
    for key, found in first.items():
        if hasattr(found, "order_by"):
            found = found.order_by("pk").first()
        if found is not None:
            world[key] = found
    return world


def demo_pages(role, world) -> list[tuple[str, str, object]]:
    """The stateless pages of `role` whose parameters the demo world can fill."""
    pages = []
    for name, route, _ in walk(get_resolver()):
        access = ACCESS.get(name)
        if name in NOT_SWEPT or access is None or access.state or access.get is None or role not in access.get:
            continue
        try:
            pages.append((name, path_for(name, route, world), None))
        except KeyError:
            continue  # an object the demo does not have
    return pages


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("email", ("departementet@demo.test", "kalmar@demo.test"))
def test_demo_pages_meet_wcag22_aa(browser, live_server, email):
    """The stateless pages again over the demo data, where the tables are long and the charts full
    (the ministry's and Kalmar's, in Swedish)."""
    user = User.objects.get(email=email)
    world = demo_world()
    pages = demo_pages(user.role, world)
    context = browser_context(browser, live_server, user, "sv")
    page = context.new_page()
    try:
        # The URLs' 1:1 year is the factory world's, which the demo has no figures for; whether each
        # page opens is proven over the factory world above.
        problems, checked = sweep(page, pages, world, f"[demo {user.role}]", must_open=False)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
    assert checked >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_page_with_single_sign_on_buttons_meets_wcag22_aa(browser, live_server, settings, language):
    """The log-in page as it is with single sign-on configured: one button per provider."""
    provider = {"issuer": "https://login.example.se", "client_id": "portal", "client_secret": "x", "discovery_url": ""}
    settings.OIDC_PROVIDERS = [
        {**provider, "slug": "ministry", "name": "Regeringskansliet", "scope": "openid email"},
        {**provider, "slug": "kalmar", "name": "Region Kalmar län", "scope": "openid email"},
    ]
    context = browser_context(browser, live_server, None, language)
    page = context.new_page()
    try:
        page.goto(reverse("login"))
        buttons = page.locator("a[href*='/logga-in/sso/']")
        assert buttons.count() == 2
        assert "Region Kalmar län" in buttons.nth(1).inner_text()
        problems = axe_violations(page)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_invitation_page_and_the_editors_submission_form_meet_wcag22_aa(browser, live_server, world, user_by_role):
    """The pages the walkers reach only with a made-up secret or as a director: the invitation page
    with a valid link (as it opens, and sent empty with its errors) and a county editor's
    submission form (no submit button, whom to ask instead), in both languages."""
    from accounts.choices import CountyRole
    from accounts.invitations import invitation_send
    from core.models import OutgoingMail

    problems = []
    for language in LANGUAGES:
        email = f"a11y-{language}@example.test"
        invitation_send(inviter=user_by_role[Role.MINISTRY], email=email, role=Role.AGENCY)
        link = OutgoingMail.objects.filter(recipient=email).latest("pk").body
        path = link[link.index("/konto/inbjudan/") :].split()[0]
        context = browser_context(browser, live_server, None, language)
        page = context.new_page()
        page.goto(path)
        problems += [f"[{language}] invitation page: {v}" for v in axe_violations(page)]
        page.locator(MAIN_FORM).first.evaluate(EMPTY_FORM)
        with page.expect_navigation():
            page.locator(MAIN_FORM).first.locator("button[type=submit]").click()
        assert page.locator(ERRORS).count() > 0
        problems += [f"[{language}] invitation page with errors: {v}" for v in axe_violations(page)]
        context.close()

        editor = world["county_editor"]
        assert editor.county_role == CountyRole.EDITOR
        context = browser_context(browser, live_server, editor, language)
        page = context.new_page()
        page.goto(reverse("dialogues:submission_edit", args=[world["dialogue"].pk]))
        assert page.locator("#submit-explanation").count() == 1
        problems += [f"[{language}] editor's submission form: {v}" for v in axe_violations(page)]
        context.close()
    assert problems == [], "\n".join(problems)
