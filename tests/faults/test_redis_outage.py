"""Redis is stopped while the ministry closes a round: the pages keep working, the reports wait in
the database, and once Redis is back the sweep sends them to a real worker, which generates them."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db.models import F
from django.urls import reverse

from dialogues.choices import RoundStatus
from reports.choices import ReportStatus
from reports.models import FeedbackReport
from reports.services import PENDING_GRACE
from reports.tasks import reports_sweep_task

from .worker import CeleryWorker, broker_at, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery_worker,
    pytest.mark.usefixtures("fault_time_limit"),
]


def _caches_at(url: str) -> dict:
    """The portal's caches (which also front the sessions), on the Redis at `url`."""
    return {
        alias: {**config, "LOCATION": url} if config["BACKEND"] == "core.cache.TolerantRedisCache" else config
        for alias, config in django_settings.CACHES.items()
    }


def _statuses(report_round) -> list[str]:
    return sorted(FeedbackReport.objects.filter(round=report_round).values_list("status", flat=True))


def test_round_closed_while_redis_is_down_keeps_the_pages_working_and_the_reports_go_out_once_it_is_back(
    client, settings, ministry_user, report_round, private_redis, media_root, tmp_path
):
    assert django_settings.REDIS_URL, "this test needs the Redis cache of a deployment"
    settings.CACHES = _caches_at(private_redis.url)
    client.force_login(ministry_user)
    round_page = report_round.get_absolute_url()
    report_page = reverse("reports:report_list", args=[report_round.pk])
    worker = CeleryWorker(broker_url=private_redis.url, media_root=media_root, log_folder=tmp_path)

    with broker_at(private_redis.url), worker:
        assert client.get(round_page).status_code == 200  # the session and the cache are on Redis now
        private_redis.stop()

        response = client.post(
            reverse("dialogues:round_close", args=[report_round.pk]),
            {"confirm": "on", "close_anyway": "on"},
            follow=True,
        )

        assert response.status_code == 200
        assert "Omgången är stängd." in response.content.decode()
        report_round.refresh_from_db()
        assert report_round.status == RoundStatus.CLOSED
        for url in (round_page, reverse("home"), report_page):
            assert client.get(url).status_code == 200, url
        assert client.get(report_page).content.decode().count("Väntar") == 3
        assert _statuses(report_round) == [ReportStatus.PENDING] * 3

        private_redis.start()
        # As beat does every two minutes, once the reports have waited long enough to count as lost.
        FeedbackReport.objects.update(requested_at=F("requested_at") - PENDING_GRACE - datetime.timedelta(seconds=1))
        reports_sweep_task.delay()

        wait_for(
            lambda: _statuses(report_round) == [ReportStatus.DONE] * 3,
            timeout=60,
            what=f"the reports to be generated (worker log: {worker.log_path})",
        )

    assert FeedbackReport.objects.filter(round=report_round, is_current=True).count() == 3
    assert all(report.file.read(5) == b"%PDF-" for report in FeedbackReport.objects.filter(round=report_round))
