"""Topic moves from the forum app to regions (issue 16): state only, the table forum_topic stays.

The content type is renamed so that the audit history (auditlog LogEntry.content_type) and the
permissions stay attached to the moved model. forum's 0005 then removes Topic from forum's state.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED_MODELS = ("topic",)


def rename_content_types(apps, schema_editor, old="forum", new="regions"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        if not ContentType.objects.using(db).filter(app_label=old, model=model).exists():
            continue
        # A content type created under the new label before this ran (nothing refers to it yet) gives way.
        ContentType.objects.using(db).filter(app_label=new, model=model).delete()
        ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="regions", new="forum")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0004_calendar_subscription"),
        ("regions", "0002_profile_themes_stages_follows"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topic",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=200, unique=True, verbose_name="slug")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                    ],
                    options={
                        "verbose_name": "topic",
                        "verbose_name_plural": "topics",
                        "ordering": ["name"],
                        "db_table": "forum_topic",
                    },
                ),
                migrations.AlterField(
                    model_name="goodexample",
                    name="theme",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="good_examples",
                        to="regions.topic",
                        verbose_name="theme",
                    ),
                ),
                migrations.AlterField(
                    model_name="organisation",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="The themes the organisation answers for, so that a county finds the right way in.",
                        related_name="organisations",
                        to="regions.topic",
                        verbose_name="themes",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
