import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.choices import Role
from core.concurrency import StaleEditError
from dialogues import services
from dialogues.choices import ActionStatus, DialogueKind, DialogueStatus, RoundStatus, SubmissionStatus
from dialogues.models import Dialogue, FollowUpAction, Submission
from dialogues.signals import round_closed
from regions.models import GoodExample
from tests.factories.accounts import UserFactory
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    ParticipantFactory,
)
from tests.factories.regions import ContactFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _draft(submission, *, version=None, text="Medlen går till RUS", priorities=(), results=()):
    return services.submission_save_draft(
        submission=submission,
        expected_version=submission.version if version is None else version,
        resource_use=text,
        priorities=list(priorities),
        results=list(results),
    )


# --- Rounds ---------------------------------------------------------------------------------


def test_round_open_creates_one_annual_dialogue_and_draft_per_chosen_county_and_mails_their_users(
    region_a, region_b, region_user, other_region_user, ministry_user, django_capture_on_commit_callbacks
):
    third = RegionFactory(code="09", name="Gotlands län")
    UserFactory(role=Role.REGION, region=third)
    dialogue_round = DialogueRoundFactory(status=RoundStatus.PLANNING)

    with django_capture_on_commit_callbacks(execute=True):
        created = services.round_open(dialogue_round=dialogue_round, regions=[region_a, region_b])

    dialogue_round.refresh_from_db()
    assert dialogue_round.status == RoundStatus.OPEN
    assert {d.region for d in created} == {region_a, region_b}
    assert not Dialogue.objects.filter(region=third).exists()
    assert Submission.objects.filter(dialogue__round=dialogue_round, status=SubmissionStatus.DRAFT).count() == 2
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([region_user.email, other_region_user.email])
    assert dialogue_round.title in mail.outbox[0].subject


def test_round_open_without_counties_chosen_opens_all(region_a, region_b):
    dialogue_round = DialogueRoundFactory(status=RoundStatus.PLANNING)
    services.round_open(dialogue_round=dialogue_round)
    assert dialogue_round.dialogues.count() == 2


def test_round_open_twice_is_refused_and_creates_nothing_more(region_a):
    dialogue_round = DialogueRoundFactory(status=RoundStatus.PLANNING)
    services.round_open(dialogue_round=dialogue_round, regions=[region_a])
    with pytest.raises(ValidationError, match="planeras"):
        services.round_open(dialogue_round=dialogue_round, regions=[region_a])
    assert dialogue_round.dialogues.count() == 1


def test_round_open_carries_unfinished_actions_of_the_previous_round_only(region_a, region_b):
    old_round = DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED)
    old_kalmar = DialogueFactory(round=old_round, region=region_a)
    open_action = FollowUpActionFactory(dialogue=old_kalmar, what="Utveckla resultatredovisningen", due_date=None)
    started = FollowUpActionFactory(dialogue=old_kalmar, what="Koppla medel till RUS", status=ActionStatus.IN_PROGRESS)
    FollowUpActionFactory(dialogue=old_kalmar, what="Klar åtgärd", status=ActionStatus.DONE)
    FollowUpActionFactory(dialogue=DialogueFactory(round=old_round, region=region_b), what="Kronobergs åtgärd")
    new_round = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)

    services.round_open(dialogue_round=new_round, regions=[region_a, region_b])

    new_kalmar = new_round.dialogues.get(region=region_a)
    carried = {a.what: a for a in new_kalmar.actions.all()}
    assert set(carried) == {"Utveckla resultatredovisningen", "Koppla medel till RUS"}
    assert carried["Utveckla resultatredovisningen"].carried_from == open_action
    assert carried["Koppla medel till RUS"].status == ActionStatus.IN_PROGRESS
    assert carried["Koppla medel till RUS"].carried_from == started
    assert list(new_round.dialogues.get(region=region_b).actions.values_list("what", flat=True)) == [
        "Kronobergs åtgärd"
    ]


def test_round_dialogues_create_never_carries_an_action_twice(region_a):
    old_dialogue = DialogueFactory(round=DialogueRoundFactory(year=2015), region=region_a)
    FollowUpActionFactory(dialogue=old_dialogue)
    new_round = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    services.round_dialogues_create(dialogue_round=new_round, regions=[region_a])
    services.round_open(dialogue_round=new_round, regions=[region_a])
    assert FollowUpAction.objects.filter(dialogue__round=new_round).count() == 1


def test_one_annual_dialogue_per_region_and_round_is_enforced_but_bilateral_talks_are_not_limited(region_a):
    dialogue = DialogueFactory(region=region_a)
    DialogueFactory(round=dialogue.round, region=region_a, kind=DialogueKind.BILATERAL)
    DialogueFactory(round=dialogue.round, region=region_a, kind=DialogueKind.BILATERAL)
    with pytest.raises(IntegrityError):
        DialogueFactory(round=dialogue.round, region=region_a)


