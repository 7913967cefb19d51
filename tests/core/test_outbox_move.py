"""The e-mail outbox moved from the accounts app to core (issue 16) without losing anything: its
rows, the audit log's entries about them, its permissions, and work queued under the old task names."""

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from config.celery import app as celery_app
from core.audit import audit_entries_for
from core.models import MailStatus, OutgoingMail

BEFORE_THE_MOVE = [("accounts", "0004_outgoingmail_status"), ("core", "0001_initial")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_keeps_its_e_mails_and_their_audit_entries_through_the_move():
    executor = _migrate(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
    waiting = old_apps.get_model("accounts", "OutgoingMail").objects.create(
        recipient="karin@region.test", subject="Dialogomgång öppnad", body="Hej Karin", status="pending"
    )
    old_type = ContentType.objects.get(app_label="accounts", model="outgoingmail")
    entry = LogEntry.objects.create(
        content_type=old_type,
        object_pk=str(waiting.pk),
        object_id=waiting.pk,
        object_repr="Dialogomgång öppnad → karin@region.test",
        action=LogEntry.Action.CREATE,
        changes={"subject": ["None", "Dialogomgång öppnad"]},
    )
    assert Permission.objects.filter(content_type=old_type, codename="change_outgoingmail").exists()

    _migrate()

    moved = OutgoingMail.objects.get(pk=waiting.pk)
    assert (moved.recipient, moved.subject, moved.status) == ("karin@region.test", "Dialogomgång öppnad", "pending")
    assert OutgoingMail._meta.db_table == "accounts_outgoingmail"
    new_type = ContentType.objects.get_for_model(OutgoingMail)
    assert (new_type.pk, new_type.app_label) == (old_type.pk, "core")
    assert not ContentType.objects.filter(app_label="accounts", model="outgoingmail").exists()
    assert [e.pk for e in audit_entries_for(moved)] == [entry.pk]
    assert Permission.objects.filter(content_type=new_type, codename="change_outgoingmail").exists()


@pytest.mark.django_db
def test_work_queued_under_the_old_task_names_still_runs(ministry_user):
    celery_app.loader.import_default_modules()  # what a worker does when it starts: find every app's tasks
    for scheduled in settings.CELERY_BEAT_SCHEDULE.values():
        assert scheduled["task"] in celery_app.tasks
    waiting = OutgoingMail.objects.create(recipient=ministry_user.email, subject="Kallelse", body="Text")

    assert celery_app.tasks["accounts.tasks.mail_deliver_task"].apply(kwargs={"mail_id": waiting.pk}).get() is True

    waiting.refresh_from_db()
    assert waiting.status == MailStatus.SENT
    assert [m.to for m in mail.outbox] == [[ministry_user.email]]
