"""The writes that django-auditlog's signals never see (bulk creation, queryset updates) still reach
the change history, one entry per row, with the person who made them (issue 7)."""

import io

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from core.audit import audit_trail
from dialogues import services
from dialogues.choices import ActionStatus, RoundStatus
from dialogues.models import FollowUpAction, SubmissionResult
from followup import services as followup_services
from followup.models import Allocation, Expenditure
from reports import services as report_services
from reports.choices import ReportStatus
from reports.models import FeedbackReport
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRoundFactory,
    FollowUpActionFactory,
    SubmissionFactory,
)
from tests.factories.followup import AllocationFactory, AppropriationFactory, ExpenditureFactory
from tests.factories.regions import RegionalStrategyFactory, StrategyPriorityFactory
from tests.followup.conftest import xlsx

pytestmark = pytest.mark.django_db

CREATE, UPDATE, DELETE = LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE


def _entries(model, **filters):
    return LogEntry.objects.get_for_model(model).filter(**filters).order_by("pk")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- 1:1 figures from an imported file ---------------------------------------------------------


@pytest.fixture
def kalmar_2015(region_a):
    """Kalmar's 1:1 allocation for 2015 (frame 10 mnkr), with priority 1 in its RUS."""
    StrategyPriorityFactory(strategy=RegionalStrategyFactory(region=region_a, start_year=2014, end_year=2020), number=1)
    return AllocationFactory(appropriation=AppropriationFactory(year=2015), region=region_a, frame_amount=10_000_000)


def test_import_logs_each_replaced_and_each_new_line_with_the_importer(client, region_user, ministry_user, kalmar_2015):
    old = ExpenditureFactory(allocation=kalmar_2015, amount=42, description="Gammal rad")
    rows = [
        ["08", "Kalmar län", "Projektverksamhet", 1, "1 000 000", "nej", "Innovationsprojekt"],
        ["08", "Kalmar län", "Regionala företagsstöd", "", 200, "", "Investeringsstöd"],
    ]
    upload = {"file": _named(xlsx(rows), "anvandning-2015.xlsx")}
    client.force_login(region_user)
    client.post(reverse("followup:import", kwargs={"year": 2015}), upload)
    client.post(reverse("followup:import_confirm", kwargs={"year": 2015}))

    new_lines = set(Expenditure.objects.values_list("pk", flat=True))
    assert len(new_lines) == 2 and old.pk not in new_lines
    created = _entries(Expenditure, action=CREATE, actor=region_user)
    assert {entry.object_id for entry in created} == new_lines
    assert {entry.changes_dict["description"][1] for entry in created} == {"Innovationsprojekt", "Investeringsstöd"}
    (deleted,) = _entries(Expenditure, action=DELETE)
    assert deleted.object_id == old.pk and deleted.actor == region_user

    # The ministry reads it on the county's 1:1 page: what Karin Kalmar's file put in and took out.
    client.force_login(ministry_user)
    html = client.get(reverse("followup:allocation_detail", args=[kalmar_2015.region.slug, 2015]))
    trail = html.content.decode().split('<details class="audit-trail', 1)[1]
    assert "Innovationsprojekt" in trail and "Investeringsstöd" in trail and "Gammal rad" in trail
    assert "Karin Kalmar" in trail