def test_round_close_sends_round_closed_for_the_reports(open_round):
    received = []

    def receiver(sender, round, **kwargs):
        received.append(round.pk)

    round_closed.connect(receiver)
    try:
        services.round_close(dialogue_round=open_round)
    finally:
        round_closed.disconnect(receiver)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED
    assert received == [open_round.pk]


def test_round_close_of_a_round_in_planning_is_refused():
    dialogue_round = DialogueRoundFactory(status=RoundStatus.PLANNING)
    with pytest.raises(ValidationError):
        services.round_close(dialogue_round=dialogue_round)
    dialogue_round.refresh_from_db()
    assert dialogue_round.status == RoundStatus.PLANNING


# --- Scheduling -----------------------------------------------------------------------------


def _when(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_dialogue_schedule_saves_participants_and_warns_of_double_booking(kalmar_dialogue, kronoberg_dialogue):
    day = kalmar_dialogue.round.submission_deadline
    person = ContactFactory(name="Maria Departementet")
    services.dialogue_schedule(
        dialogue=kronoberg_dialogue,
        start=_when(day, 9),
        end=_when(day, 12),
        place="Växjö",
        participants=[(person, "ministry")],
    )

    warnings = services.dialogue_schedule(
        dialogue=kalmar_dialogue,
        start=_when(day, 11),
        end=_when(day, 13),
        place="Kalmar",
        participants=[(person, "ministry"), (ContactFactory(), "region")],
    )

    kalmar_dialogue.refresh_from_db()
    assert kalmar_dialogue.status == DialogueStatus.SCHEDULED
    assert kalmar_dialogue.participants.count() == 2
    assert warnings == ["Maria Departementet deltar också i dialogen med Kronobergs län vid den tiden."]


def test_dialogue_schedule_after_the_rounds_end_warns_and_replaces_participants(kalmar_dialogue):
    old = ParticipantFactory(dialogue=kalmar_dialogue)
    late = kalmar_dialogue.round.ends_on + datetime.timedelta(days=3)
    warnings = services.dialogue_schedule(
        dialogue=kalmar_dialogue, start=_when(late, 9), end=_when(late, 10), video_link="https://video.example/1"
    )
    assert len(warnings) == 1
    assert "efter omgångens sista dag" in warnings[0]
    assert not kalmar_dialogue.participants.filter(pk=old.pk).exists()


# --- Submissions ----------------------------------------------------------------------------


def test_submission_save_draft_stores_priorities_and_results_and_bumps_the_version(kalmar_dialogue, kalmar_priorities):
    submission = kalmar_dialogue.submission
    _draft(
        submission,
        priorities=[{"rank": 1, "strategy_priority": kalmar_priorities[1], "rationale": "Viktigast"}],
        results=[{"indicator": "Nya jobb", "baseline": "0", "target": "100", "outcome": "", "comment": ""}],
    )
    submission.refresh_from_db()
    assert submission.version == 2
    assert submission.resource_use == "Medlen går till RUS"
    assert [str(p.strategy_priority) for p in submission.priorities.all()] == ["2. Konkurrenskraftigt näringsliv"]
    assert list(submission.results.values_list("indicator", flat=True)) == ["Nya jobb"]


def test_submission_save_draft_second_of_two_concurrent_saves_is_refused(kalmar_dialogue):
    submission = kalmar_dialogue.submission
    alice, bob = Submission.objects.get(pk=submission.pk), Submission.objects.get(pk=submission.pk)
    _draft(alice, version=1, text="Alices text")
    with pytest.raises(StaleEditError):
        _draft(bob, version=1, text="Bobs text")
    submission.refresh_from_db()
    assert submission.resource_use == "Alices text"


def test_submission_save_draft_refuses_another_countys_strategy_priority(kalmar_dialogue, kronoberg_priority):
    with pytest.raises(ValidationError, match="länets egen"):
        _draft(kalmar_dialogue.submission, priorities=[{"rank": 1, "strategy_priority": kronoberg_priority}])
    assert not kalmar_dialogue.submission.priorities.exists()


def test_submission_save_draft_after_the_deadline_is_refused_with_the_date(kalmar_dialogue):
    dialogue_round = kalmar_dialogue.round
    dialogue_round.submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    dialogue_round.save()
    with pytest.raises(ValidationError, match=r"Sista dagen .* har passerat"):
        _draft(kalmar_dialogue.submission)
    kalmar_dialogue.submission.refresh_from_db()
    assert kalmar_dialogue.submission.resource_use == ""


def test_submission_submit_keeps_a_version_and_freezes_the_submission(kalmar_dialogue, region_user):
    submission = kalmar_dialogue.submission
    _draft(submission, text="Första versionen")

    version = services.submission_submit(submission=submission, user=region_user)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert (version.number, version.data["resource_use"], version.submitted_by) == (1, "Första versionen", region_user)
    with pytest.raises(ValidationError, match="har skickats in"):
        _draft(submission, text="Ändrad efteråt")


def test_submission_submit_empty_is_refused(kalmar_dialogue, region_user):
    with pytest.raises(ValidationError, match="tom"):
        services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)
    assert kalmar_dialogue.submission.versions.count() == 0


