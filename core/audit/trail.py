"""The audit trail as a record's page shows it: who changed what, and when (issue 7).

django-auditlog writes the entries (every tracked model, see `AUDITLOG_*` in the settings); this
module reads them back for one record and, where a page really shows a group, for its child rows
too (a submission with its priorities and results). The queries do not grow with the history:
one for the entries with their actors and the total, and one per kind of record that a shown
change points to (a priority's RUS priority, a user's county). The writes the signals never see
are recorded by `core.audit.writes`; a person is taken out of the log by `core.audit.forget`.
"""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models import Count, F, Func, Q, QuerySet, Subquery, Window
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

AUDIT_TRAIL_LIMIT = 20


@dataclass(frozen=True)
class FieldChange:
    """One field's change; None stands for an empty value."""

    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class AuditEntry:
    timestamp: datetime.datetime
    actor: str
    kind: str  # "create", "update" or "delete": what the values mean
    action: str
    record: str
    changes: list[FieldChange] = field(default_factory=list)
    withheld: bool = False  # only which fields changed is shown, not the values (a county's draft)

    @property
    def changed_fields(self) -> str:
        return ", ".join(change.label for change in self.changes)


@dataclass(frozen=True)
class AuditTrail:
    """The latest entries, newest first, and how many there are in all."""

    entries: list[AuditEntry]
    total: int
    grouped: bool

    @property
    def not_shown(self) -> int:
        return self.total - len(self.entries)


def _of_model(model: type[models.Model]) -> Q:
    """Entries about rows of `model`. The content type's id is a subquery the database runs once
    (no join), so each branch of a change history's condition can use the log's own indexes."""
    opts = model._meta
    content_type = ContentType.objects.filter(app_label=opts.app_label, model=opts.model_name).values("pk")[:1]
    return Q(content_type_id=Subquery(content_type))


class _InArray(Func):
    """`field = ANY(ARRAY(subquery))`: the subquery runs once and its ids are looked up through the
    index, where `IN (subquery)` inside an OR makes PostgreSQL read every entry of the log."""

    arg_joiner = " = ANY(ARRAY("
    template = "(%(expressions)s)))"
    output_field = models.BooleanField()


def _object_id_in(ids: QuerySet) -> Q:
    if connection.vendor == "postgresql":
        return Q(_InArray(F("object_id"), Subquery(ids)))
    return Q(object_id__in=ids)


def _child_relations(obj: models.Model, related: tuple[str, ...]) -> list[tuple[type[models.Model], str]]:
    """(child model, name of its foreign key to `obj`) for each reverse relation named in `related`."""
    relations = []
    for name in related:
        relation = obj._meta.get_field(name)
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created:
            raise ValueError(f"{name!r} is not a reverse relation of {type(obj).__name__}")
        relations.append((relation.related_model, relation.field.name))
    return relations


def _mentions(fk_name: str, pk: str) -> Q:
    """Entries whose change of `fk_name` ({"fk": [old, new]}) has `pk` as the old or the new value.
    On PostgreSQL a jsonb containment (@>), which the GIN index of core's migration 0006 serves;
    SQLite has no containment, and `make run`'s data is small."""
    if connection.vendor == "postgresql":
        return Q(changes__contains={fk_name: [pk]})
    return Q(**{f"changes__{fk_name}__0": pk}) | Q(**{f"changes__{fk_name}__1": pk})


