"""A real Celery worker on Redis generates a report end to end."""

import time

import pytest

from config.celery import app as celery_app
from reports import services as report_services
from reports.choices import ReportStatus
from reports.models import FeedbackReport


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_requested_report_is_generated_by_the_worker(celery_live_worker, closed_round, region_a):
    assert celery_app.conf.broker_url.startswith("redis://"), "the worker test must run against Redis"

    report_services.reports_request(dialogue_round=closed_round, regions=[region_a], summary=False)

    deadline = time.monotonic() + 60
    report = FeedbackReport.objects.get(region=region_a)
    while report.status in (ReportStatus.PENDING, ReportStatus.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.2)
        report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.is_current and report.attempts == 1
    assert report.file.read(5) == b"%PDF-"
