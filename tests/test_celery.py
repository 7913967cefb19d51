import time

import pytest
from django.core import mail

from accounts.services import mail_users
from accounts.tasks import mail_send_task
from config.celery import app as celery_app


def test_celery_settings_keep_tasks_when_a_worker_dies():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    if conf.broker_url.startswith("redis"):
        assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.celery_worker
def test_mail_task_round_trips_through_the_broker_and_a_worker(celery_live_worker):
    assert celery_app.conf.broker_url.startswith("redis://"), "the worker test must run against Redis"
    result = mail_send_task.delay(subject="Prov", body="Hej", recipients=["a@example.test"])
    assert result.get(timeout=20) == 1
    assert [m.subject for m in mail.outbox] == ["Prov"]


@pytest.mark.django_db
@pytest.mark.celery_worker
def test_mail_users_is_sent_by_the_worker_after_commit(
    celery_live_worker, ministry_user, agency_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent_to = mail_users(users=[ministry_user, agency_user], subject="Dialogomgång öppnad", body="Välkommen")
        assert mail.outbox == [], "nothing may leave before the transaction commits"
    assert sent_to == 2
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mail.outbox[0].to == sorted([ministry_user.email, agency_user.email])