def audit_entries_for(obj: models.Model, *, related: tuple[str, ...] = ()) -> QuerySet[LogEntry]:
    """The log entries of `obj` and of its child rows reached through the reverse relations named in
    `related`, newest first, with actor and content type, each annotated with the `total` count.

    A child row counts while it points to `obj`, and after it was deleted or moved away: its
    creation or deletion entry names `obj` in the changed foreign key.
    """
    pk = str(obj.pk)
    condition = _of_model(type(obj)) & Q(object_pk=pk)
    for child, fk_name in _child_relations(obj, related):
        of_child = _of_model(child)
        mentions = _mentions(fk_name, pk)
        once_ours = LogEntry.objects.filter(of_child & mentions).values("object_id")
        still_ours = child._base_manager.filter(**{fk_name: obj.pk}).values("pk")
        condition |= of_child & (_object_id_in(still_ours) | _object_id_in(once_ours))
    # Sorted by an expression, not the bare column: with the bare column PostgreSQL walks the
    # whole log backwards through its timestamp index hoping to meet the few entries early (with
    # a million entries, 0.3 s); this way it fetches the entries the condition's indexes find, and
    # sorts those.
    newest_first = (F("timestamp") + datetime.timedelta(0)).desc()
    return (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .annotate(total=Window(Count("pk")))
        .order_by(newest_first, "-pk")
    )


def audit_trail(
    obj: models.Model,
    *,
    related: tuple[str, ...] = (),
    workflow_field: str | None = None,
    limit: int = AUDIT_TRAIL_LIMIT,
) -> AuditTrail:
    """The latest `limit` entries about `obj` (and its child rows in `related`) ready to show.

    `workflow_field`: only the steps of the workflow (the entries that change this field of `obj`)
    show their values; every other entry says who changed which fields, not to what. A submission's
    page passes "status": national staff read what a county sent (its versions), never its drafts.
    """
    if obj is None or obj.pk is None:
        return AuditTrail(entries=[], total=0, grouped=bool(related))
    log = list(audit_entries_for(obj, related=related)[:limit])
    withheld = _withheld(obj, log, workflow_field)
    hidden = {(child, fk_name) for child, fk_name in _child_relations(obj, related)}
    raw = [(entry, _shown_changes(entry, hidden)) for entry in log]
    referenced = _referenced_objects(change for entry, changes in raw if entry.pk not in withheld for change in changes)
    entries = [
        AuditEntry(
            timestamp=entry.timestamp,
            actor=_actor(entry),
            kind=_KINDS.get(entry.action, "update"),
            action=action_label(entry.action),
            record=_record(entry, with_name=entry.pk not in withheld),
            changes=[
                FieldChange(label=_label(change), old=None, new=None)
                if entry.pk in withheld
                else _display(change, referenced)
                for change in changes
            ],
            withheld=entry.pk in withheld,
        )
        for entry, changes in raw
    ]
    return AuditTrail(entries=entries, total=log[0].total if log else 0, grouped=bool(related))


def _withheld(obj: models.Model, log: list[LogEntry], workflow_field: str | None) -> set[int]:
    """The entries whose values stay hidden: all but those that change `obj`'s `workflow_field`."""
    if workflow_field is None:
        return set()
    own_type = (type(obj)._meta.app_label, type(obj)._meta.model_name)
    return {
        entry.pk
        for entry in log
        if (entry.content_type.app_label, entry.content_type.model) != own_type
        or workflow_field not in (entry.changes or {})
    }


# --- Turning stored strings into what a person reads ----------------------------------------


@dataclass(frozen=True)
class _RawChange:
    field: models.Field | None
    name: str
    old: object
    new: object


def _shown_changes(entry: LogEntry, hidden: set[tuple[type[models.Model], str]]) -> list[_RawChange]:
    """The entry's field changes, less the bookkeeping: the primary key, automatic timestamps and a
    child row's pointer to the record the page is about."""
    model = entry.content_type.model_class()
    changes = []
    for name, values in sorted((entry.changes or {}).items()):
        try:
            model_field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            model_field = None
        if not isinstance(values, dict) and model_field is not None and not getattr(model_field, "concrete", False):
            continue  # a reverse relation, which auditlog lists when a row is created or deleted
        if model_field is not None and (_is_bookkeeping(model_field) or (model, name) in hidden):
            continue
        if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": ..., "objects": [...]}
            changes.append(_RawChange(model_field, name, *_m2m_values(values)))
        elif isinstance(values, list | tuple) and len(values) == 2:
            changes.append(_RawChange(model_field, name, values[0], values[1]))
    return changes


