from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from core.search import AddSubstringIndex


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_changes_index")]

    operations = [
        TrigramExtension(),
        AddSubstringIndex(model_name="attachment", name="attachment_name_substring", field="original_name"),
    ]
