"""Whether a county's länsråd sits in the civil servants' forum is kept per county and year
(BusinessSupportYear) instead of as a flag on a responsibility period. Each flagged period becomes
one row for every year it covered: from its first year (2015, the first forum, if open) to its
last year (this year if it is still running)."""

import django.db.models.deletion
import datetime

from django.db import migrations, models

FIRST_FORUM_YEAR = 2015


def flags_to_years(apps, schema_editor):
    ResponsibilityPeriod = apps.get_model("regions", "ResponsibilityPeriod")
    BusinessSupportYear = apps.get_model("regions", "BusinessSupportYear")
    this_year = datetime.date.today().year
    rows = set()
    for period in ResponsibilityPeriod.objects.filter(handles_business_support=True):
        first = period.valid_from or FIRST_FORUM_YEAR
        last = period.valid_to or max(this_year, first)
        rows.update((period.region_id, year) for year in range(first, last + 1))
    BusinessSupportYear.objects.bulk_create(
        [BusinessSupportYear(region_id=region_id, year=year) for region_id, year in sorted(rows)]
    )


def years_to_flags(apps, schema_editor):
    ResponsibilityPeriod = apps.get_model("regions", "ResponsibilityPeriod")
    BusinessSupportYear = apps.get_model("regions", "BusinessSupportYear")
    for row in BusinessSupportYear.objects.all():
        periods = ResponsibilityPeriod.objects.filter(region_id=row.region_id).filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=row.year),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=row.year),
        )
        periods.update(handles_business_support=True)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0004_stage_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="BusinessSupportYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="business_support_years",
                        to="regions.region",
                        verbose_name="county",
                    ),
                ),
            ],
            options={
                "verbose_name": "year with regional business support at the county board",
                "verbose_name_plural": "years with regional business support at the county board",
                "ordering": ["region__code", "year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region", "year"),
                        name="business_support_year_region_year_unique",
                        violation_error_message="This year is already recorded for the county.",
                    )
                ],
            },
        ),
        migrations.RunPython(flags_to_years, years_to_flags),
        migrations.RemoveField(
            model_name="responsibilityperiod",
            name="handles_business_support",
        ),
    ]
