"""What the URL walkers share: every URL pattern of the project from Django's resolver, a world of
county A's material (published and unpublished) next to county B's, how to fill each pattern's
parameters with that world's objects, and a fingerprint of the database to show a refused write
changed nothing.

A pattern with parameters missing from KWARGS fails the walkers, so a new view has to be
classified before it can land.
"""

import datetime
import re
import uuid

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import URLPattern, URLResolver
from django.urls.converters import get_converters

from accounts.choices import CountyRole, Role
from accounts.invitations import invitation_send
from core.models import Attachment
from dialogues.models import DialogueDay, JointCommitment, Session
from forum.models import MeetingDocument
from forum.services import calendar_subscription_renew
from records.choices import Direction, DocumentType, PackageStatus
from records.models import ArchivePackage
from records.services import (
    access_request_add,
    access_request_create,
    access_request_decide,
    case_for,
    record_register,
    secrecy_mark,
)
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    FollowUpActionFactory,
    ObservationFactory,
    SubmissionFactory,
)
from tests.factories.followup import AllocationFactory, AppropriationFactory, ExpenditureFactory
from tests.factories.forum import AgendaItemFactory, ForumFactory, MeetingFactory, MembershipFactory
from tests.factories.regions import (
    ContactFactory,
    GoodExampleFactory,
    OrganisationFactory,
    RegionalStrategyFactory,
    ResponsibilityPeriodFactory,
    StrategyPriorityFactory,
)

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# A value for each path converter, where any value will do (the request never reaches the view).
SAMPLES = {"int": "1", "api_id": "1", "slug": "x", "str": "x", "path": "x", "uuid": str(uuid.uuid4())}


def walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    """(name, route, pattern) of every URL pattern under `resolver`; Django's admin counts as one."""
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield "admin:index", prefix + route, entry  # the admin's views all sit behind its index check
                continue
            child = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from walk(entry, prefix + route, child)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) or None
            yield name, prefix + route, entry


def fill(route: str) -> str:
    """`route` with a sample value for each parameter left in it."""

    def sample(match):
        converter = match["converter"] or "str"
        if converter in SAMPLES:
            return SAMPLES[converter]
        # A project converter with a plain alternation ("csv|xlsx") gets its first alternative.
        regex = get_converters()[converter].regex
        if not re.fullmatch(r"[\w|-]+", regex):
            pytest.fail(f"No sample value for the <{converter}:...> converter in {route}")
        return regex.split("|")[0]

    return PARAM.sub(sample, route)


# Texts that exist only in county A's unpublished material.
SECRETS = {
    "submission": "HEMLIGT-A-INLAMNING",
    "observation": "HEMLIGT-A-IAKTTAGELSE",
    "brief": "HEMLIGT-A-UNDERLAG",
    "action": "HEMLIGT-A-ATGARD",
    "conditions": "HEMLIGT-A-VILLKOR",
    "commitment": "HEMLIGT-A-ATAGANDE",
    "submission_attachment": "HEMLIGT-A-BILAGA-INLAMNING",
    "brief_attachment": "HEMLIGT-A-BILAGA-UNDERLAG",
    "report_attachment": "HEMLIGT-A-BILAGA-RAPPORT",
}
YEAR = 2031

