"""The events that make a document official register it, once, in its case, between the parties
the responsibility history names: a county's submission when submitted (received), a feedback
report when published and a conditions decision when saved (both drawn up by the ministry)."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from dialogues import services as dialogue_services
from dialogues.choices import RoundStatus
from followup import services as followup_services
from records.choices import Direction, DocumentType
from records.models import Case, Record
from records.services import record_register
from reports import services as report_services
from reports.choices import ReportStatus, ReviewState
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, FeedbackReportFactory, SubmissionFactory
from tests.factories.followup import AllocationFactory, AppropriationFactory, year_with_counties
from tests.factories.regions import OrganisationFactory, ResponsibilityPeriodFactory
from tests.followup.conftest import xlsx

pytestmark = pytest.mark.django_db
FRAMES_HEADER = ["länskod", "län", "ram", "beslutsdatum", "villkor", "återrapporteringskrav"]
NUMBER_YEAR = timezone.localdate().year


def _submit(dialogue, user, text="Medlen följer RUS"):
    submission = dialogue.submission
    submission.refresh_from_db()
    dialogue_services.submission_save_draft(
        submission=submission, expected_version=submission.version, resource_use=text, priorities=[], results=[]
    )
    return dialogue_services.submission_submit(submission=submission, user=user)


@pytest.fixture
def kalmar_2020(region_a):
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2020, status=RoundStatus.OPEN), region=region_a)
    SubmissionFactory(dialogue=dialogue)
    return dialogue


def test_submission_submit_registers_the_version_received_from_the_countys_body(
    kalmar_2020, region_user, ministry, kalmar_body
):
    version = _submit(kalmar_2020, region_user)

    record = Record.objects.get()
    assert record.document == version
    assert record.number == f"N{NUMBER_YEAR}/00001"
    assert (record.document_type, record.direction) == (DocumentType.SUBMISSION, Direction.RECEIVED)
    assert (record.sender_organisation, record.sender_name) == (kalmar_body, "Region Kalmar län")
    assert (record.recipient_organisation, record.recipient_name) == (ministry, "Näringsdepartementet")
    assert record.document_date == timezone.localdate(version.submitted_at)
    assert record.registered_by == region_user
    # the title is kept in the portal's language, whoever registered: the county, the round, the version
    assert "Kalmar län, Regionala utvecklingsdialoger 2020" in record.title and record.title.endswith(" 1")
    # one case per round, one per dialogue under it
    assert record.case.subject == kalmar_2020
    assert record.case.parent.subject == kalmar_2020.round and record.case.parent.parent is None


def test_submission_sent_in_again_after_a_return_is_a_new_record_in_the_same_case(kalmar_2020, region_user):
    first = _submit(kalmar_2020, region_user)
    dialogue_services.submission_return(submission=kalmar_2020.submission, comment="Lägg till resultat.")

    second = _submit(kalmar_2020, region_user, text="Kompletterad")

    records = list(Record.objects.order_by("pk"))
    assert [r.document for r in records] == [first, second]
    assert [r.number for r in records] == [f"N{NUMBER_YEAR}/00001", f"N{NUMBER_YEAR}/00002"]
    assert records[0].case == records[1].case and Case.objects.count() == 2


def test_two_counties_submissions_share_the_rounds_case_each_in_its_dialogues(
    kalmar_2020, region_b, region_user, other_region_user
):
    kronoberg = DialogueFactory(round=kalmar_2020.round, region=region_b)
    SubmissionFactory(dialogue=kronoberg)

    _submit(kalmar_2020, region_user)
    _submit(kronoberg, other_region_user)

    kalmar_case, kronoberg_case = (Record.objects.get(case__subject_id=d.pk).case for d in (kalmar_2020, kronoberg))
    assert kalmar_case != kronoberg_case
    assert kalmar_case.parent == kronoberg_case.parent
    assert Case.objects.filter(parent__isnull=True).count() == 1


def test_sender_is_the_body_responsible_in_the_rounds_year(region_a, region_user, ministry, kalmar_body):
    """Region Kalmar län holds the responsibility from 2019; before that the regional association did."""
    association = OrganisationFactory(name="Regionförbundet i Kalmar län", region=region_a)
    ResponsibilityPeriodFactory(
        region=region_a, body_name="Regionförbundet i Kalmar län", valid_from=2003, valid_to=2018
    )
    dialogue = DialogueFactory(round=DialogueRoundFactory(year=2015, status=RoundStatus.OPEN), region=region_a)
    SubmissionFactory(dialogue=dialogue)

    _submit(dialogue, region_user)

    record = Record.objects.get()
    assert (record.sender_organisation, record.sender_name) == (association, "Regionförbundet i Kalmar län")


def test_sender_without_an_organisation_in_the_directory_is_kept_as_text(kalmar_2020, region_user):
    _submit(kalmar_2020, region_user)

    record = Record.objects.get()
    assert record.sender_organisation is None and record.sender_name == "Region Kalmar län"
    assert record.recipient_organisation is None and record.recipient_name == "Näringsdepartementet"


def test_a_refused_submission_registers_nothing_and_takes_no_number(kalmar_2020, region_user):
    with pytest.raises(Exception, match=r"empty|tom"):
        dialogue_services.submission_submit(submission=kalmar_2020.submission, user=region_user)

    assert not Record.objects.exists()
    assert _submit(kalmar_2020, region_user) and Record.objects.get().number == f"N{NUMBER_YEAR}/00001"


# --- Feedback reports -----------------------------------------------------------------------


@pytest.fixture
def approved_report(region_a):
    dialogue_round = DialogueRoundFactory(year=2020, status=RoundStatus.CLOSED)
    DialogueFactory(round=dialogue_round, region=region_a)
    return FeedbackReportFactory(
        round=dialogue_round,
        region=region_a,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.APPROVED,
        file=ContentFile(b"%PDF-1.7 utkast", name="utkast.pdf"),
    )


def test_report_publish_registers_the_report_drawn_up_to_the_countys_body(approved_report, ministry, kalmar_body):
    report = report_services.report_publish(report=approved_report)

    record = Record.objects.get()
    assert record.document == report
    assert (record.document_type, record.direction) == (DocumentType.FEEDBACK_REPORT, Direction.DRAWN_UP)
    assert (record.sender_organisation, record.recipient_organisation) == (ministry, kalmar_body)
    assert record.document_date == timezone.localdate(report.published_at)
    assert record.case.subject.region_id == report.region_id and record.case.parent.subject == report.round


def test_approving_a_report_registers_nothing_until_it_is_published(approved_report):
    approved_report.review_state = ReviewState.IN_REVIEW
    approved_report.save()

    report_services.report_approve(report=approved_report)

    assert not Record.objects.exists()


def test_round_summary_is_registered_to_every_countys_body(approved_report):
    summary = FeedbackReportFactory(
        round=approved_report.round,
        region=None,
        status=ReportStatus.DONE,
        is_current=True,
        review_state=ReviewState.APPROVED,
        file=ContentFile(b"%PDF-1.7 sammanfattning", name="sammanfattning.pdf"),
    )

    report_services.report_publish(report=summary)

    record = Record.objects.get()
    assert record.recipient_organisation is None
    with translation.override("sv"):
        assert record.recipient_name == gettext("The counties' bodies responsible for regional development")
    assert record.case.subject == approved_report.round


# --- Conditions decisions ---------------------------------------------------------------------


def _update(allocation, decided_on, conditions="Villkor"):
    allocation.refresh_from_db()
    followup_services.allocation_update(
        allocation=allocation,
        expected_version=allocation.version,
        frame_amount=allocation.frame_amount,
        conditions_decided_on=decided_on,
        conditions=conditions,
        reporting_requirements="",
    )


def test_conditions_decision_is_registered_once_when_its_date_is_saved(region_a, ministry, kalmar_body):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2020), region=region_a)

    _update(allocation, None)
    assert not Record.objects.exists()

    _update(allocation, datetime.date(2020, 1, 15))
    _update(allocation, datetime.date(2020, 1, 15))  # saved again unchanged: the same decision

    record = Record.objects.get()
    assert record.document.allocation == allocation and record.document.number == 1
    assert record.document_type == DocumentType.CONDITIONS_DECISION and record.direction == Direction.DRAWN_UP
    assert record.document_date == datetime.date(2020, 1, 15)
    assert (record.sender_organisation, record.recipient_organisation) == (ministry, kalmar_body)
    assert record.case.subject == allocation.appropriation


def test_a_changed_conditions_decision_is_registered_as_a_new_document(region_a, ministry, kalmar_body):
    allocation = AllocationFactory(appropriation=AppropriationFactory(year=2020), region=region_a)
    _update(allocation, datetime.date(2020, 1, 15))

    _update(allocation, datetime.date(2020, 1, 15), conditions="Villkor, ändrade")
    _update(allocation, datetime.date(2020, 3, 1), conditions="Villkor, ändrade")

    records = list(Record.objects.order_by("sequence"))
    assert [r.document.number for r in records] == [1, 2, 3]
    assert [r.document.conditions for r in records] == ["Villkor", "Villkor, ändrade", "Villkor, ändrade"]
    assert [r.document_date for r in records] == [datetime.date(2020, 1, 15)] * 2 + [datetime.date(2020, 3, 1)]
    assert len({r.number for r in records}) == 3 and {r.case_id for r in records} == {records[0].case_id}
    assert "(ändrat beslut 2, 15 januari 2020)" in records[1].title


def test_a_conditions_decision_registered_before_decisions_were_kept_is_not_registered_again(region_a, ministry):
    """Records made before this change point at the allocation; the migration kept its decision as
    the first, so saving it unchanged registers nothing, and a change registers the change only."""
    from followup.models import ConditionsDecision

    allocation = AllocationFactory(
        appropriation=AppropriationFactory(year=2020),
        region=region_a,
        conditions_decided_on=datetime.date(2020, 1, 15),
        conditions="Villkor",
        reporting_requirements="",
    )
    record_register(
        document=allocation, document_type=DocumentType.CONDITIONS_DECISION, direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,), region=region_a, year=2020, document_date=datetime.date(2020, 1, 15),
    )  # fmt: skip
    migration = importlib.import_module("followup.migrations.0005_conditions_decisions")
    migration.decisions_so_far(django_apps, None)  # what the migration does to the decisions made before
    assert ConditionsDecision.objects.get().same_as(allocation)

    _update(allocation, datetime.date(2020, 1, 15))
    assert Record.objects.count() == 1

    _update(allocation, datetime.date(2020, 1, 15), conditions="Villkor, ändrade")
    assert Record.objects.count() == 2 and Record.objects.order_by("sequence").last().document.number == 2


def test_conditions_decisions_from_the_frames_file_are_registered_for_the_decided_counties():
    appropriation = year_with_counties(2026)
    versions = {a.region.code: a.version for a in appropriation.allocations.select_related("region")}
    rows = [["08", "", 4_000_000, datetime.date(2026, 1, 15), "Villkor", ""], ["07", "", 3_000_000, None, "", ""]]

    followup_services.frames_import(
        appropriation=appropriation, content=xlsx(rows, header=FRAMES_HEADER), expected_versions=versions
    )

    record = Record.objects.get()
    assert record.document.allocation.region.code == "08" and record.document_date == datetime.date(2026, 1, 15)
    assert record.document_type == DocumentType.CONDITIONS_DECISION
