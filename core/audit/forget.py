"""A person taken out of the audit log (GDPR): for a person's right to be forgotten, the log's
entries rid of their name, address and network address."""

import re

from auditlog.models import LogEntry
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from .trail import audit_entries_for


def audit_forget_actor(user: models.Model, *, former_email: str) -> None:
    """The entries a person made stay theirs (the anonymised account), without the network address
    they came from or their former e-mail address stored beside the actor."""
    LogEntry.objects.filter(Q(actor=user) | Q(actor_email__iexact=former_email)).update(
        actor_email=user.email, remote_addr=None, remote_port=None
    )


def audit_forget_record(
    record: models.Model, *, personal_fields: tuple[str, ...], texts: list[str], replacement: str
) -> None:
    """Take a person's own record (an account, a contact card), once anonymised, out of the log.

    Its entries keep what happened and when, but lose the values of `personal_fields` and any stored
    copy of the record, and name the record as it is now. Entries about rows that refer to it (a
    forum seat, a dialogue participant, a followed county) show `replacement` wherever they showed
    one of `texts` (the person's name, e-mail address), in their description or changed values.
    Django admin's own history of the record gets the new name too.
    """
    from auditlog.registry import auditlog
    from django.contrib.admin.models import LogEntry as AdminLogEntry
    from django.contrib.contenttypes.models import ContentType

    related = tuple(
        relation.name
        for relation in record._meta.related_objects
        if not relation.hidden and auditlog.contains(relation.related_model)
    )
    own_type = ContentType.objects.get_for_model(record)
    scrub = _text_scrubber(texts, replacement)
    for entry in audit_entries_for(record, related=related).order_by():
        if entry.content_type_id == own_type.pk and entry.object_pk == str(record.pk):
            values = {
                "changes": {k: v for k, v in (entry.changes or {}).items() if k not in personal_fields},
                "object_repr": str(record),
                "changes_text": "",
                "serialized_data": None,
                "additional_data": None,
            }
        else:
            values = {
                "changes": scrub(entry.changes),
                "object_repr": scrub(entry.object_repr),
                "changes_text": scrub(entry.changes_text),
            }
        if any(getattr(entry, name) != value for name, value in values.items()):
            LogEntry.objects.filter(pk=entry.pk).update(**values)
    AdminLogEntry.objects.filter(content_type=own_type, object_id=str(record.pk)).update(object_repr=str(record)[:200])
    related_types = ContentType.objects.get_for_models(
        *(record._meta.get_field(name).related_model for name in related)
    ).values()
    for admin_entry in AdminLogEntry.objects.filter(content_type__in=related_types).filter(_mentions(texts)):
        AdminLogEntry.objects.filter(pk=admin_entry.pk).update(object_repr=scrub(admin_entry.object_repr)[:200])


def _mentions(texts: list[str]) -> Q:
    """Rows whose object_repr contains one of `texts` (any case); none if `texts` is empty."""
    condition = Q(pk__in=[])
    for text in texts:
        if text:
            condition |= Q(object_repr__icontains=text)
    return condition


def audit_forget_text(found_by: str, *, texts: list[str], replacement: str) -> None:
    """Every entry that shows `found_by` (a person's e-mail address, say, as the recipient of an
    e-mail) shows `replacement` instead of it and of each of `texts` (their name, in the e-mail's text).
    Reads the whole log once: for erasing a person, not for pages."""
    if not found_by:
        return
    condition = _mentions([found_by]) | Q(changes_text__icontains=found_by) | Q(changes_as_text__icontains=found_by)
    found = _text_scrubber([found_by], "")
    scrub = _text_scrubber([found_by, *texts], replacement)
    matches = LogEntry.objects.annotate(changes_as_text=Cast("changes", models.TextField())).filter(condition)
    for entry in matches.only("object_repr", "changes", "changes_text"):
        values = {name: getattr(entry, name) for name in ("object_repr", "changes", "changes_text")}
        if found(values) != values:  # the address itself, not one that merely contains it
            LogEntry.objects.filter(pk=entry.pk).update(**scrub(values))


def _text_scrubber(texts: list[str], replacement: str):
    """A function that replaces each of `texts` (any case) by `replacement` in a string, or in every
    string within a JSON value."""
    texts = sorted({text for text in texts if text}, key=len, reverse=True)
    if not texts:
        return lambda value: value
    # Whole names and addresses only: "anna@x.se" is not the end of "joanna@x.se".
    alternatives = "|".join(re.escape(text) for text in texts)
    pattern = re.compile(rf"(?<![\w.+-])(?:{alternatives})(?![\w-]|\.\w)", re.IGNORECASE)

    def scrub(value):
        if isinstance(value, str):
            return pattern.sub(replacement, value)
        if isinstance(value, list | tuple):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    return scrub
