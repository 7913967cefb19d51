"""Generating feedback reports: the PDF itself, claiming, versions, the sweep and a broker outage."""

import datetime
import re

import kombu.exceptions
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dialogues import services
from dialogues.choices import RoundStatus
from reports import services as report_services
from reports.choices import ReportStatus
from reports.models import FeedbackReport
from reports.rendering import report_html, report_pdf
from reports.tasks import report_generate_task
from tests.factories.dialogues import FeedbackReportFactory
from tests.helpers import broker_unreachable

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_report_pdf_is_a_tagged_a4_document_with_metadata_and_several_pages(closed_round, region_a):
    report = FeedbackReportFactory(round=closed_round, region=region_a)

    pdf = report_pdf(report, uncompressed=True)

    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in pdf  # tagged (PDF/UA-1)
    assert b"/Outlines" in pdf  # bookmarks from the headings
    assert b"/MediaBox [0 0 595.275" in pdf or b"/MediaBox [0 0 595.276" in pdf  # A4
    assert _pages(pdf) > 1
    assert b"WeasyPrint" in pdf


def test_report_html_shows_the_countys_shared_content_in_swedish(closed_round, region_a):
    report = FeedbackReportFactory(round=closed_round, region=region_a)

    html = report_html(report)

    assert '<html lang="sv">' in html
    assert '<meta name="author" content="Näringsdepartementet">' in html
    assert "Kalmar län" in html
    assert "Tydlig målstruktur i Kalmar" in html  # shared, and a good example
    assert "Ta fram en indikatorplan" in html
    assert "Ej delad iakttagelse" not in html  # not shared with the county
    assert "Kronobergs lärande" not in html  # another county's
    assert "Sida" in html and "target-counter" in html


def test_report_html_in_english_when_asked(closed_round, region_a):
    report = FeedbackReportFactory(round=closed_round, region=region_a, language="en")

    html = report_html(report)

    assert '<html lang="en">' in html
    assert "Follow-up actions" in html


def test_round_summary_has_the_matrix_good_examples_and_conclusions(closed_round):
    report = FeedbackReportFactory(round=closed_round, region=None)

    html = report_html(report)

    assert "Kalmar län" in html and "Kronobergs län" in html
    assert "Tydlig målstruktur i Kalmar" in html
    assert "Mer om resultat." in html  # what we take with us


def test_report_generate_twice_stores_one_file_and_one_current_version(closed_round, region_a):
    report = FeedbackReportFactory(round=closed_round, region=region_a)

    assert report_services.report_generate(report_id=report.pk) is not None
    assert report_services.report_generate(report_id=report.pk) is None  # a redelivered task does nothing

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.is_current and report.attempts == 1
    assert len(report.checksum) == 64
    assert report.file.read(5) == b"%PDF-"
    assert FeedbackReport.objects.filter(is_current=True).count() == 1


def test_report_claim_does_not_take_a_report_already_running(closed_round, region_a):
    report = FeedbackReportFactory(
        round=closed_round, region=region_a, status=ReportStatus.RUNNING, attempts=1, started_at=timezone.now()
    )

    assert report_services.report_claim(report_id=report.pk) is None

    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.attempts == 1


def test_report_left_running_by_a_dead_worker_is_claimed_again(closed_round, region_a):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    report = FeedbackReportFactory(
        round=closed_round, region=region_a, status=ReportStatus.RUNNING, attempts=1, started_at=long_ago
    )

    assert report_services.report_claim(report_id=report.pk) is not None

    report.refresh_from_db()
    assert report.attempts == 2


def test_report_that_keeps_killing_its_worker_fails_after_three_attempts(closed_round, region_a):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    report = FeedbackReportFactory(
        round=closed_round, region=region_a, status=ReportStatus.RUNNING, attempts=3, started_at=long_ago
    )

    assert report_services.report_claim(report_id=report.pk) is None

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "3" in report.error