def _named(content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_appropriation_create_logs_every_countys_allocation(region_a, region_b, ministry_user):
    with set_actor(ministry_user):
        appropriation = followup_services.appropriation_create(year=2030, total_amount=1_000_000)
    allocations = set(Allocation.objects.filter(appropriation=appropriation).values_list("pk", flat=True))
    assert len(allocations) == 2
    assert {entry.object_id for entry in _entries(Allocation, action=CREATE, actor=ministry_user)} == allocations


# --- Follow-up actions carried into a new round ------------------------------------------------


def test_carried_over_actions_are_logged_as_created_by_the_one_who_opened_the_round(region_a, ministry_user):
    old_dialogue = DialogueFactory(round=DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED), region=region_a)
    FollowUpActionFactory(dialogue=old_dialogue, what="Koppla medel till RUS", status=ActionStatus.IN_PROGRESS)
    new_round = DialogueRoundFactory(year=2016, status=RoundStatus.PLANNING)

    with set_actor(ministry_user):
        services.round_open(dialogue_round=new_round, regions=[region_a])

    carried = FollowUpAction.objects.get(dialogue__round=new_round)
    (entry,) = _entries(FollowUpAction, object_id=carried.pk)
    assert entry.action == CREATE and entry.actor == ministry_user
    trail = audit_trail(carried)
    assert [(e.kind, e.actor) for e in trail.entries] == [("create", "Maria Departementet")]
    assert {c.label: c.new for c in trail.entries[0].changes}["Vad"] == "Koppla medel till RUS"


# --- Feedback reports: requested, finished or failed, reviewed, published ---------------------------


def _finish(report_id: int, task_id: str) -> FeedbackReport:
    report = report_services.report_claim(report_id=report_id, task_id=task_id)
    return report_services.report_finish(report=report, pdf=b"%PDF-1.7 test")


def test_report_versions_log_their_request_result_review_and_publication(region_a, ministry_user, agency_user):
    dialogue_round = DialogueRoundFactory(year=2015, status=RoundStatus.CLOSED)
    SubmissionFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_a))

    with set_actor(ministry_user):
        first, summary = report_services.reports_request(dialogue_round=dialogue_round)
    assert {(e.object_id, e.actor) for e in _entries(FeedbackReport, action=CREATE)} == {
        (first.pk, ministry_user),
        (summary.pk, ministry_user),
    }

    _finish(first.pk, "task-1")  # the worker: no person
    with set_actor(ministry_user):
        (second,) = report_services.reports_request(dialogue_round=dialogue_round, regions=[region_a], summary=False)
    _finish(second.pk, "task-2")
    report_services.report_fail(report_id=summary.pk, error="Typsnittet saknas")
    with set_actor(agency_user):
        report_services.report_approve(report=second)
    with set_actor(ministry_user):
        report_services.report_publish(report=second)

    first_log = [
        (e.action, e.actor, e.changes_dict.get("status"), e.changes_dict.get("is_current"))
        for e in _entries(FeedbackReport, object_id=first.pk)
    ]
    assert first_log == [
        (CREATE, ministry_user, ["None", "pending"], ["None", "False"]),
        (UPDATE, None, ["running", "done"], ["False", "True"]),
        (UPDATE, None, None, ["True", "False"]),  # the new version took over as the current one
    ]
    second_log = [(e.actor, sorted(e.changes_dict)) for e in _entries(FeedbackReport, object_id=second.pk)]
    assert [actor for actor, _fields in second_log] == [ministry_user, None, agency_user, ministry_user]
    assert "review_state" in second_log[2][1] and "published_at" in second_log[3][1]
    (failed,) = _entries(FeedbackReport, object_id=summary.pk, action=UPDATE)
    assert failed.changes_dict["status"] == ["pending", "failed"]
    assert failed.changes_dict["error"] == ["", "Typsnittet saknas"]
    # The worker's claims (pending → running) are not logged row by row.
    assert not any(e.changes_dict.get("status", [None])[-1] == "running" for e in _entries(FeedbackReport))

    trail = audit_trail(FeedbackReport.objects.get(pk=summary.pk))
    assert [(e.kind, e.actor) for e in trail.entries] == [("update", "systemet"), ("create", "Maria Departementet")]
    assert {c.label: (c.old, c.new) for c in trail.entries[0].changes}["Status"] == ("Väntar", "Misslyckades")


def test_report_given_up_after_the_last_attempt_is_logged_as_failed(region_a):
    report = FeedbackReport.objects.create(
        round=DialogueRoundFactory(), region=region_a, status=ReportStatus.PENDING, attempts=3
    )
    assert report_services.report_claim(report_id=report.pk, task_id="t") is None
    (entry,) = _entries(FeedbackReport, object_id=report.pk, action=UPDATE)
    assert entry.changes_dict["status"] == ["pending", "failed"]
    assert entry.changes_dict["error"][1].startswith("Rapporten gavs upp efter 3 försök")


