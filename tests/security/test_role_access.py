"""Authorization by role, proven for every URL: each URL of the project, filled with county A's
objects, is requested (GET, then POST with the page's own form data or nothing) by a ministry
official, an agency reviewer, a regional user of county A itself and an administrator. What each
of them may do is written out below in ACCESS, one row per URL name, from the permission table in
docs/domain/MODEL.md ("Who may do what").

"allowed": answered 2xx or 3xx, and not with the log-in page. "refused": 403 or 404, and a refused
POST changes no row of the portal's tables. A method the view does not take is answered 405 (or
refused, for a role that may not use the view at all) and changes nothing either. A logged-in user
is never sent to the log-in page again.

The URL list comes from Django's resolver: a URL missing from ACCESS, or with parameters
urlwalk.KWARGS cannot fill, fails the test. Anonymous visitors and county B's users are walked
over the same URLs in test_anonymous_access.py and test_county_separation.py.

Where MODEL.md and the code part ways on purpose, the row says so: the issue that built the
feedback reports has the agency review and approve and the ministry publish (MODEL.md gives
publishing to the agency). Where MODEL.md is silent, the row notes what the portal does.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.choices import Role
from dialogues import services as dialogue_services
from dialogues.choices import RoundStatus
from dialogues.models import DialogueRound
from reports.choices import ReviewState
from reports.models import FeedbackReport
from tests.factories.accounts import UserFactory

from .urlwalk import api_headers, build_world, fingerprint, path_for, walk

M, A, R, D = Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN
E = "county editor"
# R is a regional user of county A who may submit for it (a director), E one who drafts only;
# county A's objects fill the URLs.
ROLES = (M, A, R, E, D)

# Administrators hold every right the portal's pages give (their user counts as a superuser, so
# every rule lets them), and Django's admin is theirs alone.
EVERYONE = frozenset(ROLES)
NATIONAL = frozenset({M, A, D})  # the ministry and the agency, who see and keep every county
MINISTRY = frozenset({M, D})
AGENCY = frozenset({A, D})
MINISTRY_OR_COUNTY = frozenset({M, R, E, D})
COUNTY = frozenset({R, E})  # both draft; only R submits (no URL of its own: the edit page's button)
# Who keeps accounts: the ministry every account but the administrators', a county director the
# county's own (an editor of county A fills the URLs).
MINISTRY_OR_DIRECTOR = frozenset({M, R, D})
ADMIN = frozenset({D})


@dataclass(frozen=True)
class Access:
    """Who may GET and who may POST one URL; None: the view does not take that method (405)."""

    get: frozenset | None
    post: frozenset | None
    state: object = None  # a function that puts the world in the state the URL's action needs


def page(roles, state=None):
    """A page that shows something and takes no POST."""
    return Access(get=roles, post=None, state=state)


def form(roles, state=None):
    """A page with a form: the same roles may open it and send it."""
    return Access(get=roles, post=roles, state=state)


def action(roles, state=None):
    """A button: POST only."""
    return Access(get=None, post=roles, state=state)


# --- States a URL's action needs (set before the roles' requests, on the world of county A) ---


def submitted(world):
    """County A has sent its submission: the ministry and the agency may now read it."""
    submission = world["dialogue"].submission
    dialogue_services.submission_submit(submission=submission, user=UserFactory(role=R, region=world["region"]))


def report_in_review(world):
    FeedbackReport.objects.filter(pk=world["report"].pk).update(review_state=ReviewState.IN_REVIEW)


def report_published(world):
    FeedbackReport.objects.filter(pk=world["report"].pk).update(review_state=ReviewState.PUBLISHED)


def round_in_planning(world):
    DialogueRound.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PLANNING)


ACCESS = {
    # --- Start, log-in, account and public pages ---
    "home": page(EVERYONE),
    "healthz": page(EVERYONE),
    "livez": page(EVERYONE),
    "accessibility": page(EVERYONE),
    "set_language": form(EVERYONE),  # GET without a language just goes back
    "login": form(EVERYONE),  # a logged-in user is sent on to the start page
    "logout": action(EVERYONE),
    "oidc_login": page(EVERYONE),  # a logged-in user is sent on to the start page
    "oidc_callback": page(EVERYONE),  # likewise
    "session_extend": action(EVERYONE),
    "password_change": form(EVERYONE),
    "password_change_done": page(EVERYONE),
    "password_reset": form(EVERYONE),
    "password_reset_done": page(EVERYONE),
    "password_reset_confirm": form(EVERYONE),  # an invalid link: the page says so
    "password_reset_complete": page(EVERYONE),
    "notification_settings": form(EVERYONE),  # the person's own choice, about themselves only
    # User administration and invitations (issue 18): an editor of county A is the account walked.
    "user_list": page(MINISTRY_OR_DIRECTOR),
    "user_update": form(MINISTRY_OR_DIRECTOR),
    "user_active": action(MINISTRY_OR_DIRECTOR),  # without the page's version: refused with a message
    "user_invite": form(MINISTRY_OR_DIRECTOR),
    # No log-in: the link's secret is the key (a made-up one here: the page says it is not valid).
    "invitation_accept": form(EVERYONE),
    # Two-factor authentication and sessions: each person's own, about themselves only. A session
    # that has given its code is sent on from the code step; turning it off is refused with a
    # message (not a 403) where the role requires it, and new recovery codes need an app first.
    "second_factor_verify": form(EVERYONE),
    "second_factor": page(EVERYONE),
    "totp_enrol": form(EVERYONE),
    "second_factor_disable": action(EVERYONE),
    "recovery_codes": page(EVERYONE),
    "recovery_codes_generate": action(EVERYONE),
    "recovery_codes_download": page(EVERYONE),  # back to the codes' page when none are fresh
    "sessions": page(EVERYONE),
    "session_end": action(frozenset()),  # another user's session: a 404 for everyone else
    "sessions_end_others": action(EVERYONE),
    "sessions_end_all": action(EVERYONE),  # logs the user out, like log-out
    # --- Region profiles, RUS, good examples: ministry read/write, agency read, own county
    # read/write its own. Organisations (ministries, agencies, SKL ...) are the ministry's to keep
    # (MODEL.md is silent); contacts and good examples of county A are A's to keep too.
    "regions:region_list": page(EVERYONE),
    "regions:region_detail": page(EVERYONE),
    "regions:region_update": form(MINISTRY_OR_COUNTY),
    "regions:period_create": form(MINISTRY_OR_COUNTY),
    "regions:business_support_years": form(MINISTRY),
    "regions:period_update": form(MINISTRY_OR_COUNTY),
    "regions:period_delete": form(MINISTRY_OR_COUNTY),
    "regions:strategy_create": form(MINISTRY_OR_COUNTY),
    "regions:strategy_update": form(MINISTRY_OR_COUNTY),
    "regions:strategy_stage_set": form(MINISTRY_OR_COUNTY),
    "regions:priority_create": form(MINISTRY_OR_COUNTY),
    "regions:priority_update": form(MINISTRY_OR_COUNTY),
    "regions:priority_delete": form(MINISTRY_OR_COUNTY),
    "regions:organisation_list": page(EVERYONE),
    "regions:organisation_create": form(MINISTRY),
    "regions:organisation_update": form(MINISTRY),
    "regions:organisation_delete": form(MINISTRY),
    "regions:contact_list": page(EVERYONE),
    "regions:contact_create": form(MINISTRY_OR_COUNTY),
    "regions:contact_update": form(MINISTRY_OR_COUNTY),
    # County A's contact sits in a forum: the page opens, and the removal is refused with the reason.
    "regions:contact_delete": form(MINISTRY_OR_COUNTY),
    "regions:goodexample_list": page(EVERYONE),
    "regions:goodexample_create": form(MINISTRY_OR_COUNTY),
    "regions:goodexample_update": form(MINISTRY_OR_COUNTY),
    # Following a county's RUS process (e-mail on a new stage) is for the national readers: the
    # agency, which plans when to come in, and the ministry (MODEL.md is silent).
    "regions:region_follow": action(NATIONAL),
    # --- Forum, meetings, minutes: ministry read/write, everyone else reads ---
    "forum:forum_list": page(EVERYONE),
    "forum:forum_detail": page(EVERYONE),
    "forum:forum_composition": page(EVERYONE),
    "forum:forum_ics": page(EVERYONE),
    "forum:meeting_list": page(EVERYONE),
    "forum:meeting_detail": page(EVERYONE),
    "forum:meeting_ics": page(EVERYONE),
    "forum:meeting_minutes_pdf": page(EVERYONE),  # whoever reads the meeting reads its minutes
    "forum:meeting_minutes_approve": action(MINISTRY),
    "forum:document_download": page(EVERYONE),
    "forum:forum_update": form(MINISTRY),
    "forum:forum_create": form(MINISTRY),
    "forum:membership_create": form(MINISTRY),
    "forum:membership_update": form(MINISTRY),
    "forum:meeting_create": form(MINISTRY),
    "forum:meeting_update": form(MINISTRY),
    "forum:agendaitem_create": form(MINISTRY),
    "forum:agendaitem_update": form(MINISTRY),
    "forum:agendaitem_minutes": form(MINISTRY),
    "forum:attendance_update": form(MINISTRY),
    "forum:document_upload": form(MINISTRY),
    # Each user's own secret calendar address (everyone reads the forum; the dialogues in it are
    # those the user may see).
    "portal:calendar_subscription": form(EVERYONE),
    # No log-in: the secret token in the address decides, whoever's session comes with it (an
    # unknown or stopped token is a 404: tests/portal/test_calendar_subscription.py).
    "portal:calendar_feed": page(EVERYONE),
    # The operations status page is the administrators'; /metrics answers a bearer token, never a
    # session (no token configured: the address does not exist for anyone: tests/portal/test_operations.py).
    "portal:operations": page(ADMIN),
    "metrics": page(frozenset()),
    # --- Rounds, scheduling, participants: ministry read/write, agency read, a county reads its
    # own dialogues (the round's pages show it only its own rows) ---
    "dialogues:round_list": page(EVERYONE),
    "dialogues:round_detail": page(EVERYONE),
    "dialogues:round_calendar": page(EVERYONE),
    "dialogues:round_month": page(EVERYONE),  # the calendar as a month grid: a county sees its own dialogues
    "dialogues:round_ics": page(EVERYONE),
    "dialogues:round_export_csv": page(EVERYONE),
    "dialogues:round_export_xlsx": page(EVERYONE),
    "dialogues:round_create": form(MINISTRY),
    "dialogues:round_update": form(MINISTRY),
    "dialogues:round_conclusions": form(MINISTRY),
    # A round in planning does not exist yet for a county.
    "dialogues:round_open": form(MINISTRY, state=round_in_planning),
    "dialogues:round_close": form(MINISTRY),  # the checklist, and below it the closing form
    "dialogues:dialogue_detail": page(EVERYONE),
    "dialogues:dialogue_ics": page(EVERYONE),
    "dialogues:dialogue_create": form(MINISTRY),
    "dialogues:dialogue_schedule": form(MINISTRY),
    "dialogues:dialogue_status": action(MINISTRY),
    "dialogues:search": page(EVERYONE),  # searches only what the user may see
    # A county's dialogues across the rounds: national staff every county's, a county its own only
    # (another county's list is a 404, tested in test_county_separation.py and tests/dialogues).
    "dialogues:region_dialogues": page(EVERYONE),
    # --- Submissions: the county writes while draft or returned; the ministry reads what was
    # submitted, returns and accepts; the agency reads what was submitted ---
    "dialogues:submission_edit": form(COUNTY),  # a draft: nobody else sees it at all
    "dialogues:submission_results_fetch": form(COUNTY),  # the county's own draft, as its edit page
    "dialogues:submission_detail": page(EVERYONE, state=submitted),
    "dialogues:submission_versions": page(EVERYONE, state=submitted),
    "dialogues:submission_return": form(MINISTRY, state=submitted),
    "dialogues:submission_accept": action(MINISTRY, state=submitted),
    "dialogues:submission_deadline": form(MINISTRY),  # one county's later deadline, on its dialogue
    # Files on a submission: the county adds and removes them while it may edit (here: a draft);
    # what was submitted is read by the ministry and the agency too (a draft's files they never see)
    "dialogues:submission_attachment_add": form(COUNTY),
    "dialogues:submission_attachment_remove": form(COUNTY),
    "dialogues:submission_attachment": page(EVERYONE, state=submitted),
    # --- Observations, follow-up actions: ministry read/write, agency read, the county reads
    # those shared with it (county A's observation here is not) and updates its actions' progress ---
    "dialogues:observation_matrix": page(EVERYONE),  # counts only what the user may see
    "dialogues:observation_create": form(MINISTRY),
    "dialogues:observation_update": form(MINISTRY),
    "dialogues:action_create": form(MINISTRY),
    "dialogues:action_update": form(MINISTRY_OR_COUNTY),
    # --- Briefs: agency read/write, ministry read, county none ---
    "dialogues:brief_edit": form(AGENCY),
    "dialogues:brief_final": action(AGENCY),
    "dialogues:brief_attachment_add": form(AGENCY),
    "dialogues:brief_attachment_remove": form(AGENCY),
    "dialogues:brief_attachment": page(NATIONAL),
    # --- The agency's dialogue days and joint commitments (MODEL.md: the agency's own records;
    # everyone reads the days, a county its own commitments; only the agency writes) ---
    "dialogues:dialogueday_list": page(EVERYONE),
    "dialogues:dialogueday_detail": page(EVERYONE),
    "dialogues:dialogueday_create": form(AGENCY),
    "dialogues:dialogueday_update": form(AGENCY),
    "dialogues:session_create": form(AGENCY),
    "dialogues:session_update": form(AGENCY),
    "dialogues:commitment_list": page(EVERYONE),
    "dialogues:commitment_create": form(AGENCY),
    "dialogues:commitment_update": form(AGENCY),
    # --- Feedback reports: the ministry generates and reads; the agency reviews and approves;
    # the ministry publishes (as built for the issue; MODEL.md has the agency publish); the county
    # reads its own once published. County A's report here is approved, not yet published. ---
    "reports:report_list": page(EVERYONE),  # a county sees only its published reports in it
    "reports:report_status": page(EVERYONE),
    "reports:reports_request": action(MINISTRY),
    "reports:report_regenerate": action(MINISTRY),
    "reports:report_detail": page(EVERYONE, state=report_published),
    "reports:report_download": page(EVERYONE, state=report_published),
    "reports:report_comment": action(AGENCY),
    "reports:report_approve": action(AGENCY, state=report_in_review),
    "reports:report_publish": action(MINISTRY),
    # Files on a report (the agency's analysis, the ministry's own): both add and remove them until
    # it is published; the county reads them once it is
    "reports:attachment_add": form(NATIONAL),
    "reports:attachment_remove": form(NATIONAL),
    "reports:attachment": page(EVERYONE, state=report_published),
    # The covering letters, the sender and contact person, and the answers to the reviewers'
    # comments are the ministry's; a county reads its letter only in its published report.
    "reports:letter_template": form(MINISTRY),
    "reports:letter_edit": form(MINISTRY),
    "reports:summary_letter_edit": form(MINISTRY),
    "reports:comment_resolve": action(MINISTRY),
    # --- Appropriation 1:1: ministry and agency read/write every county; the county reads its
    # own and reports its own use, co-financing and results ---
    "followup:national": page(EVERYONE),  # a county is sent on to its own figures
    "followup:trend": page(NATIONAL),
    "followup:appropriation_create": form(NATIONAL),
    "followup:template": page(EVERYONE),  # the empty import file
    "followup:export": page(EVERYONE),  # a county's export holds its own rows only
    "followup:export_all_years": page(EVERYONE),  # the same, for every year
    "followup:import": form(EVERYONE),  # a county's file may hold its own rows only
    "followup:import_confirm": action(EVERYONE),
    # Every county's frames and conditions from one file: the ministry, which decides them (issue 15).
    "followup:frames_import": form(MINISTRY),
    "followup:frames_import_confirm": action(MINISTRY),
    "followup:frames_template": page(MINISTRY),  # holds every county's conditions
    "followup:cofinancing_import": form(EVERYONE),  # a county's file may hold its own rows only
    "followup:cofinancing_import_confirm": action(EVERYONE),
    "followup:cofinancing_template": page(EVERYONE),
    "followup:results_import": form(EVERYONE),  # a county's file may hold its own rows only
    "followup:results_import_confirm": action(EVERYONE),
    "followup:results_template": page(EVERYONE),
    "followup:region": page(EVERYONE),
    "followup:allocation_detail": page(EVERYONE),
    "followup:allocation_update": form(NATIONAL),  # frame and conditions
    "followup:expenditure_report": form(EVERYONE),
    "followup:cofinancing_report": form(EVERYONE),
    "followup:result_report": form(EVERYONE),
    # --- The register of official documents (records, issue 17): the ministry's registrars and the
    # administrators only; these walkers' ministry user is not a registrar, so it is refused like the
    # agency and the county (registrars: tests/records/test_views.py) ---
    "records:record_list": page(ADMIN),
    "records:record_detail": page(ADMIN),
    "records:record_pdf": page(ADMIN),
    "records:record_number": form(ADMIN),  # a number the portal gave: the form says it cannot change
    "records:secrecy_mark": form(ADMIN),
    "records:secrecy_lift": action(ADMIN),
    # Access requests and release bundles (TF 2 kap.): the registrar's too. The bundle of the
    # world's decided request withholds its one, secret-marked document.
    "records:request_list": page(ADMIN),
    "records:request_create": form(ADMIN),  # an empty form: the page says what is missing
    "records:request_detail": page(ADMIN),
    "records:request_add": form(ADMIN),
    "records:request_remove": action(ADMIN),
    "records:request_decisions": form(ADMIN),
    "records:request_decide": action(ADMIN),
    "records:request_bundle": page(ADMIN),
    "records:observation_secrecy": form(ADMIN),  # from the dialogue page's observation list
    # Retention and disposal (arkivlagen 10 §): the dry-run page and the administrator's run.
    "records:disposal": page(ADMIN),
    "records:disposal_run": action(ADMIN),
    # Archive packages of closed rounds (arkivlagen): the registrar's; a 404 for everyone else.
    "records:archive_list": page(ADMIN),
    "records:archive_create": action(ADMIN),  # the world's round is open: refused with a message
    "records:archive_download": page(ADMIN),
    # --- The read-only API (/api/v1/): a token sees what its account sees on the pages; nothing
    # is written through it (POST: 405). The schema and the open data need no token.
    "api:schema": page(EVERYONE),
    "api:open_figures_json": page(EVERYONE),
    "api:open_figures_csv": page(EVERYONE),
    "api:region_list": page(EVERYONE),
    "api:region_detail": page(EVERYONE),
    "api:round_list": page(EVERYONE),  # a county's token sees its own dialogues in the calendar
    "api:report_list": page(EVERYONE),  # a county's token: its own published reports and the summaries
    "api:report_detail": page(EVERYONE, state=report_published),
    "api:report_pdf": page(EVERYONE, state=report_published),
    "api:frame_list": page(EVERYONE),  # a county's token: its own figures only
    "api:use_list": page(EVERYONE),
    "api:cofinancing_list": page(EVERYONE),
    # --- Django's admin: administrators only (every admin URL: test_admin_site_* below) ---
    "admin:index": form(ADMIN),
}

ALLOWED, REFUSED, NOT_TAKEN = "allowed", "refused", "405"


def _asks_to_log_in(response) -> bool:
    """The portal's log-in redirect (LoginRequiredMiddleware's, with ?next=)."""
    if response.status_code != 302:
        return False
    location = urlparse(response["Location"])
    return location.path == reverse("login") and "next" in parse_qs(location.query)


def _outcome(response) -> str:
    status = response.status_code
    if _asks_to_log_in(response):
        return "the log-in page"
    if status in (403, 404):
        return REFUSED
    if status == 302 and urlparse(response["Location"]).path == reverse("admin:login"):
        return REFUSED  # Django's admin sends a user without admin rights to its log-in page
    if status == 405:
        return NOT_TAKEN
    if 200 <= status < 400:
        return ALLOWED
    return str(status)


def _expected(access: Access, method: str, role) -> set[str]:
    roles = access.get if method == "GET" else access.post
    if roles is not None:
        return {ALLOWED} if role in roles else {REFUSED}
    # The view does not take this method: 405 for those who may use it, 405 or refused for others.
    other = access.post if method == "GET" else access.get
    return {NOT_TAKEN} if role in (other or ()) else {NOT_TAKEN, REFUSED}


def _form_data(response) -> dict:
    """What the page's own form would send back unchanged (nothing if there is no form)."""
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return {form.add_prefix(k): v for k, v in form.initial.items() if v is not None} if form else {}