def test_regenerating_makes_a_new_current_version_and_keeps_the_old_one(
    closed_round, region_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_services.reports_request(dialogue_round=closed_round, regions=[region_a], summary=False)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.reports_request(dialogue_round=closed_round, regions=[region_a], summary=False)

    first, second = FeedbackReport.objects.filter(region=region_a).order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert (first.is_current, second.is_current) == (False, True)
    assert first.status == second.status == ReportStatus.DONE
    assert first.file.name != second.file.name
    assert first.file.read(5) == b"%PDF-"  # the older version can still be downloaded


def test_round_close_requests_a_report_per_county_and_a_summary(
    closed_round, region_a, region_b, django_capture_on_commit_callbacks
):
    closed_round.status = RoundStatus.OPEN
    closed_round.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.round_close(dialogue_round=closed_round, close_despite_running_deadlines=True)

    reports = FeedbackReport.objects.filter(round=closed_round)
    assert sorted(str(r.region) for r in reports) == ["Kalmar län", "Kronobergs län", "None"]
    assert {r.status for r in reports} == {ReportStatus.PENDING}
    assert len(callbacks) == 3  # one task per report, sent after commit
    for send in callbacks:
        send()  # run at once here: eager
    assert {r.status for r in reports.all()} == {ReportStatus.DONE}


def test_round_close_with_the_broker_down_tries_it_once_not_once_per_report(
    closed_round, region_a, region_b, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []

    def unreachable(*args, **kwargs):
        sent.append(kwargs)
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_generate_task, "apply_async", unreachable)
    closed_round.status = RoundStatus.OPEN
    closed_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(dialogue_round=closed_round, close_despite_running_deadlines=True)  # does not raise

    assert len(sent) == 1  # each try costs seconds: the sweep sends the other two later
    assert FeedbackReport.objects.filter(status=ReportStatus.PENDING).count() == 3


def test_round_close_with_the_broker_down_keeps_the_reports_and_the_sweep_sends_them_later(
    closed_round, region_a, django_capture_on_commit_callbacks
):
    closed_round.status = RoundStatus.OPEN
    closed_round.save()
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        services.round_close(dialogue_round=closed_round, close_despite_running_deadlines=True)  # does not raise

    assert set(FeedbackReport.objects.values_list("status", flat=True)) == {ReportStatus.PENDING}
    assert report_services.reports_sweep() == []  # not yet: they may still be on their way

    later = timezone.now() + datetime.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(report_services.reports_sweep(now=later)) == 3

    assert set(FeedbackReport.objects.values_list("status", flat=True)) == {ReportStatus.DONE}
    assert FeedbackReport.objects.filter(is_current=True).count() == 3


def test_sweep_leaves_recent_and_finished_reports_alone(closed_round, region_a, region_b):
    FeedbackReportFactory(round=closed_round, region=region_a)
    FeedbackReportFactory(
        round=closed_round,
        region=region_b,
        status=ReportStatus.DONE,
        requested_at=timezone.now() - datetime.timedelta(hours=2),
    )

    assert report_services.reports_sweep() == []


@pytest.mark.parametrize("county", [True, False], ids=["county", "summary"])
def test_database_refuses_two_current_versions_of_one_report(closed_round, region_a, county):
    region = region_a if county else None
    FeedbackReportFactory(round=closed_round, region=region, version=1, is_current=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackReportFactory(round=closed_round, region=region, version=2, is_current=True)


def test_an_older_version_finishing_late_does_not_replace_the_newer_current_one(closed_round, region_a):
    older = FeedbackReportFactory(round=closed_round, region=region_a, version=1)
    newer = FeedbackReportFactory(round=closed_round, region=region_a, version=2)

    report_services.report_generate(report_id=newer.pk)
    report_services.report_generate(report_id=older.pk)

    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == (ReportStatus.DONE, ReportStatus.DONE)
    assert (older.is_current, newer.is_current) == (False, True)