def test_submission_return_then_resubmit_keeps_both_versions_and_mails_the_county(
    kalmar_dialogue, region_user, django_capture_on_commit_callbacks
):
    submission = kalmar_dialogue.submission
    _draft(submission, text="Version ett")
    services.submission_submit(submission=submission, user=region_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=submission, comment="Koppla resultaten till RUS.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert mail.outbox[-1].to == [region_user.email]
    assert "Koppla resultaten till RUS." in mail.outbox[-1].body

    _draft(submission, text="Version två")
    services.submission_submit(submission=submission, user=region_user)
    assert [v.data["resource_use"] for v in submission.versions.order_by("number")] == ["Version ett", "Version två"]


def test_submission_returned_may_be_completed_after_the_deadline(kalmar_dialogue, region_user):
    submission = kalmar_dialogue.submission
    _draft(submission)
    services.submission_submit(submission=submission, user=region_user)
    services.submission_return(submission=submission, comment="Komplettera")
    kalmar_dialogue.round.submission_deadline = timezone.localdate() - datetime.timedelta(days=1)
    kalmar_dialogue.round.save()
    submission.refresh_from_db()
    _draft(submission, text="Kompletterad")
    services.submission_submit(submission=submission, user=region_user)
    assert submission.versions.count() == 2


def test_submission_return_needs_a_comment(kalmar_dialogue, region_user):
    _draft(kalmar_dialogue.submission)
    services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)
    with pytest.raises(ValidationError, match="kommentar"):
        services.submission_return(submission=kalmar_dialogue.submission, comment="  ")


def test_submission_accepted_can_no_longer_be_changed(kalmar_dialogue, region_user):
    submission = kalmar_dialogue.submission
    _draft(submission)
    services.submission_submit(submission=submission, user=region_user)
    services.submission_accept(submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    with pytest.raises(ValidationError, match="godkänts"):
        _draft(submission)
    with pytest.raises(ValidationError):
        services.submission_return(submission=submission, comment="För sent")


def test_submission_accept_of_a_draft_is_refused(kalmar_dialogue):
    with pytest.raises(ValidationError):
        services.submission_accept(submission=kalmar_dialogue.submission)


# --- Observations and briefs ----------------------------------------------------------------


def test_observation_marked_good_example_appears_on_the_countys_good_examples_and_leaves_with_the_mark(
    kalmar_dialogue, ministry_user
):
    observation = services.observation_create(
        dialogue=kalmar_dialogue,
        author=ministry_user,
        category="learning",
        title="Uppföljning av företagsstöden",
        text="Systematisk uppföljning.",
        shared_with_region=True,
        is_good_example=True,
    )
    example = GoodExample.objects.get(region=kalmar_dialogue.region)
    assert (example.title, example.summary, example.year) == (
        "Uppföljning av företagsstöden",
        "Systematisk uppföljning.",
        2016,
    )
    assert observation.good_example == example

    services.observation_update(observation=observation, is_good_example=False)
    assert not GoodExample.objects.exists()


def test_observation_good_example_links_an_existing_example_with_the_same_title(kalmar_dialogue):
    existing = GoodExample.objects.create(region=kalmar_dialogue.region, title="Insatslogiken i fokus", year=2016)
    observation = services.observation_create(
        dialogue=kalmar_dialogue,
        author=None,
        category="results",
        title="Insatslogiken i fokus",
        shared_with_region=True,
        is_good_example=True,
    )
    assert observation.good_example == existing
    assert GoodExample.objects.count() == 1


def test_brief_save_second_concurrent_edit_is_refused(kalmar_dialogue):
    agency = UserFactory(role=Role.AGENCY)
    brief = services.brief_save(dialogue=kalmar_dialogue, text="Första", author=agency)
    services.brief_save(dialogue=kalmar_dialogue, text="Andra", author=agency, expected_version=brief.version)
    with pytest.raises(StaleEditError):
        services.brief_save(dialogue=kalmar_dialogue, text="Tredje", author=agency, expected_version=brief.version)
    kalmar_dialogue.brief.refresh_from_db()
    assert kalmar_dialogue.brief.text == "Andra"
