"""Web and worker on two machines with no shared disk: a real Celery worker process (prefork) with a
working folder and a media folder of its own renders a round's feedback report into the object store
(moto's S3 server on loopback), and the web process, with another empty media folder, serves it."""

import pytest
from django.urls import reverse

from dialogues.choices import RoundStatus
from reports import services as report_services
from reports.choices import ReportStatus
from tests.factories.dialogues import DialogueFactory, DialogueRoundFactory, ObservationFactory
from tests.faults.worker import CeleryWorker, RedisServer, broker_at, time_limit, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def private_broker(tmp_path):
    """A redis-server of the test's own: only the worker process below takes the test's tasks (not
    the in-process worker thread other tests start on the configured broker)."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def closed_round(region_a, region_b):
    dialogue_round = DialogueRoundFactory(year=2015, status=RoundStatus.OPEN)
    ObservationFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_a), title="Kalmars iakttagelse")
    ObservationFactory(dialogue=DialogueFactory(round=dialogue_round, region=region_b), title="Kronobergs iakttagelse")
    dialogue_round.status = RoundStatus.CLOSED
    dialogue_round.save()
    return dialogue_round


def test_report_rendered_by_a_worker_on_another_machine_is_downloaded_through_the_web(
    client, ministry_user, other_region_user, closed_round, region_a, s3_bucket, private_broker, settings, tmp_path
):
    worker_home = tmp_path / "worker-machine"
    worker_home.mkdir()
    worker = CeleryWorker(
        broker_url=private_broker,
        media_root=worker_home / "media",
        log_folder=worker_home / "logs",
        cwd=worker_home,
        environment={**s3_bucket.environment, "DJANGO_VAR_DIR": str(worker_home / "var")},
    )
    with time_limit(120, "the report through a worker on another machine"), broker_at(worker.broker_url), worker:
        (report,) = report_services.reports_request(dialogue_round=closed_round, regions=[region_a], summary=False)

        def done() -> bool:
            report.refresh_from_db()
            return report.status in (ReportStatus.DONE, ReportStatus.FAILED)

        wait_for(done, timeout=90, what=f"the worker's report (log: {worker.log_path})")

    assert report.status == ReportStatus.DONE, report.error
    assert "report_generate_task[" in worker.log() and "succeeded" in worker.log()  # the worker made it
    assert s3_bucket.keys() == [report.file.name]
    stored = s3_bucket.read(report.file.name)
    assert stored.startswith(b"%PDF-")
    # Neither machine kept the file on its own disk.
    assert not (worker_home / "media").exists()
    assert not settings.MEDIA_ROOT.exists()

    download = reverse("reports:report_download", args=[report.pk])
    client.force_login(ministry_user)
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored
    client.force_login(other_region_user)  # Kronoberg never gets Kalmar's report
    assert client.get(download).status_code == 404
