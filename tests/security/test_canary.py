"""Canaries in every derived output (issue 13).

County A's unpublished and unshared material gets a unique marker in every free-text field (found
by introspecting the models, so a new model or field is covered without being listed here). Then
everything county B's user can receive is collected; so is everything national staff (the agency
and the ministry) can receive while the county has not sent its edits, and everything A's own user
can receive. Collected are: every URL of the resolver filled with A's objects (as in
test_county_separation.py; the API's with a token of the user's account), the pages those link
to, what the pages load through htmx (with htmx's header), the search for every marker, the CSV,
XLSX and .ics exports, every e-mail in the outbox addressed to the user and the text of every
report PDF they may download after the round's reports were generated and published. No marker
may reach a user who may not learn of it.

For counts and aggregates, a second test (test_canary_counts.py) compares county B's view of every page and report with
and without A's unshared observations: after removing tokens and times they are byte-identical.
So is county A's own view: the ministry's unshared notes on it are counted nowhere it reads.
"""

import difflib
import io
import re
import subprocess
from collections import deque
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core import mail
from django.core.files.base import ContentFile
from django.db import models
from django.test import TestCase, override_settings
from django.urls import get_resolver, reverse

from accounts.choices import CountyRole, Role
from core.models import Attachment, OutgoingMail
from dialogues import services
from dialogues.choices import EDITABLE_SUBMISSION_STATUSES, ObservationCategory
from dialogues.models import Brief, Submission, SubmissionPriority, SubmissionResult
from regions.models import Region
from reports import services as report_services
from reports.models import FeedbackReport, ReportComment
from reports.rendering import report_pdf
from reports.selectors import reports_visible_to
from tests.conftest import make_region_a, make_region_b, make_users
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import ObservationFactory

from .urlwalk import api_headers, build_world, path_for, walk

pytestmark = pytest.mark.django_db

# What every county reads by the permission table (docs: domain model, "Who may do what"): county
# profiles, strategies, contacts, good examples and the forum; and the users themselves. Everything
# else of county A's (dialogues, submissions, observations, reports, 1:1 figures, commitments, and
# whatever a new app adds) does not exist for county B.
READ_BY_EVERY_COUNTY = {"regions", "forum", "accounts"}
# The ministry's own words to the county when it returns a submission: national staff read them.
READ_BY_NATIONAL_STAFF = {
    ("dialogues", "Submission", "return_comment"),
    ("dialogues", "Submission", "deadline_extension_reason"),  # the ministry's reason for a county's extension
}
# The published round summary names the shared observations of every county (success factors and
# good examples) by their heading: that is where the ministry publishes them.
NAMED_IN_ROUND_SUMMARY = {("dialogues", "Observation", "title")}
# What county A itself never learns of its own material (the permission table): the agency's briefs,
# the ministry's unshared observations and the reviewers' comments on its reports.
HIDDEN_FROM_THE_OWN_COUNTY = {
    "dialogues.Brief": lambda obj: True,
    "core.Attachment": lambda obj: isinstance(obj.parent, Brief),  # the files of the agency's brief
    "dialogues.Observation": lambda obj: not obj.shared_with_region,
    "reports.ReportComment": lambda obj: True,
}
# Crawling stops after this many pages (links followed one step from the walked URLs).
PAGE_LIMIT = 700
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/")


def _project_models() -> list[type[models.Model]]:
    base = Path(settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and ".venv" not in Path(config.path).parts
        for model in config.get_models()
    ]


def _free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and not field.primary_key
        and not isinstance(field, (models.SlugField, models.EmailField))
        and (field.max_length is None or field.max_length >= 12)
    ]


def _sent_with_a_version(obj) -> bool:
    """A file that went in with a submitted version of a submission: national staff read it, and no
    later edit of the county changes it (a file is never edited, only removed while unsent)."""
    if not isinstance(obj, Attachment) or not isinstance(obj.parent, Submission):
        return False
    return obj.parent.submitted_at is not None and obj.uploaded_at <= obj.parent.submitted_at


def _ancestors(obj, seen=None) -> list[models.Model]:
    """`obj` and every object its foreign keys (generic ones too: an attachment's parent) lead to, transitively."""
    seen = seen if seen is not None else set()
    key = (obj._meta.label, obj.pk)
    if key in seen:
        return []
    seen.add(key)
    found = [obj]
    for field in obj._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            target = getattr(obj, field.name, None)
            if isinstance(target, models.Model):
                found += _ancestors(target, seen)
    for field in obj._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            target = getattr(obj, field.name, None)
            if isinstance(target, models.Model):
                found += _ancestors(target, seen)
    return found


