"""How a report job meets failure: transient errors retry with backoff, permanent ones fail at once
with their reason and a retry button, a slow one is stopped, a redelivery after a dead worker takes
its report straight back, and no run leaves a stray file behind."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_retry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from reports import rendering
from reports import services as report_services
from reports.choices import ReportStatus
from reports.models import FeedbackReport
from reports.tasks import report_generate_task
from tests.factories.dialogues import FeedbackReportFactory

pytestmark = pytest.mark.django_db


def _files(report: FeedbackReport) -> list[str]:
    if not default_storage.exists(report.file_folder):
        return []
    return sorted(f"{report.file_folder}/{name}" for name in default_storage.listdir(report.file_folder)[1])


def _renderer_failing(monkeypatch, *errors):
    """The PDF renderer raises `errors` one after the other, then renders as usual."""
    render, errors = rendering.report_pdf, list(errors)

    def report_pdf(report, **kwargs):
        if errors:
            raise errors.pop(0)
        return render(report, **kwargs)

    monkeypatch.setattr(rendering, "report_pdf", report_pdf)


@pytest.fixture
def retries():
    """What the report looked like when each retry was scheduled, and after how many seconds."""
    seen = []

    def record(sender, request, reason, **kwargs):
        report = FeedbackReport.objects.get(pk=request.kwargs["report_id"])
        seen.append((report.status, report.error, reason.when))

    task_retry.connect(record, sender=report_generate_task, weak=False)
    yield seen
    task_retry.disconnect(record, sender=report_generate_task)


def test_transient_error_puts_the_report_back_to_pending_and_a_retry_after_a_pause_finishes_it(
    closed_round, region_a, monkeypatch, retries
):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    _renderer_failing(monkeypatch, OperationalError("the database went away"))

    assert report_generate_task.delay(report_id=report.pk).get() == "done"

    assert retries == [(ReportStatus.PENDING, "the database went away", 10)]
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error, report.is_current) == (ReportStatus.DONE, 2, "", True)
    assert _files(report) == [report.file.name]


def test_transient_error_that_persists_fails_the_report_with_its_reason_after_three_attempts(
    closed_round, region_a, monkeypatch, retries
):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    _renderer_failing(monkeypatch, *[OperationalError("could not connect to server")] * 3)

    assert report_generate_task.delay(report_id=report.pk).get() == "failed"

    assert [seconds for _status, _error, seconds in retries] == [10, 20]  # backing off
    report.refresh_from_db()
    assert (report.status, report.attempts, report.is_current) == (ReportStatus.FAILED, 3, False)
    assert report.error == "Rapporten gavs upp efter 3 försök. could not connect to server"
    assert _files(report) == []


def test_permanent_error_fails_at_once_with_its_reason_and_the_ministry_retries_it_as_a_new_version(
    client, ministry_user, agency_user, closed_round, region_a, monkeypatch, retries, django_capture_on_commit_callbacks
):
    failed = FeedbackReportFactory(round=closed_round, region=region_a)
    _renderer_failing(monkeypatch, ValueError("the chart has no values"))

    assert report_generate_task.delay(report_id=failed.pk).get() == "failed"

    assert retries == []
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (ReportStatus.FAILED, 1)
    client.force_login(agency_user)
    page = client.get(failed.get_absolute_url()).content.decode()
    assert "ValueError: the chart has no values" in page
    assert reverse("reports:report_regenerate", args=[failed.pk]) not in page  # only the ministry asks
    client.force_login(ministry_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(failed.get_absolute_url()).content.decode()
    assert "This version could not be generated." in page
    assert "Reason: ValueError: the chart has no values" in page
    assert f'action="{reverse("reports:report_regenerate", args=[failed.pk])}"' in page and "Try again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_regenerate", args=[failed.pk]), follow=True)

    assert "A new version of the report is being generated." in response.content.decode()
    first, second = FeedbackReport.objects.filter(region=region_a).order_by("version")
    assert (first.pk, first.status, first.is_current) == (failed.pk, ReportStatus.FAILED, False)
    assert (second.version, second.status, second.is_current) == (2, ReportStatus.DONE, True)
    assert second.file.read(5) == b"%PDF-"


@pytest.mark.parametrize("stage", ["render", "store"])
def test_report_stopped_by_the_soft_time_limit_fails_as_taking_too_long_and_keeps_no_file(
    client, ministry_user, closed_round, region_a, monkeypatch, retries, stage
):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    if stage == "render":
        _renderer_failing(monkeypatch, SoftTimeLimitExceeded())
    else:  # the limit strikes after the PDF was stored, before the database records it
        save = FeedbackReport.save

        def save_too_late(self, *args, **kwargs):
            if "file" in (kwargs.get("update_fields") or ()):
                raise SoftTimeLimitExceeded()
            return save(self, *args, **kwargs)

        monkeypatch.setattr(FeedbackReport, "save", save_too_late)

    assert report_generate_task.delay(report_id=report.pk).get() == "failed"

    assert retries == []
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.file
    assert _files(report) == []
    client.force_login(ministry_user)
    assert "Det tog för lång tid att skapa rapporten." in client.get(report.get_absolute_url()).content.decode()


def test_database_error_after_the_pdf_was_stored_leaves_no_stray_file_once_the_retry_finishes(
    closed_round, region_a, monkeypatch, retries
):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    save, failures = FeedbackReport.save, [OperationalError("server closed the connection unexpectedly")]

    def save_failing_once(self, *args, **kwargs):
        if failures and "file" in (kwargs.get("update_fields") or ()):
            raise failures.pop()
        return save(self, *args, **kwargs)

    monkeypatch.setattr(FeedbackReport, "save", save_failing_once)

    assert report_generate_task.delay(report_id=report.pk).get() == "done"

    assert len(retries) == 1
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert _files(report) == [report.file.name]


def _left_running_by(task_id: str, report: FeedbackReport, *, attempts: int = 1) -> FeedbackReport:
    """As a worker that died leaves it: running, claimed by its task, maybe with an uncommitted file."""
    report.status, report.attempts, report.claim_task_id = ReportStatus.RUNNING, attempts, task_id
    report.started_at = timezone.now()
    report.save()
    default_storage.save(f"{report.file_folder}/aterkoppling-halvfardig.pdf", ContentFile(b"%PDF-1.7 halv"))
    return report


def test_redelivery_of_the_same_task_takes_its_report_back_at_once_but_another_task_cannot(closed_round, region_a):
    report = _left_running_by("task-1", FeedbackReportFactory(round=closed_round, region=region_a))

    assert report_services.report_claim(report_id=report.pk, task_id="task-2") is None
    assert report_services.report_claim(report_id=report.pk) is None
    claimed = report_services.report_claim(report_id=report.pk, task_id="task-1")

    assert claimed is not None and claimed.attempts == 2 and claimed.status == ReportStatus.RUNNING


def test_redelivered_task_finishes_the_report_and_removes_the_file_its_dead_run_stored(closed_round, region_a):
    report = _left_running_by("task-1", FeedbackReportFactory(round=closed_round, region=region_a))
    assert len(_files(report)) == 1

    assert report_services.report_generate(report_id=report.pk, task_id="task-1") is not None

    report.refresh_from_db()
    assert (report.status, report.attempts, report.is_current) == (ReportStatus.DONE, 2, True)
    assert _files(report) == [report.file.name]
    assert report.file.read(5) == b"%PDF-" and report.file.name.endswith("-v1.pdf")


def test_report_that_keeps_killing_its_worker_fails_after_three_attempts_and_keeps_no_file(closed_round, region_a):
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    _left_running_by("task-1", report, attempts=3)

    assert report_generate_task.apply(kwargs={"report_id": report.pk}, task_id="task-1").get() == "skipped"

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.FAILED, 3)
    assert report.error == "Rapporten gavs upp efter 3 försök."
    assert _files(report) == []


def test_a_run_whose_report_was_taken_over_stores_nothing(closed_round, region_a):
    """A message can come back while its first run still goes on (the worker lost its broker
    connection): only the newest claim stores its result."""
    report = FeedbackReportFactory(round=closed_round, region=region_a)
    first = report_services.report_claim(report_id=report.pk, task_id="task-1")
    second = report_services.report_claim(report_id=report.pk, task_id="task-1")

    assert report_services.report_finish(report=first, pdf=b"%PDF-1.7 first") is None
    assert _files(report) == []
    assert report_services.report_finish(report=second, pdf=b"%PDF-1.7 second") is not None

    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.DONE, 2)
    assert _files(report) == [report.file.name] and report.file.read() == b"%PDF-1.7 second"
