"""Operations (issue 19): request ids into logs and Celery tasks, Prometheus metrics, the status page."""

import json
import logging
import threading
import uuid

import pytest
from celery.signals import task_prerun
from django.urls import reverse
from django_guid import get_guid
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app
from core.models import MailStatus, OutgoingMail
from reports.choices import ReportStatus
from tests.factories.reports import FeedbackReportFactory

TOKEN = "scrape-token-for-the-tests"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(client, token=TOKEN):
    return client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {token}")


# --- Request ids ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_a_proxys_uuid_is_kept(client):
    fresh = client.get(reverse("login"))
    assert uuid.UUID(fresh["X-Request-ID"])
    given = uuid.uuid4().hex
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


@pytest.mark.django_db
def test_a_request_id_that_is_not_a_uuid_never_reaches_the_logs(client):
    forged = "abc\n2026-01-01 INFO forged log line"
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged
    assert uuid.UUID(response["X-Request-ID"])


def test_json_log_lines_carry_the_request_id(settings):
    from django_guid import set_guid
    from django_guid.log_filters import CorrelationId
    from pythonjsonlogger.json import JsonFormatter

    formatter_settings = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(formatter_settings["fmt"], rename_fields=formatter_settings["rename_fields"])
    record = logging.LogRecord("dialogues", logging.WARNING, __file__, 1, "Inlämning sparad", None, None)
    set_guid("0123456789abcdef0123456789abcdef")
    try:
        CorrelationId("request_id").filter(record)
    finally:
        set_guid(None)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["level"] == "WARNING" and line["message"] == "Inlämning sparad" and line["logger"] == "dialogues"


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_the_request_id_follows_the_request_into_the_task_it_queues(client, celery_live_worker, ministry_user):
    """A password reset queues its e-mail after commit; the worker runs the task under the request's id."""
    seen = {}
    done = threading.Event()

    def remember(task=None, **kwargs):
        if task.name == "core.tasks.mail_deliver_batch_task":
            seen["guid"] = get_guid()
            done.set()

    task_prerun.connect(remember, weak=False)
    try:
        request_id = uuid.uuid4().hex
        response = client.post(reverse("password_reset"), {"email": ministry_user.email}, HTTP_X_REQUEST_ID=request_id)
        assert response.status_code == 302
        assert done.wait(20), "the worker did not run the e-mail task"
    finally:
        task_prerun.disconnect(remember)
    assert seen["guid"] == request_id


# --- /metrics ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_do_not_exist_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert _scrape(client, token="").status_code == 404


@pytest.mark.django_db
def test_metrics_refuse_a_missing_or_wrong_token(client, metrics_token):
    assert client.get(reverse("metrics")).status_code == 401
    assert _scrape(client, token="guess").status_code == 401


def _sample(body: str, name: str, **labels) -> float:
    """The value of one sample of the scrape (0 when the series does not exist yet)."""
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status(client, metrics_token, ministry_user):
    """The counters belong to the process (other tests count too): the difference is what counts."""
    responses = "dialoger_django_http_responses_total_by_status_view_method_total"
    latencies = "dialoger_django_http_requests_latency_seconds_by_view_method_count"
    ok = {"method": "GET", "status": "200", "view": "home"}
    before = _scrape(client).content.decode()
    client.force_login(ministry_user)
    client.get(reverse("home"))
    client.get("/no-such-page/")
    after = _scrape(client).content.decode()
    assert _sample(after, responses, **ok) - _sample(before, responses, **ok) == 1
    missing = {"method": "GET", "status": "404", "view": "<unnamed view>"}
    assert _sample(after, responses, **missing) - _sample(before, responses, **missing) == 1
    timed = {"method": "GET", "view": "home"}
    assert _sample(after, latencies, **timed) - _sample(before, latencies, **timed) == 1


@pytest.mark.django_db
def test_made_up_http_methods_do_not_make_new_time_series(client, metrics_token):
    for index in range(3):
        client.generic(f"WEIRD{index}", reverse("livez"))
    body = _scrape(client).content.decode()
    assert "WEIRD" not in body
    assert 'method="<invalid method>"' in body


@pytest.mark.django_db
def test_metrics_show_report_jobs_mails_and_queue_length(client, metrics_token):
    FeedbackReportFactory.create_batch(2, status=ReportStatus.FAILED)
    OutgoingMail.objects.create(recipient="a@example.test", subject="s", body="b", status=MailStatus.PENDING)
    body = _scrape(client).content.decode()
    assert 'dialoger_feedback_reports{status="failed"} 2.0' in body
    assert 'dialoger_outbox_mails{status="pending"} 1.0' in body
    assert f'dialoger_queue_length{{queue="{celery_app.conf.task_default_queue}"}} 0.0' in body
    assert "dialoger_feedback_report_generation_seconds_count" in body


# --- The status page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_status_page_is_for_administrators_only(client, ministry_user, agency_user, region_user):
    for user in (ministry_user, agency_user, region_user):
        client.force_login(user)
        assert client.get(reverse("portal:operations")).status_code == 403


@pytest.mark.django_db
def test_the_status_page_shows_failed_reports_waiting_mails_and_the_last_backup(client, admin_user, settings, tmp_path):
    from core.backup import _backup_note

    settings.VAR_DIR = tmp_path
    archive = tmp_path / "backup-2026-12-06.tar.gz"
    archive.write_bytes(b"x" * 2048)
    _backup_note(archive=archive)
    FeedbackReportFactory(status=ReportStatus.FAILED)
    OutgoingMail.objects.create(recipient="a@example.test", subject="s", body="b", status=MailStatus.PENDING)
    client.force_login(admin_user)
    page = client.get(reverse("portal:operations"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "backup-2026-12-06.tar.gz" in text
    assert page.context["status"].reports[ReportStatus.FAILED] == 1
    assert page.context["status"].mails_waiting == 1


@pytest.mark.django_db
def test_the_status_page_says_unknown_when_the_broker_hangs(client, admin_user, monkeypatch):
    from portal import operations

    hang = threading.Event()

    class HangingConnection:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def ensure_connection(self, **kwargs):
            hang.wait(10)

    monkeypatch.setattr(operations, "BROKER_DEADLINE_SECONDS", 0.3)
    monkeypatch.setattr(operations.current_app, "connection_for_read", HangingConnection)
    client.force_login(admin_user)
    try:
        page = client.get(reverse("portal:operations"))
    finally:
        hang.set()
    assert page.status_code == 200
    assert page.context["status"].queues == {celery_app.conf.task_default_queue: None}
    assert "okänt" in page.content.decode()