# --- A submission draft changes its rows in place ----------------------------------------------


@pytest.fixture
def kalmar_priorities(region_a):
    strategy = RegionalStrategyFactory(region=region_a)
    return [StrategyPriorityFactory(strategy=strategy, number=n, title=f"Prioritering {n}") for n in (1, 2, 3)]


def _row_ids(submission) -> set[tuple[str, int]]:
    return {("priority", pk) for pk in submission.priorities.values_list("pk", flat=True)} | {
        ("result", pk) for pk in submission.results.values_list("pk", flat=True)
    }


def _save(submission, priorities, results, text="Text"):
    return services.submission_save_draft(
        submission=submission,
        expected_version=submission.version,
        resource_use=text,
        priorities=priorities,
        results=results,
    )


def test_draft_save_changes_kept_rows_in_place_and_logs_only_what_changed(region_a, region_user, kalmar_priorities):
    p1, p2, p3 = kalmar_priorities
    submission = SubmissionFactory(dialogue=DialogueFactory(region=region_a))
    with set_actor(region_user):
        _save(
            submission,
            [{"rank": 1, "strategy_priority": p1, "rationale": "Skäl"}, {"rank": 2, "strategy_priority": p2}],
            [{"indicator": "Nya jobb", "target": "100"}, {"indicator": "Nya företag"}],
        )
        rows_before = _row_ids(submission)
        log_before = LogEntry.objects.order_by("pk").last().pk
        # Unchanged: the same draft saved again writes no row and logs no row.
        _save(
            submission,
            [{"rank": 1, "strategy_priority": p1, "rationale": "Skäl"}, {"rank": 2, "strategy_priority": p2}],
            [{"indicator": "Nya jobb", "target": "100"}, {"indicator": "Nya företag"}],
        )
        assert _row_ids(submission) == rows_before
        # Only the submission's own change (its version) is logged.
        assert list(LogEntry.objects.filter(pk__gt=log_before).values_list("content_type__model", flat=True)) == [
            "submission"
        ]
        log_before = LogEntry.objects.order_by("pk").last().pk

        # One priority changed, one removed, one added; a result's target changed and one removed.
        _save(
            submission,
            [{"rank": 1, "strategy_priority": p3, "rationale": "Skäl"}, {"rank": 3, "strategy_priority": p2}],
            [{"indicator": "Nya jobb", "target": "120"}],
        )

    priorities = {p.rank: p for p in submission.priorities.all()}
    (result,) = submission.results.all()
    assert priorities[1].strategy_priority == p3 and priorities[3].strategy_priority == p2 and result.target == "120"
    assert {("priority", priorities[1].pk), ("result", result.pk)} <= rows_before
    assert ("priority", priorities[3].pk) not in rows_before

    new = LogEntry.objects.filter(pk__gt=log_before).exclude(content_type__model="submission")
    logged = sorted(
        (e.content_type.model, e.action, sorted(e.changes_dict) if e.action == UPDATE else "all fields") for e in new
    )
    assert logged == [
        ("submissionpriority", CREATE, "all fields"),
        ("submissionpriority", UPDATE, ["strategy_priority"]),
        ("submissionpriority", DELETE, "all fields"),
        ("submissionresult", UPDATE, ["target"]),
        ("submissionresult", DELETE, "all fields"),
    ]
    assert all(entry.actor == region_user for entry in new)


def test_draft_save_removes_rows_left_over_with_the_same_position(region_a, kalmar_priorities):
    submission = SubmissionFactory(dialogue=DialogueFactory(region=region_a))
    SubmissionResult.objects.create(submission=submission, position=1, indicator="A")
    SubmissionResult.objects.create(submission=submission, position=1, indicator="B")
    _save(submission, [], [{"indicator": "C"}])
    assert list(submission.results.values_list("position", "indicator")) == [(1, "C")]
