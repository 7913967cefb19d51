"""Observation matrix, calendar and .ics, exports, search and deadline reminders."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from dialogues import services
from dialogues.choices import RoundStatus
from dialogues.tasks import submission_reminders_send_task
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    ObservationFactory,
    SubmissionFactory,
)
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_counties(kalmar_dialogue, kronoberg_dialogue, region_user):
    ObservationFactory(
        dialogue=kalmar_dialogue, category="results", title="Kalmars resultatfråga", text="Indikatorerna saknas"
    )
    ObservationFactory(
        dialogue=kalmar_dialogue, category="capacity", title="Kalmars interna anteckning", shared_with_region=False
    )
    ObservationFactory(dialogue=kronoberg_dialogue, category="results", title="Kronobergs resultatfråga")
    FollowUpActionFactory(dialogue=kalmar_dialogue, what="Kalmar tar fram indikatorer för företagsstöden")
    BriefFactory(dialogue=kalmar_dialogue, text="Underlag om Kalmar")
    start = timezone.make_aware(datetime.datetime.combine(kalmar_dialogue.round.submission_deadline, datetime.time(9)))
    services.dialogue_schedule(
        dialogue=kalmar_dialogue, start=start, end=start + datetime.timedelta(hours=2), place="Kalmar slott"
    )
    services.dialogue_schedule(
        dialogue=kronoberg_dialogue,
        start=start + datetime.timedelta(days=1),
        end=start + datetime.timedelta(days=1, hours=2),
        place="Växjö",
    )
    services.submission_save_draft(
        submission=kalmar_dialogue.submission,
        expected_version=1,
        resource_use="Prioriteringarna styr fördelningen",
        priorities=[],
        results=[],
    )
    services.submission_submit(submission=kalmar_dialogue.submission, user=region_user)
    return kalmar_dialogue.round


def _html(response):
    return response.content.decode()


def test_observation_matrix_counts_per_county_and_category_and_opens_the_texts(client, ministry_user, both_counties):
    client.force_login(ministry_user)
    url = reverse("dialogues:observation_matrix", args=[both_counties.pk])
    html = _html(client.get(url))
    assert "Kalmar län" in html and "Kronobergs län" in html
    assert 'aria-label="1 iakttagelser, Kalmar län"' in html
    texts = _html(client.get(url, {"region": "08", "category": "results"}))
    assert "Indikatorerna saknas" in texts
    assert "Kronobergs resultatfråga" not in texts


def test_observation_matrix_for_a_county_counts_only_its_shared_observations(client, region_user, both_counties):
    client.force_login(region_user)
    url = reverse("dialogues:observation_matrix", args=[both_counties.pk])
    html = _html(client.get(url))
    assert "Kronobergs län" not in html
    assert "Kalmar län" in html
    assert "Kalmars interna anteckning" not in _html(client.get(url, {"category": "capacity"}))
    assert "Kronobergs resultatfråga" not in _html(client.get(url, {"category": "results"}))


def test_round_export_csv_for_a_county_holds_only_its_own_row_and_no_brief_column(
    client, other_region_user, both_counties
):
    client.force_login(other_region_user)
    response = client.get(reverse("dialogues:round_export_csv", args=[both_counties.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Län"
    assert "Underlag klart" not in rows[0]
    assert [row[0] for row in rows[1:]] == ["Kronobergs län"]
    assert "Kalmar" not in response.content.decode("utf-8-sig")


def test_round_export_xlsx_for_the_ministry_holds_every_county(client, ministry_user, both_counties):
    client.force_login(ministry_user)
    response = client.get(reverse("dialogues:round_export_xlsx", args=[both_counties.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Dialoger", "Iakttagelser", "Uppföljningsåtgärder"]
    rows = list(workbook["Dialoger"].iter_rows(values_only=True))
    assert "Underlag klart" in rows[0]
    assert [row[0] for row in rows[1:]] == ["Kronobergs län", "Kalmar län"]  # by county code
    kalmar = dict(zip(rows[0], rows[2], strict=True))
    assert (kalmar["Inlämning"], kalmar["Underlag klart"], kalmar["Iakttagelser"]) == ("Inlämnad", "Ja", 2)


def test_dialogue_ics_is_a_calendar_event_and_other_counties_get_404(
    client, region_user, other_region_user, both_counties
):
    dialogue = both_counties.dialogues.get(region__code="08")
    client.force_login(region_user)
    response = client.get(reverse("dialogues:dialogue_ics", args=[dialogue.pk]))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["location"]) == "Kalmar slott"
    assert "Kalmar län" in str(event["summary"])
    client.force_login(other_region_user)
    assert client.get(reverse("dialogues:dialogue_ics", args=[dialogue.pk])).status_code == 404
    round_ics = client.get(reverse("dialogues:round_ics", args=[both_counties.pk])).content.decode()
    assert "Växjö" in round_ics and "Kalmar" not in round_ics


def test_round_calendar_lists_scheduled_dialogues_by_month(client, agency_user, both_counties):
    client.force_login(agency_user)
    html = _html(client.get(reverse("dialogues:round_calendar", args=[both_counties.pk])))
    assert "Kalmar slott" in html and "Växjö" in html


@pytest.mark.parametrize("n", (1, 3))
def test_round_calendar_and_matrix_queries_do_not_grow(client, ministry_user, django_assert_num_queries, n):
    dialogue_round = DialogueRoundFactory()
    start = timezone.now()
    for _ in range(n):
        dialogue = DialogueFactory(round=dialogue_round, region=RegionFactory(), start=start, end=start, place="Sthlm")
        ObservationFactory.create_batch(2, dialogue=dialogue)
    client.force_login(ministry_user)
    with django_assert_num_queries(3):  # user, round, dialogues
        html = _html(client.get(reverse("dialogues:round_calendar", args=[dialogue_round.pk])))
    assert html.count("Sthlm") == n
    with django_assert_num_queries(4):  # user, round, counts, counties
        html = _html(client.get(reverse("dialogues:observation_matrix", args=[dialogue_round.pk])))
    assert html.count('<th scope="row"') == n


def test_search_finds_words_in_their_swedish_forms(client, ministry_user, both_counties):
    client.force_login(ministry_user)
    html = _html(client.get(reverse("dialogues:search"), {"q": "prioriteringar"}))
    assert "Kalmar län, Regionala utvecklingsdialoger 2016" in html  # "Prioriteringarna" in the submission
    html = _html(client.get(reverse("dialogues:search"), {"q": "indikatorer"}))
    assert "Kalmars resultatfråga" in html  # "Indikatorerna saknas"
    assert "Kalmar tar fram indikatorer" in html


def test_search_never_shows_another_countys_material_or_unshared_observations(
    client, region_user, other_region_user, both_counties
):
    client.force_login(other_region_user)
    for query in ("Kalmar", "indikatorer", "prioriteringar", "resultatfråga", "underlag"):
        html = _html(client.get(reverse("dialogues:search"), {"q": query}))
        assert "Kalmar län" not in html, query
        assert "Kalmars" not in html, query
    client.force_login(region_user)
    html = _html(client.get(reverse("dialogues:search"), {"q": "anteckning"}))
    assert "Kalmars interna anteckning" not in html


def test_submission_reminders_go_to_drafts_due_in_7_or_1_days_once_a_day(
    region_a, region_b, region_user, other_region_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    due = DialogueRoundFactory(year=2040, submission_deadline=today + datetime.timedelta(days=7))
    later = DialogueRoundFactory(year=2041, submission_deadline=today + datetime.timedelta(days=8))
    draft = SubmissionFactory(dialogue=DialogueFactory(round=due, region=region_a))
    SubmissionFactory(dialogue=DialogueFactory(round=due, region=region_b), status="submitted")
    SubmissionFactory(dialogue=DialogueFactory(round=later, region=region_b))

    with django_capture_on_commit_callbacks(execute=True):
        assert submission_reminders_send_task.delay().get() == 1
        assert services.submission_reminders_send() == 0  # once a day, however often it runs

    assert [m.to for m in mail.outbox] == [[region_user.email]]
    assert due.title in mail.outbox[0].subject
    draft.refresh_from_db()
    assert draft.reminder_sent_on == today


def test_submission_reminders_skip_rounds_that_are_not_open(region_a, region_user):
    closed = DialogueRoundFactory(
        status=RoundStatus.CLOSED, submission_deadline=timezone.localdate() + datetime.timedelta(days=1)
    )
    SubmissionFactory(dialogue=DialogueFactory(round=closed, region=region_a))
    assert services.submission_reminders_send() == 0


def test_round_export_xlsx_for_a_county_holds_only_its_shared_observations_and_own_actions(
    client, region_user, both_counties
):
    client.force_login(region_user)
    response = client.get(reverse("dialogues:round_export_xlsx", args=[both_counties.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    observations = [row[2] for row in workbook["Iakttagelser"].iter_rows(min_row=2, values_only=True)]
    assert observations == ["Kalmars resultatfråga"]
    actions = [row[1] for row in workbook["Uppföljningsåtgärder"].iter_rows(min_row=2, values_only=True)]
    assert actions == ["Kalmar tar fram indikatorer för företagsstöden"]
    assert "Underlag" not in str(list(workbook["Dialoger"].iter_rows(values_only=True)))