# How to fill each URL's parameters, by URL name: a function of the world.
KWARGS = {
    "oidc_login": lambda w: {"provider": "x"},  # no provider is configured in the walks
    "oidc_callback": lambda w: {"provider": "x"},
    "password_reset_confirm": lambda w: {"uidb64": "x", "token": "x"},
    "regions:organisation_update": lambda w: {"pk": w["organisation"].pk},
    "regions:contact_update": lambda w: {"pk": w["contact"].pk},
    "regions:contact_delete": lambda w: {"pk": w["contact"].pk},  # a forum member: refused, nothing changes
    "regions:organisation_delete": lambda w: {"pk": w["organisation"].pk},
    "regions:goodexample_update": lambda w: {"pk": w["good_example"].pk},
    "regions:period_update": lambda w: {"pk": w["period"].pk},
    "regions:period_delete": lambda w: {"pk": w["period"].pk},
    "regions:strategy_update": lambda w: {"pk": w["strategy"].pk},
    "regions:strategy_stage_set": lambda w: {"pk": w["strategy"].pk},
    "regions:priority_create": lambda w: {"pk": w["strategy"].pk},
    "regions:priority_update": lambda w: {"pk": w["priority"].pk},
    "regions:priority_delete": lambda w: {"pk": w["priority"].pk},
    "regions:region_detail": lambda w: {"slug": w["region"].slug},
    "regions:region_update": lambda w: {"slug": w["region"].slug},
    "regions:period_create": lambda w: {"slug": w["region"].slug},
    "regions:strategy_create": lambda w: {"slug": w["region"].slug},
    "regions:region_follow": lambda w: {"slug": w["region"].slug},
    "regions:business_support_years": lambda w: {"slug": w["region"].slug},
    "forum:forum_detail": lambda w: {"pk": w["forum"].pk},
    "forum:forum_update": lambda w: {"pk": w["forum"].pk},
    "forum:forum_composition": lambda w: {"pk": w["forum"].pk},
    "forum:forum_ics": lambda w: {"pk": w["forum"].pk},
    "forum:membership_create": lambda w: {"forum_pk": w["forum"].pk},
    "forum:membership_update": lambda w: {"pk": w["membership"].pk},
    "forum:meeting_create": lambda w: {"forum_pk": w["forum"].pk},
    "forum:meeting_detail": lambda w: {"pk": w["meeting"].pk},
    "forum:meeting_update": lambda w: {"pk": w["meeting"].pk},
    "forum:meeting_ics": lambda w: {"pk": w["meeting"].pk},
    "forum:meeting_minutes_pdf": lambda w: {"pk": w["meeting"].pk},
    "forum:meeting_minutes_approve": lambda w: {"pk": w["meeting"].pk},
    "forum:agendaitem_create": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:attendance_update": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:document_upload": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:agendaitem_update": lambda w: {"pk": w["agenda_item"].pk},
    "forum:agendaitem_minutes": lambda w: {"pk": w["agenda_item"].pk},
    "forum:document_download": lambda w: {"pk": w["document"].pk},
    # A file on each of county A's submission (a draft), brief and unpublished report.
    "dialogues:submission_attachment_add": lambda w: {"pk": w["dialogue"].pk},
    "dialogues:submission_attachment": lambda w: {"pk": w["submission_attachment"].pk},
    "dialogues:submission_attachment_remove": lambda w: {"pk": w["submission_attachment"].pk},
    "dialogues:brief_attachment_add": lambda w: {"pk": w["dialogue"].pk},
    "dialogues:brief_attachment": lambda w: {"pk": w["brief_attachment"].pk},
    "dialogues:brief_attachment_remove": lambda w: {"pk": w["brief_attachment"].pk},
    "reports:attachment_add": lambda w: {"pk": w["report"].pk},
    "reports:attachment": lambda w: {"pk": w["report_attachment"].pk},
    "reports:attachment_remove": lambda w: {"pk": w["report_attachment"].pk},
    # The secret calendar address of a user of county A: the token opens it, not the session.
    "portal:calendar_feed": lambda w: {"token": calendar_token_of_county_a(w)},
    **{
        f"dialogues:{name}": (lambda w: {"pk": w["round"].pk})
        for name in (
            "round_detail",
            "round_update",
            "round_conclusions",
            "round_open",
            "round_close",
            "observation_matrix",
            "round_calendar",
            "round_month",
            "round_ics",
            "round_export_csv",
            "round_export_xlsx",
            "dialogue_create",
        )
    },
    **{
        f"reports:{name}": (lambda w: {"pk": w["round"].pk})
        for name in ("report_list", "report_status", "reports_request", "letter_template", "summary_letter_edit")
    },
    "reports:letter_edit": lambda w: {"pk": w["round"].pk, "slug": w["region"].slug},
    # A reviewer's comment on county A's report, made when first asked for.
    "reports:comment_resolve": lambda w: {
        "pk": w["report"].comments.get_or_create(defaults={"text": "Granskarens kommentar"})[0].pk
    },
    **{
        f"dialogues:{name}": (lambda w: {"pk": w["dialogue"].pk})
        for name in (
            "dialogue_ics",
            "dialogue_detail",
            "dialogue_schedule",
            "dialogue_status",
            "brief_edit",
            "brief_final",
            "observation_create",
            "action_create",
            "submission_detail",
            "submission_edit",
            "submission_results_fetch",
            "submission_return",
            "submission_accept",
            "submission_versions",
            "submission_deadline",
        )
    },
    **{
        f"reports:{name}": (lambda w: {"pk": w["report"].pk})
        for name in (
            "report_detail",
            "report_download",
            "report_comment",
            "report_approve",
            "report_publish",
            "report_regenerate",
        )
    },
    "dialogues:observation_update": lambda w: {"pk": w["observation"].pk},
    "dialogues:action_update": lambda w: {"pk": w["action"].pk},
    "dialogues:dialogueday_detail": lambda w: {"pk": w["day"].pk},
    "dialogues:dialogueday_update": lambda w: {"pk": w["day"].pk},
    "dialogues:session_create": lambda w: {"pk": w["day"].pk},
    "dialogues:session_update": lambda w: {"pk": w["session"].pk},
    "dialogues:commitment_update": lambda w: {"pk": w["commitment"].pk},
    "dialogues:region_dialogues": lambda w: {"slug": w["region"].slug},
    "followup:template": lambda w: {"fmt": "csv"},
    "followup:import": lambda w: {"year": YEAR},
    "followup:import_confirm": lambda w: {"year": YEAR},
    **{
        f"followup:{name}": (lambda w: {"year": YEAR})
        for name in (
            "frames_import",
            "frames_import_confirm",
            "cofinancing_import",
            "cofinancing_import_confirm",
            "results_import",
            "results_import_confirm",
        )
    },
    "followup:frames_template": lambda w: {"year": YEAR, "fmt": "csv"},
    "followup:cofinancing_template": lambda w: {"fmt": "csv"},
    "followup:results_template": lambda w: {"fmt": "csv"},
    "followup:export": lambda w: {"year": YEAR, "fmt": "csv"},
    "followup:export_all_years": lambda w: {"fmt": "csv"},
    "followup:region": lambda w: {"slug": w["region"].slug},
    # The API (a bearer token of the requesting user's account: `api_headers`).
    "api:region_detail": lambda w: {"slug": w["region"].slug},
    "api:report_detail": lambda w: {"pk": w["report"].pk},
    "api:report_pdf": lambda w: {"pk": w["report"].pk},
    **{
        f"followup:{name}": (lambda w: {"slug": w["region"].slug, "year": YEAR})
        for name in (
            "allocation_detail",
            "allocation_update",
            "expenditure_report",
            "cofinancing_report",
            "result_report",
        )
    },
    # The register (diarium): county A's conditions decision, registered and marked secret.
    "records:record_detail": lambda w: {"pk": w["record"].pk},
    "records:record_number": lambda w: {"pk": w["record"].pk},
    "records:secrecy_mark": lambda w: {"pk": w["record"].pk},
    "records:secrecy_lift": lambda w: {"pk": w["secrecy_marking"].pk},
    # A record of county A's report, made when first asked for (its file is a PDF to download).
    "records:record_pdf": lambda w: {"pk": report_record(w).pk},
    # Access requests: an open one holding the secret-marked record, and a decided one (its bundle).
    **{
        f"records:{name}": (lambda w: {"pk": w["access_request"].pk})
        for name in ("request_detail", "request_add", "request_decisions", "request_decide")
    },
    "records:request_remove": lambda w: {"pk": w["access_request"].items.get().pk},
    "records:request_bundle": lambda w: {"pk": w["access_request_decided"].pk},
    "records:observation_secrecy": lambda w: {"pk": w["observation"].pk},
    # Archive packages: the round's case (open: asking is refused with a message) and a built package.
    "records:archive_create": lambda w: {"pk": w["archive_package"].case_id},
    "records:archive_download": lambda w: {"pk": w["archive_package"].pk},
    # User administration: an editor of county A; an open invitation to county A (the walkers do
    # not know its secret: a made-up one, which the page says is not valid).
    "user_update": lambda w: {"pk": w["county_editor"].pk},
    "user_active": lambda w: {"pk": w["county_editor"].pk},
    "invitation_accept": lambda w: {"pk": w["invitation"].pk, "token": "gissat"},
    # A session of another user of county A: only its own user may end it.
    "session_end": lambda w: {"pk": session_of_county_a(w).pk},
}


