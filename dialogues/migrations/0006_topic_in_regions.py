"""Topic moved from forum to regions (issue 16): the foreign keys follow, state only (same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0005_good_examples_only_from_shared_observations"),
        ("regions", "0003_topic_from_forum"),
    ]
    # forum's 0005 removes Topic from forum's state: every reference must point to regions first.
    run_before = [("forum", "0005_topic_to_regions")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="dialogueround",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True, related_name="dialogue_rounds", to="regions.topic", verbose_name="themes"
                    ),
                ),
                migrations.AlterField(
                    model_name="session",
                    name="topic",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="regions.topic",
                        verbose_name="theme",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