def _close(response):
    # Read a download to its end; response.close() would fire request_finished, which closes the
    # test's database connection.
    if response.streaming:
        b"".join(response.streaming_content)


def _clients(user_by_role) -> dict:
    clients = {}
    for role in ROLES:
        clients[role] = Client(**api_headers(user_by_role[role]))  # the API takes a token, never the session
        clients[role].force_login(user_by_role[role])
    return clients


def _urls():
    for name, route, _ in walk(get_resolver()):
        yield pytest.param(name, route, id=name or route)


@pytest.fixture
def world(region_a, region_b):
    return build_world(region_a, region_b)


@pytest.fixture
def walkers(user_by_role, region_a):
    """A user of each role, and an editor of county A."""
    from accounts.choices import CountyRole

    editor = UserFactory(role=R, region=region_a, county_role=CountyRole.EDITOR, full_name="Erik Editor")
    return {**user_by_role, E: editor}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), list(_urls()))
def test_url_answers_each_role_as_the_permission_table_says(world, walkers, name, route):
    if name not in ACCESS:
        pytest.fail(f"{name} ({route}) is not in ACCESS: say who may GET and POST it")
    access = ACCESS[name]
    path = path_for(name, route, world)
    if access.state:
        access.state(world)
    clients = _clients(walkers)

    problems = []
    for role in ROLES:
        client = clients[role]
        # Each role meets the same world: what an allowed request changed is rolled back.
        with transaction.atomic():
            page_response = client.get(path)
            got, expected = _outcome(page_response), _expected(access, "GET", role)
            if got not in expected:
                problems.append(f"GET as {role}: {got} ({page_response.status_code}), expected {expected}")
            data = _form_data(page_response)
            _close(page_response)

            expected = _expected(access, "POST", role)
            before = fingerprint() if ALLOWED not in expected else None
            response = client.post(path, data)
            got = _outcome(response)
            if got not in expected:
                problems.append(f"POST as {role}: {got} ({response.status_code}), expected {expected}")
            _close(response)
            if before is not None and fingerprint() != before:
                problems.append(f"POST as {role} should have been refused, yet it changed the database")
            transaction.set_rollback(True)
    assert problems == [], f"{path}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_fingerprint_sees_a_changed_row(world):
    before = fingerprint()
    world["contact"].title = "Ändrad"
    world["contact"].save()
    assert fingerprint() != before


