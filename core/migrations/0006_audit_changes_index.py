from django.db import migrations

INDEX = "auditlog_logentry_changes_path"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON auditlog_logentry USING gin (changes jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    """A change history that includes child rows finds the entries that name the parent in a
    changed foreign key (core.audit.audit_entries_for) through this index, not by reading every
    entry of the child's type (a million entries at the benchmark's 100× size). PostgreSQL only."""

    dependencies = [("core", "0005_attachment_search_index"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(create, drop)]
