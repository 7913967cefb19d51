"""A submission sent in before `first_submitted_at` existed gets the time of its first version, so
that whether it came late is known for the rounds already in the database."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dialogues.models import Submission

BEFORE = [("dialogues", "0007_merge_topic_and_reports_moves")]
AFTER = [("dialogues", "0008_submission_deadline_extension")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets[0]).apps


@pytest.mark.django_db(transaction=True)
def test_submissions_sent_in_before_the_field_existed_get_their_first_versions_time(
    kalmar_dialogue, kronoberg_dialogue
):
    first = timezone.now() - datetime.timedelta(days=20)
    try:
        old = _migrate(BEFORE)
        Version = old.get_model("dialogues", "SubmissionVersion")
        sent = kalmar_dialogue.submission.pk
        Version.objects.create(submission_id=sent, number=1, data={}, submitted_at=first)
        Version.objects.create(submission_id=sent, number=2, data={}, submitted_at=first + datetime.timedelta(days=9))
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Submission.objects.get(pk=sent).first_submitted_at == first
    assert Submission.objects.get(pk=kronoberg_dialogue.submission.pk).first_submitted_at is None  # never sent in
