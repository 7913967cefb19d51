"""Every dialogues URL (and the feedback reports' under the same prefix), for every role: a page,
a refusal or a 404, never an error."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from accounts.choices import Role
from dialogues.models import DialogueDay, JointCommitment, Session
from tests.factories.dialogues import BriefFactory, FeedbackReportFactory, FollowUpActionFactory, ObservationFactory
from tests.factories.reports import ReportCommentFactory
from tests.security.urlwalk import attached

pytestmark = pytest.mark.django_db

# What each URL's pk points at, by the start of its path.
PK_OWNERS = {
    "inlamning/bilagor/": "submission_attachment",
    "underlag/bilagor/": "brief_attachment",
    "rapport/bilagor/": "report_attachment",
    "omgang/": "round",
    "dialog/": "dialogue",
    "iakttagelse/": "observation",
    "atgard/": "action",
    "dialogdagar/": "day",
    "dialogpass/": "session",
    "ataganden/": "commitment",
    "rapport/": "report",
    "rapportkommentar/": "comment",
}
AGENCY_WRITE_PAGES = (
    "dialogueday_create",
    "dialogueday_update",
    "session_create",
    "session_update",
    "commitment_create",
    "commitment_update",
)
AGENCY_PAGES = dict.fromkeys(AGENCY_WRITE_PAGES, 403)


def _dialogue_url_names():
    """(namespace, name, route) of every URL under dialoger/: the dialogues' and the feedback reports'."""
    return sorted(
        (namespace, pattern.name, str(pattern.pattern))
        for namespace in ("dialogues", "reports")
        for pattern in get_resolver().namespace_dict[namespace][1].url_patterns
    )


# Expected GET status per role for the pages a role may not use (everything else answers 200).
REFUSED = {
    Role.MINISTRY: {
        "submission_edit": 403,
        "brief_edit": 403,
        "round_open": 403,
        **AGENCY_PAGES,
    },
    Role.AGENCY: {
        "submission_edit": 403,
        "round_create": 403,
        "round_update": 403,
        "round_conclusions": 403,
        "round_open": 403,
        "dialogue_create": 403,
        "dialogue_schedule": 403,
        "observation_create": 403,
        "observation_update": 403,
        "action_create": 403,
        "action_update": 403,
        "round_close": 403,
        "dialogue_status": 403,
        "submission_accept": 403,
        "submission_return": 403,
        "submission_deadline": 403,
    },
    Role.REGION: {
        "round_create": 403,
        "round_update": 403,
        "round_conclusions": 403,
        "round_open": 403,
        "dialogue_create": 403,
        "dialogue_schedule": 403,
        "brief_edit": 404,
        "observation_create": 403,
        "observation_update": 403,
        "action_create": 403,
        "submission_return": 403,
        "round_close": 403,
        "dialogue_status": 403,
        "submission_accept": 403,
        "submission_deadline": 403,
        **AGENCY_PAGES,
        "commitment_update": 404,  # a commitment to another county does not exist for it
    },
}
REFUSED[Role.ADMIN] = {"submission_edit": 403}  # only the county writes its submission
# The feedback report pages, with Kalmar's published report: refused actions are 403, allowed POST-only ones 405.
REPORT_ACTIONS = ("reports_request", "report_comment", "report_approve", "report_publish", "report_regenerate")
REFUSED[Role.MINISTRY] |= dict.fromkeys(REPORT_ACTIONS, 403) | {"reports_request": 405, "report_regenerate": 405}
REFUSED[Role.AGENCY] |= dict.fromkeys(REPORT_ACTIONS, 403) | {"report_comment": 405}
REFUSED[Role.REGION] |= dict.fromkeys(REPORT_ACTIONS, 403)
REFUSED[Role.ADMIN] |= dict.fromkeys(REPORT_ACTIONS, 405)  # a superuser passes every permission
# The covering letters are the ministry's to write; resolving a comment is a POST-only button.
LETTER_PAGES = ("letter_template", "letter_edit", "summary_letter_edit")
REFUSED[Role.MINISTRY] |= {"comment_resolve": 405}
REFUSED[Role.ADMIN] |= {"comment_resolve": 405}
REFUSED[Role.AGENCY] |= dict.fromkeys(LETTER_PAGES, 403) | {"comment_resolve": 403}
REFUSED[Role.REGION] |= dict.fromkeys(LETTER_PAGES, 403) | {"comment_resolve": 404}  # comments are not the county's
# Files: the county's returned submission takes new ones (a file sent with a version is removed by
# nobody: the page asks, the service refuses); the brief's are the agency's; the published report's
# are read by all and changed by none.
REFUSED[Role.MINISTRY] |= {"submission_attachment_add": 403, "submission_attachment_remove": 403}
REFUSED[Role.AGENCY] |= {"submission_attachment_add": 403, "submission_attachment_remove": 403}
REFUSED[Role.ADMIN] |= {"submission_attachment_add": 403, "submission_attachment_remove": 403}
# Fetching the 1:1 results into a submission is the county's own work, like editing it.
for _role in (Role.MINISTRY, Role.AGENCY, Role.ADMIN):
    REFUSED[_role] |= {"submission_results_fetch": 403}
REFUSED[Role.MINISTRY] |= {"brief_attachment_add": 403, "brief_attachment_remove": 403}
REFUSED[Role.REGION] |= dict.fromkeys(("brief_attachment_add", "brief_attachment", "brief_attachment_remove"), 404)
for _role in (Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN):
    REFUSED[_role] |= {"attachment_add": 403, "attachment_remove": 403}
# Marking the brief final is the agency's POST-only button; a county does not know the brief exists.
REFUSED[Role.MINISTRY] |= {"brief_final": 403}
REFUSED[Role.REGION] |= {"brief_final": 404}
POST_ONLY = {"dialogue_status", "submission_accept", "brief_final"}


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY, Role.REGION, Role.ADMIN])
def test_every_dialogues_url_answers_each_role_as_the_permission_table_says(
    client, user_by_role, role, kalmar_dialogue, region_user, region_b
):
    from dialogues import services

    services.submission_save_draft(
        submission=kalmar_dialogue.submission, expected_version=1, resource_use="Text", priorities=[], results=[]
    )
    submission_attachment = attached(kalmar_dialogue.submission, "Handlingsplan")
    services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)
    services.submission_return(submission=kalmar_dialogue.submission, comment="Komplettera")
    day = DialogueDay.objects.create(title="Dialogdag", date=datetime.date(2019, 12, 4))
    objects = {
        "round": kalmar_dialogue.round,
        "dialogue": kalmar_dialogue,
        "observation": ObservationFactory(dialogue=kalmar_dialogue),
        "action": FollowUpActionFactory(dialogue=kalmar_dialogue),
        "day": day,
        "session": Session.objects.create(day=day, title="Kompetensförsörjning"),
        "commitment": JointCommitment.objects.create(region=region_b, title="Medel", kind="funds"),
        "report": FeedbackReportFactory(
            round=kalmar_dialogue.round,
            region=kalmar_dialogue.region,
            status="done",
            review_state="published",
            file=ContentFile(b"%PDF-1.7", name="rapport.pdf"),
        ),
    }
    objects["comment"] = ReportCommentFactory(report=objects["report"])
    objects["submission_attachment"] = submission_attachment
    objects["brief_attachment"] = attached(BriefFactory(dialogue=kalmar_dialogue), "Analys")
    objects["report_attachment"] = attached(objects["report"], "Rapportanalys")
    client.force_login(user_by_role[role])
    seen = []
    for namespace, name, route in _dialogue_url_names():
        owner = (
            next((o for prefix, o in PK_OWNERS.items() if route.startswith(prefix)), None)
            if "<int:pk>" in route
            else None
        )
        kwargs = {"pk": objects[owner].pk} if owner else {}
        if "<slug:slug>" in route:  # a county's pages: Kalmar's
            kwargs = {**kwargs, "slug": kalmar_dialogue.region.slug}
        url = reverse(f"{namespace}:{name}", kwargs=kwargs)
        response = client.get(url)
        expected = REFUSED.get(role, {}).get(name) or (405 if name in POST_ONLY else 200)
        assert response.status_code == expected, (name, url)
        seen.append(name)
    assert len(seen) >= 25


def test_admin_lists_every_dialogues_model_for_administrators(client, admin_user, kalmar_dialogue):
    from django.contrib import admin

    client.force_login(admin_user)
    models = [model for model in admin.site._registry if model._meta.app_label in ("dialogues", "reports")]
    assert len(models) == 9  # the parts of a submission and a day, and report comments, are edited inline
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert str(model._meta.verbose_name_plural).capitalize()[:5] in client.get(url).content.decode(), url
