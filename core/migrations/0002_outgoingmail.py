# The e-mail outbox moves from the accounts app to core (issue 16): only Django's idea of where the
# model lives changes; the table keeps its name and its rows, and the content type is renamed so the
# audit log's entries and the permissions stay attached to it.

from django.db import migrations, models

MOVED_MODELS = ["outgoingmail"]


def _rename_content_types(old_label, new_label):
    def rename(apps, schema_editor):
        db = schema_editor.connection.alias
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
        for model in MOVED_MODELS:
            old = content_types.filter(app_label=old_label, model=model).first()
            if old is None:
                continue
            made_afresh = content_types.filter(app_label=new_label, model=model).first()
            if made_afresh is not None:
                # After a migration back and forth, post_migrate has made one under the new label meanwhile:
                # whatever was logged under it joins the history, and it goes with its permissions.
                for app_label, name in (("auditlog", "LogEntry"), ("admin", "LogEntry")):
                    entries = apps.get_model(app_label, name).objects.using(db)
                    entries.filter(content_type=made_afresh).update(content_type=old)
                made_afresh.delete()
            old.app_label = new_label
            old.save(update_fields=["app_label"])

    return rename


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auditlog", "0017_add_actor_email"),
        ("accounts", "0004_outgoingmail_status"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("recipient", models.EmailField(max_length=254, verbose_name="recipient")),
                        ("subject", models.CharField(max_length=300, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="body")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("uncertain", "Perhaps sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="sending started")),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="next try")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "verbose_name_plural": "outgoing e-mails",
                        "db_table": "accounts_outgoingmail",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status__in", ["pending", "sending"])),
                                fields=["status", "created_at"],
                                name="outgoingmail_open_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_rename_content_types("accounts", "core"), _rename_content_types("core", "accounts")),
    ]
