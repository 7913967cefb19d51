"""Attachments on the portal's records (a county's submission, the agency's brief, a feedback report).

One model (`core.models.Attachment`, a generic `parent`), one place that checks and stores a file
(`attachment_add`) and one that removes it (`attachment_remove`, the file deleted once the removal
commits). Each parent's app says, once, who sees its attachments and where they are downloaded
(`register`); `attachments_visible_to(user)` combines those rules, so a list, a download and the
search all ask the same question. What a user may *do* (add, remove) is the parent app's rules.py;
*when* it may be done (a submitted submission, a published report) is the `check` the app's view
hands to the service, run under a lock on the parent's row so it cannot race a submit or publish.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse

from .models import Attachment
from .uploads import safe_filename, validate_document


@dataclass(frozen=True)
class ParentKind:
    """How one kind of parent shows its attachments: `visible(user)` is a condition on Attachment
    rows of this kind (an `Exists` over the parent's own visibility selector); `download` and
    `remove` are the URL names of its download and removal pages, which take the attachment's pk."""

    model: type[models.Model]
    visible: Callable[[object], Q]
    download: str
    remove: str


_KINDS: dict[str, ParentKind] = {}


def register(model: type[models.Model], *, visible: Callable[[object], Q], download: str, remove: str) -> None:
    """Declare `model` as a parent of attachments (from the parent app's rules.py)."""
    _KINDS[model._meta.label_lower] = ParentKind(model=model, visible=visible, download=download, remove=remove)
    # A parent deleted (a round removed with its dialogues) takes its attachments and their files along.
    post_delete.connect(_parent_deleted, sender=model, dispatch_uid=f"attachments-of-{model._meta.label_lower}")


def _kind_of(model) -> ParentKind:
    return _KINDS[model._meta.label_lower]


def attachments_visible_to(user, *, model: type[models.Model] | None = None) -> QuerySet[Attachment]:
    """The attachments whose parent `user` may see (of one kind of parent if `model` is given)."""
    kinds = [_kind_of(model)] if model is not None else list(_KINDS.values())
    condition = Q(pk__in=[])
    for kind in kinds:
        content_type = ContentType.objects.get_for_model(kind.model)
        condition |= Q(content_type=content_type) & kind.visible(user)
    return Attachment.objects.filter(condition).select_related("uploaded_by", "content_type")


def attachments_of(parents, *, user) -> QuerySet[Attachment]:
    """The attachments of these parents (one model) that `user` may see, oldest first."""
    parents = list(parents) if not isinstance(parents, QuerySet) else parents
    if isinstance(parents, QuerySet):
        model, ids = parents.model, parents.values("pk")
    elif parents:
        model, ids = type(parents[0]), [parent.pk for parent in parents]
    else:
        return Attachment.objects.none()
    return attachments_visible_to(user, model=model).filter(object_id__in=ids).order_by("uploaded_at", "pk")


def attachment_url(attachment: Attachment, page: str) -> str:
    """The address of the attachment's `page` ("download" or "remove") in its parent's app."""
    if Attachment.content_type.is_cached(attachment):
        content_type = attachment.content_type
    else:
        content_type = ContentType.objects.get_for_id(attachment.content_type_id)  # cached by Django
    kind = _KINDS[f"{content_type.app_label}.{content_type.model}"]
    return reverse(getattr(kind, page), kwargs={"pk": attachment.pk})


def _locked(parent):
    """The parent's row, locked until the transaction ends (a submit or publish waits for us)."""
    return type(parent)._default_manager.select_for_update().get(pk=parent.pk)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attachment_add(
    *, parent, upload, user, description: str = "", check: Callable[[object], None] | None = None
) -> Attachment:
    """Check an uploaded file (type by content, size, not empty) and attach it to `parent`.

    `check(parent)` runs first on the parent's locked row and refuses with a ValidationError when
    the parent may not change now. Refused: ValidationError, nothing stored (no row, no file).
    The audit log records the new row (who, when, which file).
    """
    locked = _locked(parent)
    if check is not None:
        check(locked)
    file_type = validate_document(upload)
    name = safe_filename(upload.name or "")
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(type(parent)),
        object_id=parent.pk,
        original_name=name,
        description=description.strip(),
        file_type=file_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=user,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no stray file when the row is not saved
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, check: Callable[[object, Attachment], None] | None = None) -> None:
    """Remove an attachment: the row now, its file once the removal has committed.

    `check(parent, attachment)` runs first on the parent's locked row and refuses with a
    ValidationError when the attachment may not be removed now (nothing changes then).
    """
    parent = attachment.parent
    if parent is not None:
        locked = _locked(parent)
        if check is not None:
            check(locked, attachment)
    attachment = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if attachment is None:
        return  # removed meanwhile (two clicks): nothing more to do
    attachment.delete()  # its file goes once this commits (`_file_delete_on_commit`)


@receiver(post_delete, sender=Attachment)
def _file_delete_on_commit(sender, instance: Attachment, **kwargs) -> None:
    """Whatever removed the row (the service, the admin, its parent's deletion), its file is
    deleted once that has committed; a rolled-back removal keeps it."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _parent_deleted(sender, instance, **kwargs) -> None:
    content_type = ContentType.objects.get_for_model(sender)
    Attachment.objects.filter(content_type=content_type, object_id=instance.pk).delete()
