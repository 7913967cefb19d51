"""The two writes that django-auditlog's signals never see, recorded as `save()` would have been:
a conditional `update()` (`core.concurrency.save_versioned`) and `bulk_create()`."""

import copy

from auditlog.models import LogEntry
from django.db import models


def _logging_enabled(model: type[models.Model]) -> bool:
    from auditlog.context import auditlog_disabled
    from auditlog.registry import auditlog

    return auditlog.contains(model) and not auditlog_disabled.get()


def audit_record_update(instance: models.Model, *, before: dict[str, object], fields: list[str]) -> None:
    """Record a change written with a queryset `update()` (no signals) as `save()` would have:
    `before` holds the stored values of `fields` by attribute name, `instance` the new ones."""
    from auditlog.diff import model_instance_diff

    if not _logging_enabled(type(instance)):
        return
    old = copy.copy(instance)
    for attname, value in before.items():
        setattr(old, attname, value)
    changes = model_instance_diff(old, instance, fields_to_check=fields)
    if changes:
        LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changes)


def audit_record_created(instances: list[models.Model]) -> None:
    """Record rows made with `bulk_create()` (no signals) as `save()` would have."""
    from auditlog.diff import model_instance_diff

    for instance in instances:
        if instance.pk is not None and _logging_enabled(type(instance)):
            LogEntry.objects.log_create(
                instance, action=LogEntry.Action.CREATE, changes=model_instance_diff(None, instance)
            )
