"""The start page's work queues (issue 14): what waits for each role, with counts and links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from dialogues import services as dialogue_services
from dialogues.choices import ActionStatus, DialogueStatus, RoundStatus, SubmissionStatus
from portal.selectors import county_queues, open_actions
from reports.choices import CommentResolution, ReportStatus, ReviewState
from tests.factories.dialogues import (
    BriefFactory,
    DialogueFactory,
    DialogueRoundFactory,
    FeedbackReportFactory,
    FollowUpActionFactory,
    SubmissionFactory,
)
from tests.factories.regions import RegionFactory
from tests.factories.reports import ReportCommentFactory

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=3)


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _county_material(region, round_open, round_closed, *, tag: str):
    """One county's items in every county queue, each text marked with `tag`."""
    SubmissionFactory(dialogue=DialogueFactory(round=round_open, region=region), status=SubmissionStatus.DRAFT)
    returned_round = DialogueRoundFactory(year=round_open.year + 1, title=f"Omgång åter {tag}")
    SubmissionFactory(
        dialogue=DialogueFactory(round=returned_round, region=region),
        status=SubmissionStatus.RETURNED,
        return_comment=f"Komplettera resultaten {tag}",
    )
    FeedbackReportFactory(
        round=round_closed,
        region=region,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.PUBLISHED,
    )
    FollowUpActionFactory(dialogue=DialogueFactory(round=round_closed, region=region), what=f"Åtgärd {tag}")


@pytest.fixture
def rounds(db):
    return (
        DialogueRoundFactory(year=2016, title="Dialoger 2016", status=RoundStatus.OPEN),
        DialogueRoundFactory(year=2015, title="Dialoger 2015", status=RoundStatus.CLOSED),
    )


# --- The county ------------------------------------------------------------------------------


def test_county_start_page_lists_what_to_submit_returned_reports_and_actions(client, region_user, region_a, rounds):
    _county_material(region_a, *rounds, tag="KALMAR")
    client.force_login(region_user)
    html = _html(client.get("/"))
    assert "Vad som väntar på dig" in html
    draft = region_a.dialogues.get(round=rounds[0])
    assert reverse("dialogues:submission_edit", args=[draft.pk]) in html
    assert "sista dag" in html
    assert "Komplettera resultaten KALMAR" in html
    report = region_a.feedback_reports.get()
    assert report.get_absolute_url() in html
    assert "Åtgärd KALMAR" in html
    # The counts are in the text, not only in a colour.
    assert html.count("(1 väntar)") == 4


def test_county_queue_never_shows_another_countys_items(client, region_user, region_a, region_b, rounds):
    _county_material(region_a, *rounds, tag="KALMAR")
    _county_material(region_b, *rounds, tag="KRONOBERG")
    client.force_login(region_user)
    html = _html(client.get("/"))
    assert "KALMAR" in html
    assert "KRONOBERG" not in html
    for report in region_b.feedback_reports.all():
        assert report.get_absolute_url() not in html
    # Asking for another county's list changes nothing for a county's user.
    assert "KRONOBERG" not in _html(client.get("/?lan=kronobergs-lan"))


def test_county_queue_leaves_out_unpublished_reports_and_rounds_being_planned(client, region_user, region_a, rounds):
    FeedbackReportFactory(round=rounds[1], region=region_a, status=ReportStatus.DONE, is_current=True)
    planning = DialogueRoundFactory(year=2017, title="Omgång under planering", status=RoundStatus.PLANNING)
    SubmissionFactory(dialogue=DialogueFactory(round=planning, region=region_a))
    client.force_login(region_user)
    html = _html(client.get("/"))
    assert "Omgång under planering" not in html
    assert region_a.feedback_reports.get().get_absolute_url() not in html
    assert "Ingen återkopplingsrapport har publicerats än." in html


# --- One list for the county and for the ministry -------------------------------------------


@pytest.fixture
def next_round_planned(region_a):
    """A closed 2015 round with an unfinished action and a 2016 round being planned whose
    dialogue already holds a copy of it (as the demo data has)."""
    closed = DialogueRoundFactory(year=2015, title="Dialoger 2015", status=RoundStatus.CLOSED)
    action = FollowUpActionFactory(
        dialogue=DialogueFactory(round=closed, region=region_a),
        what="Utveckla resultatredovisningen",
        due_date=PAST,
        status=ActionStatus.IN_PROGRESS,
    )
    planned = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)
    dialogue_services.round_dialogues_create(dialogue_round=planned, regions=[region_a])
    return action, planned


