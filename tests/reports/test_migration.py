"""The feedback reports moved from the dialogues app to the reports app without moving their data:
a database from before the move keeps its reports, their comments and their audit history."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reports.models import FeedbackReport, ReportComment
from tests.factories.dialogues import DialogueRoundFactory, FeedbackReportFactory

BEFORE_THE_MOVE = [("dialogues", "0005_good_examples_only_from_shared_observations"), ("reports", None)]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _labels(model: str) -> set[str]:
    return set(ContentType.objects.filter(model=model).values_list("app_label", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_reports_comments_and_audit_history(region_a, agency_user):
    dialogue_round = DialogueRoundFactory(year=2016)
    logged = FeedbackReportFactory(round=dialogue_round, region=region_a, status="done", checksum="a" * 64)
    ReportComment.objects.create(report=logged, author=agency_user, text="Förtydliga avsnitt 2.")
    assert LogEntry.objects.get_for_object(logged).count() == 1  # its creation, logged by django-auditlog
    try:
        _migrate(BEFORE_THE_MOVE)
        # As it was: the models and their content types belong to dialogues, the tables keep their rows.
        assert _labels("feedbackreport") == {"dialogues"} and _labels("reportcomment") == {"dialogues"}
        old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE[0]).apps
        OldReport = old.get_model("dialogues", "FeedbackReport")
        assert OldReport.objects.get(pk=logged.pk).checksum == "a" * 64
        # A report written before the move, with an audit entry under the old content type.
        written = OldReport.objects.create(round_id=dialogue_round.pk, region_id=region_a.pk, version=2, error="Fel")
        old.get_model("dialogues", "ReportComment").objects.create(report=written, text="Gammal kommentar")
        LogEntry.objects.create(
            content_type=ContentType.objects.get(app_label="dialogues", model="feedbackreport"),
            object_pk=str(written.pk),
            object_id=written.pk,
            object_repr="Kalmar, 2016 (version 2)",
            action=LogEntry.Action.CREATE,
            changes={"version": ["None", "2"]},
        )
    finally:
        _migrate(_latest())

    assert _labels("feedbackreport") == {"reports"} and _labels("reportcomment") == {"reports"}
    moved = FeedbackReport.objects.get(pk=written.pk)
    assert (moved.round, moved.region, moved.version, moved.error) == (dialogue_round, region_a, 2, "Fel")
    assert [c.text for c in moved.comments.all()] == ["Gammal kommentar"]
    assert [c.text for c in FeedbackReport.objects.get(pk=logged.pk).comments.all()] == ["Förtydliga avsnitt 2."]
    # The history of both is still attached to them (the page's change history reads it this way).
    assert LogEntry.objects.get_for_object(moved).get().changes == {"version": ["None", "2"]}
    assert LogEntry.objects.get_for_object(logged).count() == 1
