"""Topic moved from forum to regions (issue 16): an existing database keeps its rows and their audit history."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from regions.models import GoodExample, Topic

BEFORE = [
    ("regions", "0002_profile_themes_stages_follows"),
    ("forum", "0004_calendar_subscription"),
    ("dialogues", "0005_good_examples_only_from_shared_observations"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_topic_rows_and_audit_history_survive_the_move():
    leaves = _leaves()
    old = _migrate(BEFORE)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="forum", model="topic")
    OldTopic = old.get_model("forum", "Topic")
    topic = OldTopic.objects.create(name="Kompetensförsörjning", slug="kompetensforsorjning")
    region = old.get_model("regions", "Region").objects.create(
        code="08", name="Kalmar län", iso_code="SE-H", slug="kalmar"
    )
    old.get_model("regions", "GoodExample").objects.create(region=region, title="Lärcentrum", year=2016, theme=topic)
    LogEntry.objects.create(
        content_type_id=old_type.pk,
        object_pk=str(topic.pk),
        object_id=topic.pk,
        object_repr=topic.name,
        action=LogEntry.Action.CREATE,
        changes={"name": ["None", "Kompetensförsörjning"]},
    )

    _migrate(leaves)

    moved = Topic.objects.get(pk=topic.pk)
    assert moved.name == "Kompetensförsörjning"
    assert GoodExample.objects.get(title="Lärcentrum").theme == moved
    history = LogEntry.objects.get_for_object(moved)
    assert [entry.changes_dict["name"] for entry in history] == [["None", "Kompetensförsörjning"]]
    assert not ContentType.objects.filter(app_label="forum", model="topic").exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_reversed():
    leaves = _leaves()
    topic = Topic.objects.create(name="Uppföljning och analys", slug="uppfoljning-och-analys")
    assert LogEntry.objects.get_for_object(topic).count() == 1

    old = _migrate(BEFORE)
    old_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="forum", model="topic")
    assert old.get_model("forum", "Topic").objects.get(pk=topic.pk).name == "Uppföljning och analys"
    assert LogEntry.objects.filter(content_type_id=old_type.pk, object_pk=str(topic.pk)).count() == 1

    _migrate(leaves)
    assert LogEntry.objects.get_for_object(Topic.objects.get(pk=topic.pk)).count() == 1
