"""A real Celery worker (prefork, one child) is killed with SIGKILL in the middle of a report: the
report is not lost, it finishes once, and it leaves exactly one current version and one file."""

import time

import pytest
from django.core.files.storage import default_storage

from dialogues.choices import RoundStatus
from reports import services as report_services
from reports.choices import ReportStatus
from reports.models import FeedbackReport

from .worker import CeleryWorker, broker_at, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery_worker,
    pytest.mark.usefixtures("fault_time_limit"),
]


def _request_kalmars_report(report_round, region_a) -> FeedbackReport:
    report_round.status = RoundStatus.CLOSED
    report_round.save()
    (report,) = report_services.reports_request(dialogue_round=report_round, regions=[region_a], summary=False)
    return report


def _status(report: FeedbackReport) -> str:
    report.refresh_from_db()
    return report.status


def _files(report: FeedbackReport) -> list[str]:
    if not default_storage.exists(report.file_folder):
        return []
    return sorted(f"{report.file_folder}/{name}" for name in default_storage.listdir(report.file_folder)[1])


def _assert_finished_once(report: FeedbackReport, *, attempts: int) -> None:
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.attempts == attempts
    assert FeedbackReport.objects.filter(round=report.round, region=report.region, is_current=True).count() == 1
    assert report.is_current
    assert _files(report) == [report.file.name]  # nothing left by the killed run
    assert report.file.read(5) == b"%PDF-"


@pytest.mark.parametrize("stage", ["render", "store"])
def test_report_whose_pool_process_is_killed_is_redelivered_at_once_and_finishes(
    stage, report_round, region_a, private_redis, media_root, tmp_path
):
    # A visibility timeout far beyond this test: the message can only come back because the worker
    # hands it back when its pool process dies (task_reject_on_worker_lost with late acks).
    worker = CeleryWorker(
        broker_url=private_redis.url,
        media_root=media_root,
        log_folder=tmp_path,
        visibility_timeout=600,
        slow_stage=stage,
    )
    with broker_at(private_redis.url), worker:
        report = _request_kalmars_report(report_round, region_a)
        if stage == "render":
            wait_for(lambda: _status(report) == ReportStatus.RUNNING, timeout=30, what="the report to start")
        else:  # the PDF is in storage, its transaction not committed
            wait_for(lambda: _files(report), timeout=45, what="the PDF to be written")
        assert _status(report) == ReportStatus.RUNNING and report.attempts == 1

        worker.kill_pool_process()

        wait_for(lambda: _status(report) == ReportStatus.DONE, timeout=45, what=f"the report ({worker.log_path})")

    _assert_finished_once(report, attempts=2)


def test_report_of_a_killed_worker_is_redelivered_after_the_visibility_timeout_to_a_new_worker(
    report_round, region_a, private_redis, media_root, tmp_path
):
    visibility_timeout = 5
    options = {"broker_url": private_redis.url, "media_root": media_root, "log_folder": tmp_path}
    with broker_at(private_redis.url):
        with CeleryWorker(visibility_timeout=visibility_timeout, slow_stage="render", **options) as worker:
            report = _request_kalmars_report(report_round, region_a)
            wait_for(lambda: _status(report) == ReportStatus.RUNNING, timeout=30, what="the report to start")
            worker.kill()
        started = time.monotonic()

        assert _status(report) == ReportStatus.RUNNING and report.attempts == 1  # nobody finishes it now

        # The message went out before the report started: once the timeout has passed since then,
        # the next worker takes it back as soon as it connects.
        time.sleep(max(0.0, started + visibility_timeout + 1 - time.monotonic()))
        with CeleryWorker(visibility_timeout=visibility_timeout, **options) as new_worker:
            wait_for(
                lambda: _status(report) == ReportStatus.DONE, timeout=45, what=f"the report ({new_worker.log_path})"
            )

    _assert_finished_once(report, attempts=2)