class Canaries:
    """The markers planted, and what each stands for."""

    def __init__(self):
        self.labels: dict[str, str] = {}
        self.for_county_b: set[str] = set()
        self.for_agency: set[str] = set()
        self.for_county_a: set[str] = set()
        self.in_round_summary: set[str] = set()

    def new(self, label: str, *, county_b: bool = True, agency: bool = False, county_a: bool = False) -> str:
        marker = f"KNRY{len(self.labels):04d}X"
        self.labels[marker] = label
        if county_a:
            self.for_county_a.add(marker)
        if county_b:
            self.for_county_b.add(marker)
        if agency:
            self.for_agency.add(marker)
        return marker

    def plant(self, region_a: Region) -> None:
        """A marker in every free-text field of every object of county A's that county B must not
        learn of (and, for national staff, of the county's unsent submission: a draft, or a returned
        one edited again)."""
        for model in _project_models():
            fields = _free_text_fields(model)
            if not fields:
                continue
            for obj in model._default_manager.all():
                chain = _ancestors(obj)
                of_a = any(isinstance(o, Region) and o.pk == region_a.pk for o in chain)
                if not of_a:
                    continue
                private_b = model._meta.app_label not in READ_BY_EVERY_COUNTY
                unsent = any(isinstance(o, Submission) and o.status in EDITABLE_SUBMISSION_STATUSES for o in chain)
                values = {}
                for field in fields:
                    if getattr(obj, field.attname) in self.labels:
                        continue
                    key = (model._meta.app_label, model.__name__, field.name)
                    agency = unsent and key not in READ_BY_NATIONAL_STAFF and not _sent_with_a_version(obj)
                    if not (private_b or agency):
                        continue
                    label = f"{model._meta.label}.{field.name} #{obj.pk}"
                    hidden_from_a = HIDDEN_FROM_THE_OWN_COUNTY.get(model._meta.label, lambda obj: False)(obj)
                    values[field.attname] = marker = self.new(
                        label, county_b=private_b, agency=agency, county_a=hidden_from_a
                    )
                    if key in NAMED_IN_ROUND_SUMMARY and getattr(obj, "shared_with_region", False):
                        self.in_round_summary.add(marker)
                if values:
                    model._default_manager.filter(pk=obj.pk).update(**values)

    def found_in(self, texts: dict[str, str], markers: set[str], round_summary: tuple[str, ...] = ()) -> list[str]:
        """Where a marker appears (a shared observation's heading may appear in the round summary)."""
        return [
            f"{self.labels[marker]} in {where}"
            for where, text in texts.items()
            for marker in markers
            if marker in text and not (marker in self.in_round_summary and where.startswith(round_summary))
        ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(response) -> str:
    """What a person could read in the response: HTML/CSV/.ics as text, PDF and XLSX extracted."""
    body = _body(response)
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf") or body.startswith(b"%PDF-"):
        return _pdf_text(body)
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if kind.startswith("image/"):
        return ""
    return body.decode("utf-8", errors="replace")


def _pdf_text(pdf: bytes) -> str:
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf:
        return pdf.decode("latin-1")  # a stand-in file of the URL walk's world: its raw bytes
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


LINK = re.compile(r'(?:href|hx-get|src)="(/[^"#]*)')
HTMX = re.compile(r'hx-get="(/[^"#]*)')


def _walked_paths(world) -> list[str]:
    skip = {"logout", "set_language"}
    return [
        path_for(name, route, world)
        for name, route, _ in walk(get_resolver())
        if not route.startswith("admin/") and name not in skip
    ]


def collect(client, start: list[str], markers: set[str] = frozenset()) -> dict[str, str]:
    """Every GET response reachable from `start` (and one link further), as text, keyed by path.
    What the pages load through htmx is asked for again with htmx's header, and a page with a
    search field is searched for every marker."""
    texts: dict[str, str] = {}
    htmx_paths: set[str] = set()
    queue = deque((path, 0) for path in start)
    logout = reverse("logout")
    while queue and len(texts) < PAGE_LIMIT:
        path, depth = queue.popleft()
        path = path.replace("&amp;", "&")
        if path in texts or path.startswith(SKIPPED_PREFIXES) or path.startswith(logout):
            continue
        response = client.get(path)
        assert response.status_code < 500, f"GET {path}: {response.status_code}"
        texts[path] = text = _text(response)
        if depth == 0 and 'name="q"' in text:
            texts.update(_searched(client, path, markers))
        if response.get("Content-Type", "").startswith("text/html"):
            htmx_paths.update(HTMX.findall(text))
            if depth < 1:
                queue.extend((link, depth + 1) for link in LINK.findall(text))
    for path in sorted(htmx_paths):
        path = path.replace("&amp;", "&")
        response = client.get(path, HTTP_HX_REQUEST="true")
        assert response.status_code < 500, f"GET {path} (htmx): {response.status_code}"
        texts[f"{path} (htmx)"] = _text(response)
    return texts


def _searched(client, path: str, markers: set[str]) -> dict[str, str]:
    """The search at `path` for each marker. The page repeats the query, so a search counts as a
    find when its page differs from that of a search for a word that exists nowhere."""

    def page(query: str) -> str:
        return _normalised({"": _text(client.get(path, {"q": query}))})[""].replace(query, "<q>")

    nothing = page("KNRYNONEX")
    return {f"{path}?q={marker}": (marker if page(marker) != nothing else "") for marker in sorted(markers)}


def mails_to(user) -> dict[str, str]:
    stored = {
        f"e-mail {m.pk} to {m.recipient}": f"{m.subject}\n{m.body}"
        for m in OutgoingMail.objects.filter(recipient__iexact=user.email)
    }
    sent = {
        f"sent e-mail {n}": f"{m.subject}\n{m.body}"
        for n, m in enumerate(mail.outbox)
        if user.email.lower() in (a.lower() for a in m.to)
    }
    return stored | sent


def _reports_generated_and_published(dialogue_round, django_capture_on_commit_callbacks) -> None:
    """The round's reports rendered (eagerly, as Celery runs in the tests), approved and published."""
    with django_capture_on_commit_callbacks(execute=True):
        report_services.reports_request(dialogue_round=dialogue_round)
    for report in FeedbackReport.objects.filter(round=dialogue_round, is_current=True):
        assert report.status == "done", report.error
        with django_capture_on_commit_callbacks(execute=True):
            report_services.report_approve(report=report)
            report_services.report_publish(report=report)


@pytest.fixture(scope="module")
def planted(module_transaction, tmp_path_factory):
    """County A's material with a marker in every free-text field, the round's reports generated and
    published, and the paths to walk; built once for the three readers' tests below, each of which
    reads it in a transaction of its own (what a crawl writes is undone before the next one)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("canary") / "media"):
        region_a, region_b = make_region_a(), make_region_b()
        users = make_users(region_a)
        ministry_user = users[Role.MINISTRY]
        world = build_world(region_a, region_b)
        canaries = Canaries()
        dialogue = world["dialogue"]
        # The ministry's notes on county A in every category, some shared with A, some marked good
        # examples. An unshared good example is created with its markers, through the service, so
        # that whatever it derives carries them.
        for category, _label in ObservationCategory.choices:
            ObservationFactory(dialogue=dialogue, category=category, shared_with_region=True)
            ObservationFactory(dialogue=dialogue, category=category, shared_with_region=False)
        services.observation_create(
            dialogue=dialogue,
            author=ministry_user,
            category=ObservationCategory.LEADERSHIP,
            title=canaries.new("unshared good example: title", county_a=True),
            text=canaries.new("unshared good example: text", county_a=True),
            shared_with_region=False,
            is_good_example=True,
        )
        # A's submission: sent once, returned, and edited again since (the edits are unsent).
        user_a = UserFactory(role=Role.REGION, region=region_a)
        submission = Submission.objects.get(dialogue=dialogue)
        SubmissionPriority.objects.create(submission=submission, rank=1, strategy_priority=world["priority"])
        SubmissionResult.objects.create(submission=submission, indicator="Sysselsättning")
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.submission_submit(submission=submission, user=user_a)
            services.submission_return(submission=Submission.objects.get(pk=submission.pk), comment="Komplettera")
        canaries.plant(region_a)
        _reports_generated_and_published(world["round"], TestCase.captureOnCommitCallbacks)
        ReportComment.objects.create(
            report=FeedbackReport.objects.get(round=world["round"], region=region_a, is_current=True), text="Kommentar"
        )
        canaries.plant(region_a)  # the rows the reports and the review added
        # The file of A's approved report that the ministry has not published yet: for A as for B.
        marker = canaries.new("unpublished report of county A: its file", county_a=True)
        world["report"].file.save("kalmar.pdf", ContentFile(f"%PDF-1.7 {marker}".encode()))
        assert len(canaries.for_county_b) > 40 and len(canaries.for_agency) >= 5 and len(canaries.for_county_a) > 10
        assert {
            "core.Attachment.original_name #" + str(world[f"{kind}_attachment"].pk)
            for kind in ("submission", "brief", "report")
        } <= set(canaries.labels.values())
        yield {
            "canaries": canaries,
            "start": _walked_paths(world),
            "round": world["round"],
            "users": users,
            "user_a": user_a,
            "user_b": UserFactory(role=Role.REGION, region=region_b),
            "user_b_editor": UserFactory(role=Role.REGION, region=region_b, county_role=CountyRole.EDITOR),
            # What was sent while the world was built (each test starts with an empty outbox).
            "outbox": list(mail.outbox),
        }


@pytest.fixture
def planted_outbox(planted):
    """The e-mails sent while the shared world was built, in this test's outbox."""
    mail.outbox[:0] = planted["outbox"]


@pytest.mark.usefixtures("planted_outbox")
@pytest.mark.parametrize("who", ["user_b", "user_b_editor"])  # B's director, B's editor
def test_canary_markers_of_county_a_never_reach_county_b(client, planted, who):
    canaries, start, user_b = planted["canaries"], planted["start"], planted[who]
    client.force_login(user_b)
    client.defaults.update(api_headers(user_b))
    seen_by_b = collect(client, start, canaries.for_county_b) | mails_to(user_b)
    downloads = [r for r in reports_visible_to(user_b) if r.file]
    assert {r.region_id for r in downloads} == {None, user_b.region_id}  # the summary and B's own report
    for report in downloads:
        path = reverse("reports:report_download", args=[report.pk])
        seen_by_b[f"{path} (report PDF)"] = _text(client.get(path))
    pdf_texts = [seen_by_b[reverse("reports:report_download", args=[r.pk]) + " (report PDF)"] for r in downloads]
    assert all("Sida 2 av" in text for text in pdf_texts), pdf_texts  # the PDFs' text was read
    summaries = tuple(
        reverse("reports:report_detail", args=[pk])
        for pk in FeedbackReport.objects.filter(region__isnull=True).values_list("pk", flat=True)
    )
    leaks = canaries.found_in(seen_by_b, canaries.for_county_b, summaries)
    assert not leaks, "County B received county A's material:\n" + "\n".join(leaks)


@pytest.mark.usefixtures("planted_outbox")
def test_canary_markers_of_county_as_unsent_submission_never_reach_national_staff(client, planted):
    canaries, start = planted["canaries"], planted["start"]
    seen_by_national_staff = {}
    for role in (Role.AGENCY, Role.MINISTRY):
        user = planted["users"][role]
        client.force_login(user)
        client.defaults.update(api_headers(user))
        seen = collect(client, start, canaries.for_agency) | mails_to(user)
        seen_by_national_staff |= {f"{where} ({user.get_role_display()})": text for where, text in seen.items()}
    leaks = canaries.found_in(seen_by_national_staff, canaries.for_agency)
    assert not leaks, "National staff received county A's unsent submission:\n" + "\n".join(leaks)


@pytest.mark.usefixtures("planted_outbox")
def test_canary_markers_kept_from_county_a_never_reach_county_a(client, planted):
    canaries, start, user_a = planted["canaries"], planted["start"], planted["user_a"]
    client.force_login(user_a)
    client.defaults.update(api_headers(user_a))
    seen_by_a = collect(client, start, canaries.for_county_a) | mails_to(user_a)
    for report in reports_visible_to(user_a).exclude(file=""):
        path = reverse("reports:report_download", args=[report.pk])
        seen_by_a[f"{path} (report PDF)"] = _text(client.get(path))
    leaks = canaries.found_in(seen_by_a, canaries.for_county_a)
    assert not leaks, "County A received what the ministry and the agency keep to themselves:\n" + "\n".join(leaks)


NOISE = (
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'name="form_token" value="[^"]*"'), 'name="form_token"'),  # one-time, new on every page
    (re.compile(r'data-session-expires="[^"]*"'), "data-session-expires"),  # the session's own end
    (re.compile(r'(<meta name="csrf-token" content=")[^"]*'), r"\1"),
    (re.compile(r'(hx-headers=\'\{"X-CSRFToken": ")[^"]*'), r"\1"),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "<time>"),
    (re.compile(r"\b\d{1,2}[:.]\d{2}(:\d{2})?\b"), "<time>"),
    (re.compile(r"\b\d{8}T\d{6}Z?\b"), "<time>"),  # iCalendar
    (re.compile(r"/konto/sessioner/\d+/"), "/konto/sessioner/<session>/"),  # each log-in is a session of its own
)


def _normalised(texts: dict[str, str]) -> dict[str, str]:
    normalised = {}
    for where, text in texts.items():
        for pattern, replacement in NOISE:
            text = pattern.sub(replacement, text)
        normalised[where] = text
    return normalised


def _view_of(client, user, start: list[str]) -> dict[str, str]:
    client.force_login(user)
    client.defaults.update(api_headers(user))
    texts = collect(client, start)
    for report in reports_visible_to(user).filter(is_current=True):
        texts[f"report PDF {report.pk} as generated now"] = _pdf_text(report_pdf(report))
    return _normalised(texts | mails_to(user))


def _difference(before: str, after: str, where: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
    return f"{where}:\n" + "\n".join(list(lines)[2:12])
