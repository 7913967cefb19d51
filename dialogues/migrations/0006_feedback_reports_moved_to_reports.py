# The feedback reports moved to the reports app (reports/migrations/0001_initial.py), keeping their
# tables: here they leave the dialogues app's state only; nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0005_good_examples_only_from_shared_observations"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReportComment"),
                migrations.DeleteModel(name="FeedbackReport"),
            ],
            database_operations=[],
        ),
    ]
