"""Several users per county: directors submit and answer returns, editors draft (issue 18)."""

import pytest
import rules
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.choices import CountyRole, Role
from dialogues import services
from dialogues.choices import SubmissionStatus
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2016), region=region_a)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


@pytest.fixture
def priority(region_a):
    strategy = RegionalStrategyFactory(region=region_a, start_year=2014, end_year=2020)
    return StrategyPriorityFactory(strategy=strategy, number=1, title="Attraktiva livsmiljöer")


@pytest.fixture
def editor(region_a):
    return UserFactory(role=Role.REGION, region=region_a, county_role=CountyRole.EDITOR, full_name="Erik Editor")


def _post(client, dialogue, priority, *, text, version, submit):
    data = {
        "version": version,
        "resource_use": text,
        "priorities-TOTAL_FORMS": "1",
        "priorities-INITIAL_FORMS": "0",
        "priorities-0-rank": "1",
        "priorities-0-strategy_priority": priority.pk,
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
    }
    data["submit" if submit else "save"] = "1"
    return client.post(reverse("dialogues:submission_edit", args=[dialogue.pk]), data, follow=True)


@pytest.mark.parametrize(
    ("county_role", "own_county", "allowed"),
    [(CountyRole.DIRECTOR, True, True), (CountyRole.EDITOR, True, False), (CountyRole.DIRECTOR, False, False)],
)
def test_submit_submission_rule_only_own_countys_director(
    dialogue, region_a, region_b, county_role, own_county, allowed
):
    user = UserFactory(role=Role.REGION, region=region_a if own_county else region_b, county_role=county_role)
    assert rules.has_perm("dialogues.submit_submission", user, dialogue.submission) is allowed


@pytest.mark.parametrize("role", [Role.MINISTRY, Role.AGENCY])
def test_submit_submission_rule_refuses_national_staff(dialogue, role):
    assert not rules.has_perm("dialogues.submit_submission", UserFactory(role=role), dialogue.submission)


def test_submission_submit_by_editor_is_refused_naming_the_director(dialogue, editor, region_user):
    services.submission_save_draft(
        submission=dialogue.submission, expected_version=1, resource_use="Utkast", priorities=[], results=[]
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submission_submit(submission=dialogue.submission, user=editor)
    assert "Karin Kalmar" in refused.value.messages[0]
    dialogue.submission.refresh_from_db()
    assert dialogue.submission.status == SubmissionStatus.DRAFT
    assert dialogue.submission.versions.count() == 0


def test_submission_resubmit_after_return_only_by_director(dialogue, editor, region_user):
    submission = dialogue.submission
    services.submission_save_draft(
        submission=submission, expected_version=1, resource_use="Utkast", priorities=[], results=[]
    )
    services.submission_submit(submission=submission, user=region_user)
    services.submission_return(submission=submission, comment="Komplettera")
    with pytest.raises(ValidationError):
        services.submission_submit(submission=submission, user=editor)
    services.submission_submit(submission=submission, user=region_user)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_submission_edit_page_editor_sees_no_submit_button_and_who_to_ask(client, dialogue, editor, region_user):
    client.force_login(editor)
    html = client.get(reverse("dialogues:submission_edit", args=[dialogue.pk])).content.decode()
    assert 'name="submit"' not in html
    assert 'name="save"' in html
    assert "Karin Kalmar" in html.split('id="submit-explanation"')[1]


def test_submission_edit_page_director_sees_the_submit_button(client, dialogue, region_user, editor):
    client.force_login(region_user)
    html = client.get(reverse("dialogues:submission_edit", args=[dialogue.pk])).content.decode()
    assert 'name="submit"' in html
    assert "submit-explanation" not in html


def test_submission_edit_editor_posting_submit_is_refused_and_nothing_saved(
    client, dialogue, priority, editor, region_user
):
    client.force_login(editor)
    response = _post(client, dialogue, priority, text="Sänd ändå", version=1, submit=True)
    assert "Karin Kalmar" in response.content.decode()
    dialogue.submission.refresh_from_db()
    assert dialogue.submission.status == SubmissionStatus.DRAFT
    assert dialogue.submission.resource_use == ""


def test_submission_history_shows_the_editor_drafting_and_the_director_submitting(
    client, dialogue, priority, editor, region_user, ministry_user
):
    client.force_login(editor)
    _post(client, dialogue, priority, text="Erik skrev utkastet", version=1, submit=False)
    client.force_login(region_user)
    dialogue.submission.refresh_from_db()
    _post(client, dialogue, priority, text="Karin skickade in", version=dialogue.submission.version, submit=True)
    dialogue.submission.refresh_from_db()
    assert dialogue.submission.status == SubmissionStatus.SUBMITTED

    client.force_login(ministry_user)
    html = client.get(reverse("dialogues:submission_detail", args=[dialogue.pk])).content.decode()
    start = html.find('<details class="audit-trail')
    assert start != -1, "no change history on the page"
    trail = html[start : html.index("</details>", start)]
    assert "Erik Editor" in trail  # the editor's draft
    assert "Karin Kalmar" in trail  # the director's submission
    version = dialogue.submission.versions.get()
    assert version.submitted_by == region_user


def test_existing_regional_users_are_directors_and_others_have_no_county_role(region_user, ministry_user):
    assert region_user.county_role == CountyRole.DIRECTOR
    assert ministry_user.county_role == ""


def test_county_role_only_for_regional_users(region_a):
    user = UserFactory(role=Role.MINISTRY)
    user.county_role = CountyRole.EDITOR
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])
