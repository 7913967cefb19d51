"""Topic moved to regions (issue 16): state only, the table forum_topic stays where it is.

regions' 0003 created Topic in its state (and renamed the content type); dialogues' 0006 runs before
this one, so nothing points to forum.Topic when it leaves forum's state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_calendar_subscription"),
        ("regions", "0003_topic_from_forum"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agendaitem",
                    name="topic",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agenda_items",
                        to="regions.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.DeleteModel(name="Topic"),
            ],
            database_operations=[],
        ),
    ]