def test_every_row_of_the_table_is_a_url_of_the_project():
    names = {name for name, _, _ in walk(get_resolver())}
    assert set(ACCESS) - names == set(), "rows for URLs that no longer exist"


# --- Django's admin: every URL of it, for every role --------------------------------------------


CATCH_ALL = "(?P<url>.*)$"  # the admin's answer to any other URL under /admin/


def _admin_urls(resolver: URLResolver, prefix: str = "", model=None):
    """(name, route, model) of every pattern of the admin site; `model` for a ModelAdmin's URLs."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            app_label, _, model_name = str(entry.pattern).strip("/").partition("/")
            yield from _admin_urls(entry, prefix + str(entry.pattern), apps.get_model(app_label, model_name))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern), model


def _admin_path(name, route, model, world) -> str:
    """The admin URL filled with a real object of its model (or of a county for the shortcut)."""
    if "(?P<" in route:  # re_path()
        if name == "app_list":
            return reverse("admin:app_list", kwargs={"app_label": "regions"})
        if route == CATCH_ALL:
            return "/admin/ingen-sadan-sida/"
        pytest.fail(f"admin pattern {route} ({name}) cannot be filled: add it to _admin_path")
    values = {}
    if model is not None:
        obj = model._default_manager.order_by("pk").first()
        values["object_id"] = values["id"] = str(obj.pk) if obj else "0"
    if name == "view_on_site":
        region = world["region"]
        values = {"content_type_id": ContentType.objects.get_for_model(region).pk, "object_id": region.pk}
    filled = route
    for key, value in values.items():
        filled = filled.replace(f"<path:{key}>", str(value)).replace(f"<{key}>", str(value))
    assert "<" not in filled, f"admin pattern {route} ({name}) has parameters _admin_path cannot fill"
    path = "/admin/" + filled
    resolve(path)  # the filled URL reaches the same admin
    return path


def _admin_expected_for_administrator(name, route) -> set[str]:
    if name == "logout":
        return {NOT_TAKEN}  # log-out takes POST only
    if route == CATCH_ALL:
        return {REFUSED}  # no such admin page
    if name == "autocomplete" or (name or "").endswith(("_add", "_delete")):
        return {ALLOWED, REFUSED}  # records kept read-only in the admin (the audit log, the outbox ...)
    return {ALLOWED}


def _refused_by_admin_site(name, response) -> bool:
    if _outcome(response) == REFUSED:
        return True
    # The admin's log-out sends a non-administrator to the admin's index, which sends them on to log in.
    return name == "logout" and response.status_code == 302 and response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_admin_site_is_for_administrators_only(world, walkers):
    """Every URL of Django's admin: a non-administrator is sent to the admin's log-in page (which
    tells them they lack access) and changes nothing with a POST; an administrator gets in."""
    admin_resolver = next(e for e in get_resolver().url_patterns if getattr(e, "namespace", None) == "admin")
    urls = [(name, route, _admin_path(name, route, model, world)) for name, route, model in _admin_urls(admin_resolver)]
    # the admin's log-in page is open to every visitor, like the portal's
    urls = [(name, route, path) for name, route, path in urls if name != "login"]
    assert len(urls) > 5 * len(admin.site._registry)
    clients = _clients(walkers)

    problems = []
    before = fingerprint()
    for name, _route, path in urls:
        for role in (M, A, R, E):
            for method in ("GET", "POST"):
                response = clients[role].generic(method, path)
                if not _refused_by_admin_site(name, response):
                    problems.append(f"{method} {path} as {role}: {response.status_code}")
                _close(response)
    if fingerprint() != before:
        problems.append("a non-administrator's request to the admin changed the database")

    for name, route, path in urls:
        with transaction.atomic():
            response = clients[D].get(path)
            got, expected = _outcome(response), _admin_expected_for_administrator(name, route)
            if got not in expected:
                problems.append(f"GET {path} as admin: {got} ({response.status_code}), expected {expected}")
            _close(response)
            transaction.set_rollback(True)
    assert problems == [], "\n".join(problems)