def session_of_county_a(world):
    """A logged-in session of a user of county A (none of the walking roles' own)."""
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import UserSession

    store = SessionStore()
    store.create()
    return UserSession.objects.create(
        session_id=store.session_key, user=UserFactory(role=Role.REGION, region=world["region"])
    )


def report_record(world):
    report = world["report"]
    return record_register(
        document=report,
        document_type=DocumentType.FEEDBACK_REPORT,
        direction=Direction.DRAWN_UP,
        cases=(world["round"], world["dialogue"]),
        region=report.region,
        year=YEAR,
    )


def api_headers(user) -> dict:
    """The request headers of an API client acting as `user`: a new token of the account. The API
    takes no session, so the walkers send this with every request (the pages ignore it)."""
    from api.services import token_create

    _token, secret = token_create(user=user, name=f"Walker {user.pk}")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def calendar_token_of_county_a(world) -> str:
    return calendar_subscription_renew(user=UserFactory(role=Role.REGION, region=world["region"]))


def attached(parent, name: str) -> Attachment:
    """A PDF attached to `parent` (as core.attachments.attachment_add stores one)."""
    content = b"%PDF-1.4 " + name.encode()
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(parent),
        object_id=parent.pk,
        file=ContentFile(content, name="bilaga.pdf"),
        original_name=f"{name}.pdf",
        file_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )


