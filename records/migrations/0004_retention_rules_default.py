"""The default retention rules (README "Public records"): every type of registered document is
kept (delivered to the archive) until the authority decides otherwise; the working material is
disposed of some months after its date."""

from django.db import migrations

KEEP = [
    "submission",
    "feedback_report",
    "conditions_decision",
    "minutes",
    "attachment",
    "access_request",
    "access_decision",
    "other",
]
DISPOSE_MONTHS = {
    "drafts": 12,  # unsubmitted drafts: a year after last edited (the round is closed)
    "outbox": 12,  # sent e-mails: a year after sending
    "login_records": 6,  # django-axes' log-in attempts and logs
    "digest_items": 3,  # notifications never sent in a digest (a deactivated person's)
    "form_tokens": 1,  # sent-form tokens (also swept after two days by the middleware)
}


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("records", "RetentionRule")
    for kind in KEEP:
        RetentionRule.objects.get_or_create(kind=kind, defaults={"action": "keep"})
    for kind, months in DISPOSE_MONTHS.items():
        RetentionRule.objects.get_or_create(
            kind=kind, defaults={"action": "dispose", "period": months, "unit": "months"}
        )


def unseed(apps, schema_editor):
    apps.get_model("records", "RetentionRule").objects.filter(kind__in=KEEP + list(DISPOSE_MONTHS)).delete()


class Migration(migrations.Migration):
    dependencies = [("records", "0003_retention_and_disposal")]

    operations = [migrations.RunPython(seed, unseed)]