def test_before_the_next_round_opens_county_and_ministry_see_the_same_open_action(
    client, region_user, ministry_user, region_a, next_round_planned
):
    action, _planned = next_round_planned
    assert action.carried_to.exists()  # the planned round's dialogue already holds the copy
    assert list(open_actions().filter(dialogue__region=region_a)) == [action]

    client.force_login(region_user)
    county_html = _html(client.get("/"))
    assert "Utveckla resultatredovisningen" in county_html
    assert reverse("dialogues:action_update", args=[action.pk]) in county_html

    client.force_login(ministry_user)
    ministry_html = _html(client.get("/?lan=kalmar-lan"))
    assert "Vad som väntar på Kalmar län" in ministry_html
    # Once in the county's list and once among the overdue actions: the same action, not its copy.
    assert ministry_html.count("Utveckla resultatredovisningen") == 2
    assert ministry_html.count(action.get_absolute_url()) == 2


def test_once_the_next_round_opens_both_see_the_carried_copy(client, region_user, region_a, next_round_planned):
    action, planned = next_round_planned
    planned.status = RoundStatus.OPEN
    planned.save()
    copy = action.carried_to.get()
    assert list(open_actions().filter(dialogue__region=region_a)) == [copy]
    client.force_login(region_user)
    assert reverse("dialogues:action_update", args=[copy.pk]) in _html(client.get("/"))


def test_ministry_sees_for_a_county_exactly_the_countys_own_queue(
    client, region_user, ministry_user, region_a, region_b, rounds
):
    _county_material(region_a, *rounds, tag="KALMAR")
    _county_material(region_b, *rounds, tag="KRONOBERG")
    client.force_login(ministry_user)
    html = _html(client.get("/?lan=kalmar-lan"))
    section = html.split('id="county-queue-heading"', 1)[1]
    assert "Komplettera resultaten KALMAR" in section
    assert "KRONOBERG" not in section.split('id="counties-heading"', 1)[0]
    queues = county_queues(region_a)
    assert {name: [row.pk for row in queue.rows] for name, queue in queues.items()} == {
        "to_submit": [region_a.dialogues.get(round=rounds[0]).submission.pk],
        "returned": [region_a.dialogues.get(round__year=2017).submission.pk],
        "published_reports": [region_a.feedback_reports.get().pk],
        "open_actions": [region_a.dialogues.get(round=rounds[1]).actions.get().pk],
    }


def test_an_unknown_county_in_the_address_shows_no_county_list(client, ministry_user):
    client.force_login(ministry_user)
    html = _html(client.get("/?lan=finns-inte"))
    assert "Vad som väntar på ett län" in html


# --- The agency and the ministry ----------------------------------------------------------------


def test_agency_reviews_the_current_rounds_finished_reports_and_writes_briefs(client, agency_user, region_a, rounds):
    current, earlier = rounds
    waiting = FeedbackReportFactory(round=current, region=region_a, status=ReportStatus.DONE, is_current=True)
    summary = FeedbackReportFactory(round=current, region=None, status=ReportStatus.DONE, is_current=True)
    approved = FeedbackReportFactory(
        round=current,
        region=RegionFactory(name="Gotlands län"),
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.APPROVED,
    )
    generating = FeedbackReportFactory(round=current, region=RegionFactory(), status=ReportStatus.RUNNING)
    older = FeedbackReportFactory(round=earlier, region=region_a, status=ReportStatus.DONE, is_current=True)
    dialogue = DialogueFactory(round=current, region=region_a)
    BriefFactory(dialogue=DialogueFactory(round=current, region=RegionFactory(name="Hallands län")))
    client.force_login(agency_user)
    html = _html(client.get("/"))
    assert waiting.get_absolute_url() in html
    assert summary.get_absolute_url() in html
    for report in (approved, generating, older):
        assert report.get_absolute_url() not in html
    assert "(2 väntar)" in html
    assert reverse("dialogues:brief_edit", args=[dialogue.pk]) in html


