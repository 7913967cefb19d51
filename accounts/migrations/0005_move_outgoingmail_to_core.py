# The e-mail outbox now belongs to core (core.0002_outgoingmail): the accounts app forgets the model,
# and its table, which core keeps using under the same name, stays where it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_outgoingmail_status"),
        ("core", "0002_outgoingmail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingMail")],
            database_operations=[],
        ),
    ]
