"""The writes that django-auditlog's signals never see, recorded as `save()` and `delete()` would
have been: a conditional `update()` (`core.concurrency.save_versioned`), `bulk_create()`, and rows
deleted in bulk (`audit_delete`).

Rows written in bulk are logged in bulk: one INSERT for all their entries rather than one per row
(an import of 1 000 lines replacing 1 000 spent two of its four seconds on 2 000 single inserts).
Each entry is what `LogEntry.objects.log_create` makes, and gets the request's actor and address
from auditlog's `pre_save` receiver, which is sent for it as `save()` would send it.
"""

import copy

from auditlog.models import DEFAULT_OBJECT_REPR, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, router
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


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


def _entry(instance: models.Model, *, action: int, changes: dict) -> LogEntry:
    """The unsaved entry `LogEntry.objects.log_create(instance, action=..., changes=...)` would save."""
    from auditlog.cid import get_cid

    pk = LogEntry.objects._get_pk_value(instance)
    try:
        object_repr = smart_str(instance)
    except ObjectDoesNotExist:
        object_repr = DEFAULT_OBJECT_REPR
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=pk,
        object_id=pk if isinstance(pk, int) else None,
        object_repr=object_repr,
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
        cid=get_cid(),
    )
    get_additional_data = getattr(instance, "get_additional_data", None)
    if callable(get_additional_data):
        entry.additional_data = get_additional_data()
    return entry


def _save_entries(entries: list[LogEntry]) -> None:
    """Save `entries` in one INSERT, each given the actor and address `save()` would have given it."""
    if not entries:
        return
    using = router.db_for_write(LogEntry)
    for entry in entries:
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)
    LogEntry.objects.bulk_create(entries)


def audit_record_created(instances: list[models.Model]) -> None:
    """Record rows made with `bulk_create()` (no signals) as `save()` would have."""
    from auditlog.diff import model_instance_diff

    entries = []
    for instance in instances:
        if instance.pk is not None and _logging_enabled(type(instance)):
            changes = model_instance_diff(None, instance)
            if changes is not None:
                entries.append(_entry(instance, action=LogEntry.Action.CREATE, changes=changes))
    _save_entries(entries)


def audit_delete(queryset: models.QuerySet) -> int:
    """Delete the rows of `queryset` and record each deletion as the delete signals would have, in
    one INSERT; for a model nothing cascades from (a cascaded row's deletion would go unlogged).
    Returns the number of rows deleted."""
    from auditlog.context import disable_auditlog
    from auditlog.diff import model_instance_diff

    model = queryset.model
    if any(relation.on_delete is models.CASCADE for relation in model._meta.related_objects):
        raise ValueError(f"audit_delete: rows cascade from {model.__name__}; delete them one by one")
    instances = list(queryset)
    with disable_auditlog():
        deleted, _ = model._default_manager.filter(pk__in=[instance.pk for instance in instances]).delete()
    if _logging_enabled(model):
        entries = []
        for instance in instances:
            changes = model_instance_diff(instance, None)
            if changes:
                entries.append(_entry(instance, action=LogEntry.Action.DELETE, changes=changes))
        _save_entries(entries)
    return deleted