def test_ministry_queue_lists_reviews_reports_to_publish_scheduling_and_late_counties(
    client, ministry_user, region_a, region_b
):
    late_round = DialogueRoundFactory(year=2016, title="Sen omgång", submission_deadline=PAST, ends_on=TODAY)
    late = DialogueFactory(round=late_round, region=region_a, status=DialogueStatus.SCHEDULED)
    SubmissionFactory(dialogue=late, status=SubmissionStatus.DRAFT)
    sent = DialogueFactory(round=late_round, region=region_b, status=DialogueStatus.SCHEDULED)
    submitted = SubmissionFactory(dialogue=sent, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    unscheduled = DialogueFactory(round=late_round, region=RegionFactory(name="Gotlands län"))
    SubmissionFactory(dialogue=unscheduled, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    approved = FeedbackReportFactory(
        round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED),
        region=region_b,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.APPROVED,
    )
    client.force_login(ministry_user)
    html = _html(client.get("/"))
    assert submitted.get_absolute_url() in html
    assert approved.get_absolute_url() in html
    assert reverse("dialogues:dialogue_schedule", args=[unscheduled.pk]) in html
    late_section = html.split('id="queue-late_counties"', 1)[1].split("</section>", 1)[0]
    assert "Kalmar län" in late_section
    assert "Kronobergs län" not in late_section  # it submitted
    assert "?lan=kalmar-lan" in late_section
    assert "(1 väntar)" in late_section


def test_a_county_with_an_extended_deadline_sees_its_own_date_and_is_not_late(
    client, ministry_user, region_user, region_a, region_b
):
    late_round = DialogueRoundFactory(year=2016, title="Sen omgång", submission_deadline=PAST, ends_on=TODAY)
    extended_to = TODAY + datetime.timedelta(days=10)
    SubmissionFactory(
        dialogue=DialogueFactory(round=late_round, region=region_a, status=DialogueStatus.SCHEDULED),
        status=SubmissionStatus.DRAFT,
        deadline_extended_to=extended_to,
        deadline_extension_reason="Sjukdom i länets kansli",
    )
    SubmissionFactory(
        dialogue=DialogueFactory(round=late_round, region=region_b, status=DialogueStatus.SCHEDULED),
        status=SubmissionStatus.DRAFT,
    )
    client.force_login(ministry_user)
    late_section = _html(client.get("/")).split('id="queue-late_counties"', 1)[1].split("</section>", 1)[0]
    assert "Kronobergs län" in late_section and "Kalmar län" not in late_section

    client.force_login(region_user)
    to_submit = _html(client.get("/")).split('id="queue-to_submit"', 1)[1].split("</section>", 1)[0]
    assert date_format(extended_to) in to_submit
    assert "sista dagen har passerat" not in to_submit


def test_ministry_sees_the_open_review_comments_that_block_publication(client, ministry_user, region_a):
    report = FeedbackReportFactory(
        round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED, title="Dialoger 2015"),
        region=region_a,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.IN_REVIEW,
    )
    comment = ReportCommentFactory(report=report, text="Nämn infrastrukturplanen")
    ReportCommentFactory(report=report, text="Redan besvarad", resolution=CommentResolution.ANSWERED, answer="Ja")
    client.force_login(ministry_user)
    section = _html(client.get("/")).split('id="queue-open_review_comments"', 1)[1].split("</section>", 1)[0]
    assert "(1 väntar)" in section
    assert f"{report.get_absolute_url()}#comment-{comment.pk}" in section
    assert "Nämn infrastrukturplanen" in section and "Redan besvarad" not in section


# --- Query counts -----------------------------------------------------------------------------


def _counties(n: int, dialogue_round, closed_round) -> list:
    regions = []
    for i in range(n):
        region = RegionFactory(name=f"Län {i}")
        _county_material(region, dialogue_round, closed_round, tag=f"L{i}")
        submitted = DialogueFactory(round=closed_round, region=region, kind="bilateral", topic=f"Samtal {i}")
        SubmissionFactory(dialogue=submitted, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
        approved = FeedbackReportFactory(
            round=dialogue_round,
            region=region,
            status=ReportStatus.DONE,
            is_current=True,
            review_state=ReviewState.APPROVED,
        )
        ReportCommentFactory(report=approved, text=f"Förtydliga {i}")
        regions.append(region)
    return regions


@pytest.mark.parametrize("n", (1, 3))
def test_ministry_start_page_queries_do_not_grow_with_the_counties(
    client, ministry_user, rounds, django_assert_num_queries, n
):
    first = _counties(n, *rounds)[0]
    client.force_login(ministry_user)
    with django_assert_num_queries(14):
        _html(client.get(f"/?lan={first.slug}"))


@pytest.mark.parametrize("n", (1, 3))
def test_agency_start_page_queries_do_not_grow_with_the_counties(
    client, agency_user, rounds, django_assert_num_queries, n
):
    _counties(n, *rounds)
    client.force_login(agency_user)
    with django_assert_num_queries(6):
        _html(client.get("/"))


@pytest.mark.parametrize("n", (1, 3))
def test_county_start_page_queries_do_not_grow_with_the_counties(
    client, region_user, region_a, rounds, django_assert_num_queries, n
):
    _counties(n, *rounds)
    _county_material(region_a, *rounds, tag="KALMAR")
    client.force_login(region_user)
    with django_assert_num_queries(7):
        _html(client.get("/"))
