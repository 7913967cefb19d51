import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.services import mail_users
from accounts.tasks import mail_send_task
from config.celery import app as celery_app


@pytest.fixture
def celery_worker_on_broker():
    """A real worker thread consuming from the configured broker (Redis in CI), not eager mode."""
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    try:
        with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        celery_app.conf.task_always_eager = True


def test_celery_settings_keep_tasks_when_a_worker_dies():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    if conf.broker_url.startswith("redis"):
        assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.celery_worker
def test_mail_task_round_trips_through_the_broker_and_a_worker(celery_worker_on_broker):
    assert celery_app.conf.broker_url.startswith("redis://"), "the worker test must run against Redis"
    result = mail_send_task.delay(subject="Prov", body="Hej", recipients=["a@example.test"])
    assert result.get(timeout=20) == 1
    assert [m.subject for m in mail.outbox] == ["Prov"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_mail_users_is_sent_by_the_worker_after_commit(celery_worker_on_broker, ministry_user, agency_user):
    sent_to = mail_users(users=[ministry_user, agency_user], subject="Dialogomgång öppnad", body="Välkommen")
    assert sent_to == 2
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mail.outbox[0].to == sorted([ministry_user.email, agency_user.email])
