import time

import pytest
from django.core import mail

from config.celery import app as celery_app
from core.mail import mail_users
from core.models import OutgoingMail
from core.tasks import mail_deliver_task


def test_celery_settings_keep_tasks_when_a_worker_dies():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    if conf.broker_url.startswith("redis"):
        assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_mail_task_round_trips_through_the_broker_and_a_worker(celery_live_worker):
    assert celery_app.conf.broker_url.startswith("redis://"), "the worker test must run against Redis"
    stored = OutgoingMail.objects.create(recipient="a@example.test", subject="Prov", body="Hej")
    result = mail_deliver_task.delay(mail_id=stored.pk)
    assert result.get(timeout=20) is True
    assert [m.subject for m in mail.outbox] == ["Prov"]
    stored.refresh_from_db()
    assert stored.sent_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_mail_users_is_sent_by_the_worker_one_message_per_person(celery_live_worker, ministry_user, agency_user):
    assert mail_users(users=[ministry_user, agency_user], subject="Dialogomgång öppnad", body="Välkommen") == 2
    deadline = time.monotonic() + 20
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ministry_user.email, agency_user.email])
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0
