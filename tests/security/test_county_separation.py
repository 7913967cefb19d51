"""County separation, proven for every URL: a regional user of county B requests every URL of the
project filled with county A's objects (GET, and POST with the page's own form data or nothing),
and never receives A's unpublished material or changes anything of A's.

The URL list comes from Django's resolver; a URL with parameters that this file cannot fill fails
the test, so a new view has to be classified here before it can land.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import get_resolver

from accounts.choices import Role
from dialogues.models import DialogueDay, JointCommitment, Session
from forum.models import MeetingDocument
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

from .test_anonymous_access import PARAM, _fill, _walk

# Texts that exist only in county A's unpublished material: B must never see any of them.
SECRETS = {
    "submission": "HEMLIGT-A-INLAMNING",
    "observation": "HEMLIGT-A-IAKTTAGELSE",
    "brief": "HEMLIGT-A-UNDERLAG",
    "action": "HEMLIGT-A-ATGARD",
    "conditions": "HEMLIGT-A-VILLKOR",
    "commitment": "HEMLIGT-A-ATAGANDE",
}
YEAR = 2031

# How to fill each URL's parameters, by URL name: a function of the world.
KWARGS = {
    "password_reset_confirm": lambda w: {"uidb64": "x", "token": "x"},
    "regions:organisation_update": lambda w: {"pk": w["organisation"].pk},
    "regions:contact_update": lambda w: {"pk": w["contact"].pk},
    "regions:goodexample_update": lambda w: {"pk": w["good_example"].pk},
    "regions:period_update": lambda w: {"pk": w["period"].pk},
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
    "forum:agendaitem_create": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:attendance_update": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:document_upload": lambda w: {"meeting_pk": w["meeting"].pk},
    "forum:agendaitem_update": lambda w: {"pk": w["agenda_item"].pk},
    "forum:agendaitem_minutes": lambda w: {"pk": w["agenda_item"].pk},
    "forum:document_download": lambda w: {"pk": w["document"].pk},
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
            "round_ics",
            "round_export_csv",
            "round_export_xlsx",
            "dialogue_create",
            "report_list",
            "report_status",
            "reports_request",
        )
    },
    **{
        f"dialogues:{name}": (lambda w: {"pk": w["dialogue"].pk})
        for name in (
            "dialogue_ics",
            "dialogue_detail",
            "dialogue_schedule",
            "dialogue_status",
            "brief_edit",
            "observation_create",
            "action_create",
            "submission_detail",
            "submission_edit",
            "submission_return",
            "submission_accept",
            "submission_versions",
        )
    },
    **{
        f"dialogues:{name}": (lambda w: {"pk": w["report"].pk})
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
    "followup:template": lambda w: {"fmt": "csv"},
    "followup:import": lambda w: {"year": YEAR},
    "followup:import_confirm": lambda w: {"year": YEAR},
    "followup:export": lambda w: {"year": YEAR, "fmt": "csv"},
    "followup:region": lambda w: {"slug": w["region"].slug},
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
}


def _urls():
    for name, route, _ in _walk(get_resolver()):
        if route.startswith("admin/") or name in ("logout", "set_language"):
            continue  # Django's admin is closed to regional users (tested in tests/accounts), logout ends the test
        yield pytest.param(name, route, id=name or route)


@pytest.fixture
def world(region_a, region_b):
    """County A's material, published and unpublished, next to county B's own dialogue."""
    round_ = DialogueRoundFactory(year=YEAR)
    dialogue = DialogueFactory(round=round_, region=region_a)
    DialogueFactory(round=round_, region=region_b)
    SubmissionFactory(dialogue=dialogue, resource_use=SECRETS["submission"])
    observation = ObservationFactory(dialogue=dialogue, text=SECRETS["observation"], shared_with_region=False)
    action = FollowUpActionFactory(dialogue=dialogue, what=SECRETS["action"])
    BriefFactory(dialogue=dialogue, text=SECRETS["brief"])
    allocation = AllocationFactory(
        appropriation=AppropriationFactory(year=YEAR), region=region_a, conditions=SECRETS["conditions"]
    )
    ExpenditureFactory(allocation=allocation)
    strategy = RegionalStrategyFactory(region=region_a)
    forum = ForumFactory()
    meeting = MeetingFactory(forum=forum)
    contact = ContactFactory(region=region_a)
    day = DialogueDay.objects.create(title="Dialogdag", date=datetime.date(YEAR, 12, 3))
    return {
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
        "agenda_item": AgendaItemFactory(meeting=meeting),
        "document": MeetingDocument.objects.create(
            meeting=meeting,
            file=ContentFile(b"%PDF-1.4 protokoll", name="protokoll.pdf"),
            original_name="protokoll.pdf",
            content_type="application/pdf",
            size=18,
        ),
        "day": day,
        "session": Session.objects.create(day=day, title="Kompetensförsörjning"),
        # Kalmar's finished report, approved but not published: Kronoberg must not reach it.
        "report": FeedbackReportFactory(
            round=round_,
            region=region_a,
            status="done",
            review_state="approved",
            file=ContentFile(b"%PDF-1.7 " + SECRETS["observation"].encode(), name="kalmar.pdf"),
        ),
        "commitment": JointCommitment.objects.create(
            region=region_a, title=SECRETS["commitment"], kind=JointCommitment._meta.get_field("kind").choices[0][0]
        ),
    }


def _fingerprint() -> dict:
    """Every row of the portal's own tables, to show that a refused request changed nothing."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "regions", "forum", "dialogues", "followup"}
        and model._meta.label != "accounts.User"  # last_login moves when the test logs in
    }


def _path(name, route, world) -> str:
    if not PARAM.search(route):
        return "/" + route
    if name not in KWARGS:
        pytest.fail(f"{name} ({route}) has parameters this test cannot fill: add it to KWARGS")
    kwargs = KWARGS[name](world)
    filled = PARAM.sub(lambda match: str(kwargs[match["name"]]), route)
    return "/" + _fill(filled)


def _leaked(response) -> list[str]:
    if response.get("Content-Type", "").startswith(("image/", "application/pdf")):
        return []
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    return [secret for secret in SECRETS.values() if secret in text]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), list(_urls()))
def test_url_other_countys_user_sees_and_changes_nothing_of_county_a(client, world, region_b, name, route):
    client.force_login(UserFactory(role=Role.REGION, region=region_b))
    path = _path(name, route, world)

    page = client.get(path)
    assert page.status_code < 500, f"GET {path}: {page.status_code}"
    assert _leaked(page) == [], f"GET {path} shows county A's unpublished material"

    before = _fingerprint()
    form = (page.context or {}).get("form") if page.status_code == 200 else None
    data = {form.add_prefix(k): v for k, v in form.initial.items() if v is not None} if form else {}
    response = client.post(path, data)
    assert response.status_code < 500, f"POST {path}: {response.status_code}"
    assert _leaked(response) == [], f"POST {path} shows county A's unpublished material"
    assert _fingerprint() == before, f"POST {path} by county B's user changed something"
