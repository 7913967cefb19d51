"""The round export says which submissions came late (first sent in after the deadline in force)
and which county has its own, extended deadline (issue 14)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dialogues.choices import SubmissionStatus
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, SubmissionFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

QUERIES = 3  # the same however many counties: no query per row for the deadline in force


@pytest.fixture
def round_with_late_and_extended(region_a, region_b):
    """Kalmar (08) sent in late; Kronoberg (07) on time, within its extension; Gotland (09) not at all."""
    deadline = timezone.localdate() - datetime.timedelta(days=10)
    dialogue_round = DialogueRoundFactory(year=2070, submission_deadline=deadline)

    def sent_on(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    SubmissionFactory(
        dialogue=DialogueFactory(round=dialogue_round, region=region_a),
        status=SubmissionStatus.SUBMITTED,
        first_submitted_at=sent_on(deadline + datetime.timedelta(days=2)),
    )
    SubmissionFactory(
        dialogue=DialogueFactory(round=dialogue_round, region=region_b),
        status=SubmissionStatus.SUBMITTED,
        first_submitted_at=sent_on(deadline + datetime.timedelta(days=2)),
        deadline_extended_to=deadline + datetime.timedelta(days=5),
        deadline_extension_reason="Val i regionfullmäktige",
    )
    gotland = RegionFactory(code="09", name="Gotlands län", slug="gotlands-lan")
    SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=gotland))
    return dialogue_round, deadline


def _xlsx_rows(response) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(response.content))["Dialoger"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_round_export_for_the_ministry_says_late_and_the_extended_deadline(
    client, ministry_user, round_with_late_and_extended
):
    dialogue_round, deadline = round_with_late_and_extended
    client.force_login(ministry_user)
    response = client.get(reverse("dialogues:round_export_xlsx", args=[dialogue_round.pk]))
    by_county = {row["Län"]: row for row in _xlsx_rows(response)}
    assert by_county["Kalmar län"]["Försenad"] == "Ja"
    assert by_county["Kronobergs län"]["Försenad"] == "Nej"  # within its own extended deadline
    assert by_county["Gotlands län"]["Försenad"] in ("", None)  # not sent in: nothing to say yet
    extended = {county: row["Förlängd tidsfrist"] for county, row in by_county.items()}
    assert extended["Kronobergs län"].date() == deadline + datetime.timedelta(days=5)
    assert extended["Kalmar län"] in ("", None)


def test_round_export_csv_for_the_ministry_has_the_late_column(client, ministry_user, round_with_late_and_extended):
    dialogue_round, _deadline = round_with_late_and_extended
    client.force_login(ministry_user)
    response = client.get(reverse("dialogues:round_export_csv", args=[dialogue_round.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    late = {row[0]: row[rows[0].index("Försenad")] for row in rows[1:]}
    assert late == {"Kronobergs län": "Nej", "Kalmar län": "Ja", "Gotlands län": ""}


def test_round_export_for_a_county_shows_its_extended_deadline_but_no_late_column(
    client, other_region_user, round_with_late_and_extended
):
    """Whether a county came late is the national staff's to see, as on the round page."""
    dialogue_round, deadline = round_with_late_and_extended
    client.force_login(other_region_user)
    response = client.get(reverse("dialogues:round_export_csv", args=[dialogue_round.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert "Försenad" not in rows[0]
    assert [row[0] for row in rows[1:]] == ["Kronobergs län"]
    assert (deadline + datetime.timedelta(days=5)).isoformat() in rows[1]


@pytest.mark.parametrize("n", (1, 3))
def test_round_export_queries_do_not_grow_with_the_counties(client, ministry_user, django_assert_num_queries, n):
    deadline = timezone.localdate() - datetime.timedelta(days=10)
    dialogue_round = DialogueRoundFactory(year=2071, submission_deadline=deadline)
    for index in range(n):
        region = RegionFactory(code=f"{30 + index}", name=f"Län {index}", slug=f"lan-{index}")
        SubmissionFactory(
            dialogue=DialogueFactory(round=dialogue_round, region=region),
            status=SubmissionStatus.SUBMITTED,
            first_submitted_at=timezone.now(),
        )
    client.force_login(ministry_user)
    url = reverse("dialogues:round_export_csv", args=[dialogue_round.pk])
    with django_assert_num_queries(QUERIES):
        client.get(url)