def build_world(region_a, region_b) -> dict:
    """County A's material, published and unpublished, next to county B's own dialogue."""
    round_ = DialogueRoundFactory(year=YEAR)
    dialogue = DialogueFactory(round=round_, region=region_a)
    DialogueFactory(round=round_, region=region_b)
    submission = SubmissionFactory(dialogue=dialogue, resource_use=SECRETS["submission"])
    observation = ObservationFactory(dialogue=dialogue, text=SECRETS["observation"], shared_with_region=False)
    action = FollowUpActionFactory(dialogue=dialogue, what=SECRETS["action"])
    brief = BriefFactory(dialogue=dialogue, text=SECRETS["brief"])
    allocation = AllocationFactory(
        appropriation=AppropriationFactory(year=YEAR), region=region_a, conditions=SECRETS["conditions"]
    )
    ExpenditureFactory(allocation=allocation)
    strategy = RegionalStrategyFactory(region=region_a)
    forum = ForumFactory()
    meeting = MeetingFactory(forum=forum)
    contact = ContactFactory(region=region_a)
    day = DialogueDay.objects.create(title="Dialogdag", date=datetime.date(YEAR, 12, 3))
    record = record_register(
        document=allocation,
        document_type=DocumentType.CONDITIONS_DECISION,
        direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,),
        region=region_a,
        year=YEAR,
        document_date=datetime.date(YEAR, 1, 20),
    )
    registrar = UserFactory(role=Role.MINISTRY, is_registrar=True)
    # Kalmar's finished report, approved but not published.
    report = FeedbackReportFactory(
        round=round_,
        region=region_a,
        status="done",
        review_state="approved",
        file=ContentFile(b"%PDF-1.7 " + SECRETS["observation"].encode(), name="kalmar.pdf"),
    )
    marking = secrecy_mark(target=record, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    # The ministry's note is marked too: its flag is on the pages national staff open, never a county's.
    secrecy_mark(target=observation, osl_reference="21 kap. 7 §", reason="Personuppgifter", user=registrar)
    access_request = access_request_create(
        received_on=datetime.date(YEAR, 1, 25), asked_for="Villkoren", user=registrar
    )
    access_request_add(request=access_request, number=record.number)
    decided = access_request_create(received_on=datetime.date(YEAR, 1, 26), asked_for="Villkoren", user=registrar)
    access_request_add(request=decided, number=record.number)
    access_request_decide(request=decided, user=registrar)
    package = ArchivePackage.objects.create(
        case=case_for(subjects=(round_,)),
        status=PackageStatus.DONE,
        file=ContentFile(b"PK\x05\x06" + b"\0" * 18, name="paket.zip"),
        checksum="0" * 64,
        size=22,
    )
    # County A has a second user, who drafts but may not submit, and has invited a third.
    county_editor = UserFactory(role=Role.REGION, region=region_a, county_role=CountyRole.EDITOR)
    invitation = invitation_send(
        inviter=registrar,
        email="inbjuden@example.test",
        role=Role.REGION,
        region=region_a,
        county_role=CountyRole.EDITOR,
    )
    return {
        "archive_package": package,
        "county_editor": county_editor,
        "invitation": invitation,
        "record": record,
        "secrecy_marking": marking,
        "access_request": access_request,
        "access_request_decided": decided,
        "region": region_a,
        "round": round_,
        "dialogue": dialogue,
        "observation": observation,
        "action": action,
        "strategy": strategy,
        "priority": StrategyPriorityFactory(strategy=strategy),
        "period": ResponsibilityPeriodFactory(region=region_a, valid_from=1990, valid_to=1995),
        "organisation": OrganisationFactory(region=region_a),
        "contact": contact,
        "good_example": GoodExampleFactory(region=region_a),
        "forum": forum,
        "membership": MembershipFactory(forum=forum, contact=contact, region=region_a),
        "meeting": meeting,
        "agenda_item": AgendaItemFactory(meeting=meeting, minutes="Forumet diskuterade regionfrågan."),
        "document": MeetingDocument.objects.create(
            meeting=meeting,
            file=ContentFile(b"%PDF-1.4 protokoll", name="protokoll.pdf"),
            original_name="protokoll.pdf",
            content_type="application/pdf",
            size=18,
        ),
        "day": day,
        "session": Session.objects.create(day=day, title="Kompetensförsörjning"),
        "report": report,
        "submission_attachment": attached(submission, SECRETS["submission_attachment"]),
        "brief_attachment": attached(brief, SECRETS["brief_attachment"]),
        "report_attachment": attached(report, SECRETS["report_attachment"]),
        "commitment": JointCommitment.objects.create(
            region=region_a, title=SECRETS["commitment"], kind=JointCommitment._meta.get_field("kind").choices[0][0]
        ),
    }


def fingerprint() -> dict:
    """A checksum of every row of the portal's own tables (in one query), to show that a refused
    request changed nothing. Users' last log-in is left out: it moves when the test logs in."""
    quote = connection.ops.quote_name
    checksums = []
    for model in apps.get_models():
        if model._meta.app_label not in {
            "core",
            "accounts",
            "regions",
            "forum",
            "dialogues",
            "followup",
            "reports",
            "records",
        }:
            continue
        row = ", ".join(quote(f.column) for f in model._meta.concrete_fields if f.column != "last_login")
        rows = f"string_agg(ROW({row})::text, '|' ORDER BY {quote(model._meta.pk.column)})"
        checksums.append((model._meta.label, f"(SELECT md5(coalesce({rows}, '')) FROM {quote(model._meta.db_table)})"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for _, sql in checksums))
        return dict(zip((label for label, _ in checksums), cursor.fetchone(), strict=True))


def path_for(name, route, world) -> str:
    """The URL of pattern `name` filled with the world's objects; fails for a pattern KWARGS lacks."""
    if not PARAM.search(route):
        return "/" + route
    if name not in KWARGS:
        pytest.fail(f"{name} ({route}) has parameters this test cannot fill: add it to tests/security/urlwalk.KWARGS")
    kwargs = KWARGS[name](world)
    filled = PARAM.sub(lambda match: str(kwargs[match["name"]]), route)
    return "/" + fill(filled)