def _is_bookkeeping(model_field: models.Field) -> bool:
    """The primary key, automatic time stamps and the optimistic-locking counter of
    `core.concurrency` (not editable, or without a name of its own): no person changed those."""
    if model_field.primary_key or getattr(model_field, "auto_now", False):
        return True
    if getattr(model_field, "auto_now_add", False):
        return True
    return model_field.name == "version" and (
        not model_field.editable or not isinstance(model_field.verbose_name, Promise)
    )


def _m2m_values(change: dict) -> tuple[object, object]:
    objects = ", ".join(str(o) for o in change.get("objects", []))
    if change.get("operation") == "delete":
        return objects, None
    if change.get("operation") == "clear":
        return _("all"), None
    return None, objects


def _referenced_objects(changes) -> dict[tuple[type[models.Model], str], models.Model]:
    """The records that changed foreign keys point to, one query per kind of record."""
    wanted = defaultdict(set)
    for change in changes:
        if _is_foreign_key(change.field):
            for value in (change.old, change.new):
                if isinstance(value, str) and value not in ("", "None"):
                    wanted[change.field.related_model].add(value)
    found = {}
    for model, keys in wanted.items():
        pks = []
        for key in keys:
            # an old entry may hold a representation rather than a key
            with contextlib.suppress(ValidationError):
                pks.append(model._meta.pk.to_python(key))
        # select_related() follows the non-null foreign keys, which __str__ methods tend to use.
        for pk, instance in model._base_manager.select_related().in_bulk(pks).items():
            found[(model, str(pk))] = instance
    return found


def _is_foreign_key(model_field: models.Field | None) -> bool:
    return model_field is not None and bool(model_field.many_to_one or model_field.one_to_one)


def _label(change: _RawChange) -> str:
    if change.field is not None and hasattr(change.field, "verbose_name"):
        return str(capfirst(change.field.verbose_name))
    return str(capfirst(change.name.replace("_", " ")))


def _display(change: _RawChange, referenced: dict) -> FieldChange:
    model_field = change.field
    return FieldChange(
        label=_label(change),
        old=_value(model_field, change.old, referenced),
        new=_value(model_field, change.new, referenced),
    )


def _value(model_field: models.Field | None, value: object, referenced: dict) -> str | None:
    if value is None or value in ("None", ""):
        return None
    if model_field is None or not isinstance(value, str):
        return str(value)
    if _is_foreign_key(model_field):
        instance = referenced.get((model_field.related_model, value))
        return str(instance) if instance is not None else pgettext("audit trail", "#{key} (removed)").format(key=value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(_choice_key(model_field, value), value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value == "True" else _("no") if value == "False" else value
    if isinstance(model_field, models.DateTimeField):
        return _localized_datetime(value)
    if isinstance(model_field, models.DateField):
        try:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return value


def _choice_key(model_field: models.Field, value: str) -> object:
    try:
        return model_field.to_python(value)
    except ValidationError:  # a stored value that no longer fits the field
        return value


def _localized_datetime(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):  # auditlog stores date-times as naive UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _actor(entry: LogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    if entry.actor_email:
        # The account has been removed since; its address is personal data and stays out of sight.
        return pgettext("audit trail", "a removed user")
    return pgettext("audit trail", "the system")


_KINDS = {LogEntry.Action.CREATE: "create", LogEntry.Action.UPDATE: "update", LogEntry.Action.DELETE: "delete"}


def action_label(action: int) -> str:
    """What an entry records, in the user's language: created, changed, deleted (or read)."""
    return {
        LogEntry.Action.CREATE: pgettext("audit trail", "Created"),
        LogEntry.Action.UPDATE: pgettext("audit trail", "Changed"),
        LogEntry.Action.DELETE: pgettext("audit trail", "Deleted"),
    }.get(action, pgettext("audit trail", "Read"))


def _record(entry: LogEntry, *, with_name: bool) -> str:
    model = entry.content_type.model_class()
    kind = capfirst(model._meta.verbose_name) if model else entry.content_type.model
    return f"{kind}: {entry.object_repr}" if with_name else str(kind)
