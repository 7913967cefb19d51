"""Withdraw the good examples that were derived from observations the county may not learn of.

Before issue 13 an observation marked "good example" was copied onto the county's profile (read
by every county) even when it was not shared with the county. From now on a good example is only
derived from a shared observation (`dialogues.services._good_example_sync`); this removes the
examples derived from unshared ones, and unlinks them from their observations.
"""

from django.db import migrations, models


def withdraw(apps, schema_editor):
    Observation = apps.get_model("dialogues", "Observation")
    GoodExample = apps.get_model("regions", "GoodExample")
    derived = Observation.objects.filter(good_example__isnull=False).exclude(shared_with_region=True, is_good_example=True)
    example_ids = list(derived.values_list("good_example_id", flat=True))
    derived.update(good_example=None)
    GoodExample.objects.filter(pk__in=example_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0004_session_participants"),
        ("regions", "0002_profile_themes_stages_follows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="observation",
            name="is_good_example",
            field=models.BooleanField(
                default=False,
                help_text="A good example appears on the county's profile once the observation is shared.",
                verbose_name="good example",
            ),
        ),
        migrations.RunPython(withdraw, migrations.RunPython.noop),
    ]
