"""Closing a round (issue #14): the checklist first, a refusal while a county's deadline runs, one
county's extended deadline, late submissions, "held" not before the day, and the round's progress."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import DialogueKind, DialogueStatus, RoundStatus, SubmissionStatus
from dialogues.models import DialogueRound, Submission
from dialogues.signals import round_closed
from tests.factories.dialogues import BriefFactory, DialogueFactory, SubmissionFactory
from tests.racing import race

pytestmark = pytest.mark.django_db


def _html(response):
    return response.content.decode()


def _submit(submission, user, text="Medlen följer RUS"):
    submission.refresh_from_db()
    services.submission_save_draft(
        submission=submission, expected_version=submission.version, resource_use=text, priorities=[], results=[]
    )
    services.submission_submit(submission=submission, user=user)
    submission.refresh_from_db()
    return submission


def _deadline_passed(dialogue_round, days=1):
    DialogueRound.objects.filter(pk=dialogue_round.pk).update(
        submission_deadline=timezone.localdate() - datetime.timedelta(days=days)
    )
    dialogue_round.refresh_from_db()


def _close_url(dialogue_round):
    return reverse("dialogues:round_close", args=[dialogue_round.pk])


# --- The checklist --------------------------------------------------------------------------


def test_round_close_page_lists_what_is_undone_with_the_counties_named_and_linked(
    client, ministry_user, kalmar_dialogue, kronoberg_dialogue, region_user
):
    _submit(kalmar_dialogue.submission, region_user)
    BriefFactory(dialogue=kalmar_dialogue)
    client.force_login(ministry_user)

    html = _html(client.get(_close_url(kalmar_dialogue.round)))

    assert "2 dialoger inte genomförda" in html
    assert "2 inlämningar saknas eller är inte godkända" in html
    # Kalmar has sent its submission in: only Kronoberg can still submit.
    assert "1 läns tidsfrist löper fortfarande" in html
    assert "1 underlag saknas" in html
    assert kronoberg_dialogue.get_absolute_url() in html
    assert kalmar_dialogue.submission.get_absolute_url() in html  # Kalmar's sent-in submission, to review
    assert reverse("dialogues:submission_deadline", args=[kronoberg_dialogue.pk]) in html
    assert "Stäng ändå trots att tidsfrister löper" in html
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.OPEN  # looking closes nothing


@pytest.mark.parametrize("n", (1, 3))
def test_round_close_page_queries_do_not_grow_with_counties(
    client, ministry_user, open_round, django_assert_num_queries, n
):
    from tests.factories.regions import RegionFactory

    for _ in range(n):
        SubmissionFactory(dialogue=DialogueFactory(round=open_round, region=RegionFactory()))
    client.force_login(ministry_user)
    # user, round, the four lists of the checklist
    with django_assert_num_queries(6):
        response = client.get(_close_url(open_round))
    assert _html(response).count("Testlän") >= 4 * n


def test_round_detail_offers_the_checklist_not_a_one_click_close(client, ministry_user, open_round):
    client.force_login(ministry_user)
    html = _html(client.get(open_round.get_absolute_url()))
    assert f'href="{_close_url(open_round)}"' in html
    assert f'action="{_close_url(open_round)}"' not in html


def test_round_close_without_the_confirmation_box_closes_nothing(client, ministry_user, kalmar_dialogue):
    _deadline_passed(kalmar_dialogue.round)
    client.force_login(ministry_user)

    response = client.post(_close_url(kalmar_dialogue.round), {})

    assert "Kryssa i rutan för att bekräfta att omgången ska stängas." in _html(response)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.OPEN


# --- Refused while a county's deadline runs -------------------------------------------------


def test_round_close_while_deadlines_run_is_refused_naming_the_counties(
    client, ministry_user, kalmar_dialogue, kronoberg_dialogue
):
    client.force_login(ministry_user)

    response = client.post(_close_url(kalmar_dialogue.round), {"confirm": "on"})

    # by county code: Kronoberg (07) before Kalmar (08)
    assert "Tidsfristen löper fortfarande för Kronobergs län, Kalmar län." in _html(response)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.OPEN


def test_round_close_anyway_although_deadlines_run_closes_with_one_message(client, ministry_user, kalmar_dialogue):
    client.force_login(ministry_user)

    response = client.post(_close_url(kalmar_dialogue.round), {"confirm": "on", "close_anyway": "on"}, follow=True)

    assert "Omgången är stängd." in _html(response)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.CLOSED


def test_round_close_once_every_deadline_has_passed_needs_only_the_confirmation(client, ministry_user, kalmar_dialogue):
    _deadline_passed(kalmar_dialogue.round)
    client.force_login(ministry_user)

    response = client.post(_close_url(kalmar_dialogue.round), {"confirm": "on"}, follow=True)

    assert "Omgången är stängd." in _html(response)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.CLOSED


def test_round_close_service_rechecks_the_deadlines_itself(kalmar_dialogue):
    with pytest.raises(ValidationError) as refused:
        services.round_close(dialogue_round=kalmar_dialogue.round)
    assert "Kalmar län" in " ".join(refused.value.messages)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.OPEN


def test_round_close_a_county_that_has_submitted_does_not_hold_the_round_open(kalmar_dialogue, region_user):
    _submit(kalmar_dialogue.submission, region_user)
    services.round_close(dialogue_round=kalmar_dialogue.round)
    kalmar_dialogue.round.refresh_from_db()
    assert kalmar_dialogue.round.status == RoundStatus.CLOSED


def test_round_close_an_extended_deadline_still_running_holds_the_round_open(kalmar_dialogue):
    dialogue_round = kalmar_dialogue.round
    _deadline_passed(dialogue_round)
    services.submission_deadline_extend(
        dialogue=kalmar_dialogue, deadline=timezone.localdate() + datetime.timedelta(days=2), reason="x"
    )

    with pytest.raises(ValidationError, match="Kalmar län"):
        services.round_close(dialogue_round=dialogue_round)


@pytest.mark.django_db(transaction=True)
def test_round_close_clicked_twice_at_once_closes_once(region_a):
    from tests.factories.dialogues import DialogueRoundFactory

    dialogue_round = DialogueRoundFactory(year=2016, submission_deadline=timezone.localdate() - datetime.timedelta(1))
    DialogueFactory(round=dialogue_round, region=region_a)
    sent = []

    def receiver(sender, round, **kwargs):
        sent.append(round.pk)

    def close():
        try:
            services.round_close(dialogue_round=DialogueRound.objects.get(pk=dialogue_round.pk))
        except ValidationError as error:
            return error.messages
        return "closed"

    round_closed.connect(receiver)
    try:
        results = race(close, close, lock_sql="LOCK TABLE dialogues_dialogueround IN EXCLUSIVE MODE")
    finally:
        round_closed.disconnect(receiver)

    assert results.count("closed") == 1
    assert [r for r in results if r != "closed"] == [["Bara en öppen omgång kan stängas."]]
    assert sent == [dialogue_round.pk]


# --- Which counties get a report --------------------------------------------------------------


def test_round_closed_names_the_counties_whose_dialogue_was_held(kalmar_dialogue, kronoberg_dialogue):
    dialogue_round = kalmar_dialogue.round
    kalmar_dialogue.start = timezone.now() - datetime.timedelta(days=2)
    kalmar_dialogue.end = kalmar_dialogue.start + datetime.timedelta(hours=2)
    kalmar_dialogue.save()
    services.dialogue_status_set(dialogue=kalmar_dialogue, status=DialogueStatus.HELD)
    _deadline_passed(dialogue_round)
    received = []

    def receiver(sender, round, held_regions, **kwargs):
        received.append([region.name for region in held_regions])

    round_closed.connect(receiver)
    try:
        services.round_close(dialogue_round=dialogue_round)
    finally:
        round_closed.disconnect(receiver)
    assert received == [["Kalmar län"]]


# --- One county's extended deadline -----------------------------------------------------------


def test_ministry_extends_one_countys_deadline_with_a_reason_kept_in_the_change_history(
    client,
    ministry_user,
    region_user,
    kalmar_dialogue,
    kronoberg_dialogue,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    dialogue_round = kalmar_dialogue.round
    new_deadline = dialogue_round.submission_deadline + datetime.timedelta(days=10)
    client.force_login(ministry_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dialogues:submission_deadline", args=[kalmar_dialogue.pk]),
            {"deadline": new_deadline.isoformat(), "reason": "Regionfullmäktige sammanträder sent"},
            follow=True,
        )

    assert "Länets tidsfrist har förlängts" in _html(response)
    submission = Submission.objects.get(pk=kalmar_dialogue.submission.pk)
    assert submission.deadline == new_deadline
    assert Submission.objects.get(pk=kronoberg_dialogue.submission.pk).deadline == dialogue_round.submission_deadline
    entry = LogEntry.objects.get_for_object(submission).latest("timestamp")
    assert entry.actor == ministry_user
    assert "deadline_extension_reason" in entry.changes_dict
    assert [message.to for message in mailoutbox if "har förlängts" in message.subject] == [[region_user.email]]


@pytest.mark.parametrize(
    ("days_after_round_deadline", "reason", "error"),
    [
        (0, "Skäl", "Välj en dag efter omgångens sista dag"),
        (-3, "Skäl", "Välj en dag efter omgångens sista dag"),
        (5, "   ", "reason"),
    ],
)
def test_deadline_extension_that_is_no_extension_or_has_no_reason_is_refused_on_the_form(
    client, ministry_user, kalmar_dialogue, days_after_round_deadline, reason, error
):
    deadline = kalmar_dialogue.round.submission_deadline + datetime.timedelta(days=days_after_round_deadline)
    client.force_login(ministry_user)

    response = client.post(
        reverse("dialogues:submission_deadline", args=[kalmar_dialogue.pk]),
        {"deadline": deadline.isoformat(), "reason": reason},
    )

    assert response.status_code == 200
    form = response.context["form"]
    if error == "reason":
        assert "reason" in form.errors  # a reason of blanks is no reason
    else:
        assert error in " ".join(form.errors["deadline"])
    assert Submission.objects.get(pk=kalmar_dialogue.submission.pk).deadline_extended_to is None


def test_deadline_extension_is_the_ministrys_alone(client, region_user, agency_user, kalmar_dialogue):
    url = reverse("dialogues:submission_deadline", args=[kalmar_dialogue.pk])
    data = {"deadline": "2099-01-01", "reason": "Egen förlängning"}
    for user in (region_user, agency_user):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert Submission.objects.get(pk=kalmar_dialogue.submission.pk).deadline_extended_to is None


def test_county_with_a_running_extension_submits_after_the_round_deadline(kalmar_dialogue, region_user):
    _deadline_passed(kalmar_dialogue.round)
    services.submission_deadline_extend(
        dialogue=kalmar_dialogue, deadline=timezone.localdate() + datetime.timedelta(days=3), reason="x"
    )

    submission = _submit(kalmar_dialogue.submission, region_user)

    assert submission.status == SubmissionStatus.SUBMITTED
    assert not submission.is_late


def test_county_without_an_extension_cannot_submit_after_the_round_deadline(kronoberg_dialogue, other_region_user):
    _deadline_passed(kronoberg_dialogue.round)
    with pytest.raises(ValidationError, match="har passerat"):
        _submit(kronoberg_dialogue.submission, other_region_user)


def test_county_sees_its_own_extended_deadline_wherever_the_deadline_is_shown(
    client, region_user, other_region_user, kalmar_dialogue, kronoberg_dialogue
):
    from django.utils.formats import date_format

    dialogue_round = kalmar_dialogue.round
    extended = dialogue_round.submission_deadline + datetime.timedelta(days=12)
    services.submission_deadline_extend(dialogue=kalmar_dialogue, deadline=extended, reason="Sent fullmäktige")
    shown, round_shown = date_format(extended), date_format(dialogue_round.submission_deadline)
    # The start page's work queues (portal/) are not checked here: they are the portal's to show.
    pages = [
        reverse("dialogues:round_list"),
        dialogue_round.get_absolute_url(),
        kalmar_dialogue.get_absolute_url(),
        reverse("dialogues:submission_detail", args=[kalmar_dialogue.pk]),
        reverse("dialogues:submission_edit", args=[kalmar_dialogue.pk]),
    ]
    client.force_login(region_user)
    for url in pages:
        assert shown in _html(client.get(url)), url
    client.force_login(other_region_user)  # Kronoberg keeps the round's deadline
    for url in (reverse("dialogues:round_list"), dialogue_round.get_absolute_url()):
        html = _html(client.get(url))
        assert round_shown in html and shown not in html, url


# --- Late submissions -------------------------------------------------------------------------


def test_submission_first_sent_in_after_its_deadline_is_shown_as_late_to_the_ministry(
    client, ministry_user, region_user, kalmar_dialogue, kronoberg_dialogue, other_region_user
):
    _submit(kalmar_dialogue.submission, region_user)
    _submit(kronoberg_dialogue.submission, other_region_user)
    # Kalmar's came in after its deadline (the round's deadline was later moved to before it).
    Submission.objects.filter(pk=kalmar_dialogue.submission.pk).update(
        first_submitted_at=timezone.now() + datetime.timedelta(days=40)
    )
    client.force_login(ministry_user)

    overview = _html(client.get(kalmar_dialogue.round.get_absolute_url()))
    assert overview.count("Försenad") == 1
    assert "Försenad" in _html(client.get(reverse("dialogues:submission_detail", args=[kalmar_dialogue.pk])))
    assert "Försenad" not in _html(client.get(reverse("dialogues:submission_detail", args=[kronoberg_dialogue.pk])))


def test_submission_keeps_its_first_submission_time_when_sent_in_again(kalmar_dialogue, region_user):
    submission = _submit(kalmar_dialogue.submission, region_user)
    first = submission.first_submitted_at
    services.submission_return(submission=submission, comment="Komplettera")
    submission = _submit(submission, region_user, text="Kompletterad")
    assert submission.first_submitted_at == first
    assert submission.submitted_at > first


# --- Held, not before the day -----------------------------------------------------------------


def test_dialogue_cannot_be_marked_held_before_its_date(client, ministry_user, kalmar_dialogue):
    start = timezone.now() + datetime.timedelta(days=3)
    services.dialogue_schedule(
        dialogue=kalmar_dialogue, start=start, end=start + datetime.timedelta(hours=2), place="Kalmar"
    )
    with pytest.raises(ValidationError, match="före sitt datum"):
        services.dialogue_status_set(dialogue=kalmar_dialogue, status=DialogueStatus.HELD)
    client.force_login(ministry_user)

    response = client.post(
        reverse("dialogues:dialogue_status", args=[kalmar_dialogue.pk]), {"status": "held"}, follow=True
    )

    assert "Dialogen kan inte markeras som genomförd före sitt datum" in _html(response)
    kalmar_dialogue.refresh_from_db()
    assert kalmar_dialogue.status == DialogueStatus.SCHEDULED


def test_dialogue_is_marked_held_on_its_day(kalmar_dialogue):
    start = timezone.now()
    kalmar_dialogue.start, kalmar_dialogue.end = start, start + datetime.timedelta(minutes=1)
    kalmar_dialogue.status = DialogueStatus.SCHEDULED
    kalmar_dialogue.save()
    services.dialogue_status_set(dialogue=kalmar_dialogue, status=DialogueStatus.HELD)
    assert kalmar_dialogue.status == DialogueStatus.HELD


# --- The round's progress ---------------------------------------------------------------------


def test_round_page_shows_the_progress_per_phase_as_bars_with_text(
    client, ministry_user, region_user, kalmar_dialogue, kronoberg_dialogue
):
    from tests.factories.dialogues import FeedbackReportFactory

    _submit(kalmar_dialogue.submission, region_user)
    DialogueFactory(round=kalmar_dialogue.round, region=kalmar_dialogue.region, kind=DialogueKind.BILATERAL)
    FeedbackReportFactory(
        round=kalmar_dialogue.round, region=kalmar_dialogue.region, is_current=True, review_state="published"
    )
    client.force_login(ministry_user)

    html = _html(client.get(kalmar_dialogue.round.get_absolute_url()))

    assert "1 av 2 inlämnade" in html
    assert "0 av 2 genomförda" in html
    assert "1 av 2 rapporter publicerade" in html
    assert html.count("<progress") == 3
    assert 'max="2"' in html and 'value="1"' in html


def test_round_progress_is_not_shown_to_a_county(client, region_user, kalmar_dialogue, kronoberg_dialogue):
    client.force_login(region_user)
    html = _html(client.get(kalmar_dialogue.round.get_absolute_url()))
    assert "<progress" not in html
    assert "inlämnade" not in html


def test_submission_reminder_follows_the_countys_extended_deadline(
    kalmar_dialogue, kronoberg_dialogue, region_user, other_region_user, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils.formats import date_format

    today = timezone.localdate()
    DialogueRound.objects.filter(pk=kalmar_dialogue.round_id).update(submission_deadline=today + datetime.timedelta(1))
    extended = today + datetime.timedelta(days=7)
    services.submission_deadline_extend(dialogue=kalmar_dialogue, deadline=extended, reason="Sent fullmäktige")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.submission_reminders_send(today=today) == 2

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert date_format(extended) in by_recipient[region_user.email].subject  # Kalmar: 7 days to its own deadline
    assert date_format(today + datetime.timedelta(1)) in by_recipient[other_region_user.email].subject
