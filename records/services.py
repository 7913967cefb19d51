"""Every change to the register goes through these functions.

The apps whose events make a document official (a county submits, a report is published, a
conditions decision is saved) call `record_register` from their own service, inside the event's
transaction: the record and its number stand or fall with the event.
"""

import hashlib
import logging
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import StaleEditError, save_versioned
from core.models import Attachment
from core.queueing import enqueue_on_commit
from regions.models import Organisation, Region

from .choices import Direction, DocumentType, Numbering, PackageStatus, Release, RequestStatus
from .documents import case_subject_kind, document_kind
from .models import (
    AccessDecision,
    AccessRequest,
    ArchivePackage,
    Case,
    Record,
    RecordSeries,
    RequestedRecord,
    SecrecyMarking,
)
from .selectors import active_markings_of, ministry_party, region_party

logger = logging.getLogger(__name__)


def numbers_from_portal() -> bool:
    """Whether the portal gives the numbers (else the registrar enters them from the ministry's registry)."""
    return settings.RECORDS_NUMBERS_FROM == Numbering.PORTAL


def _series_locked(*, year: int) -> RecordSeries:
    """The year's counter of the configured series, row-locked until the transaction ends."""
    prefix = settings.RECORDS_SERIES_PREFIX
    series = RecordSeries.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if series is None:
        try:
            with transaction.atomic():
                series = RecordSeries.objects.create(prefix=prefix, year=year)
        except IntegrityError:  # another registration opened the year first: wait for its lock
            series = RecordSeries.objects.select_for_update().get(prefix=prefix, year=year)
    return series


def _number_take(series: RecordSeries) -> tuple[str, int]:
    """The next number of the locked `series` (given back if the transaction rolls back)."""
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return f"{series.prefix}{series.year}/{series.last_number:05d}", series.last_number


def _case_for(subject: models.Model, *, parent: Case | None) -> Case:
    """The case about `subject`, opened on first need under `parent`."""
    subject_type = ContentType.objects.get_for_model(subject)
    case = Case.objects.filter(subject_type=subject_type, subject_id=subject.pk).first()
    if case is None:
        case = Case(subject_type=subject_type, subject_id=subject.pk, parent=parent, title=str(subject)[:300])
        case.full_clean()
        case.save()
    return case


def case_for(*, subjects: Sequence[models.Model]) -> Case:
    """The case of the last of `subjects`, each one's case under the one before it (a round, then
    one of its dialogues), opened on first need."""
    case = None
    for subject in subjects:
        case = _case_for(subject, parent=case)
    if case is None:
        raise ValueError("A record needs a case: give at least one subject.")
    return case


@transaction.atomic
def record_register(
    *,
    document: models.Model,
    document_type: str,
    direction: str,
    cases: Sequence[models.Model],
    region: Region | None,
    year: int,
    document_date: date | None = None,
    title: str = "",
    user: User | None = None,
    party: tuple[Organisation | None, str] | None = None,
) -> Record:
    """Register `document` as an official document, once: a second call returns the first record.

    `party` (organisation, name) replaces the county's body as the other party (the agency's brief).

    The county's party is its responsible body in `year` (the responsibility history), the other
    party the ministry: a received document comes from the county to the ministry, one drawn up
    goes from the ministry to the county (`region` None: to every county). The record is kept in
    the case of the last of `cases` (each one's case under the one before, opened on first need).
    With numbers from the portal the record takes the next number of the year's series, under the
    series' row lock, in the caller's transaction; with numbers from the registry it waits for the
    registrar to enter one.
    """
    content_type = ContentType.objects.get_for_model(document)
    existing = Record.objects.filter(content_type=content_type, object_id=document.pk).first()
    if existing is not None:
        return existing
    series = _series_locked(year=timezone.localdate().year)
    # Registrations of the year queue on the lock: one that waited sees what the one before it saved,
    # and its time is taken after the wait, so the register's order by time is the numbers' order.
    now = timezone.now()
    existing = Record.objects.filter(content_type=content_type, object_id=document.pk).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):  # a record's texts are in the portal's language
        county, county_name = party if party is not None else region_party(region, year)
        ministry, ministry_name = ministry_party()
        kind = document_kind(document)
        title = str(title or (kind.title(document) if kind else document))
        cases_opened = case_for(subjects=cases)
    received = direction == Direction.RECEIVED
    record = Record(
        document_type=document_type,
        title=title[:300],
        direction=direction,
        document_date=document_date or timezone.localdate(now),
        sender_organisation=county if received else ministry,
        sender_name=county_name if received else ministry_name,
        recipient_organisation=ministry if received else county,
        recipient_name=ministry_name if received else county_name,
        case=cases_opened,
        content_type=content_type,
        object_id=document.pk,
        registered_at=now,
        registered_by=user if user is not None and user.pk else None,
    )
    if numbers_from_portal():
        record.number, record.sequence = _number_take(series)
    else:
        record.number_external = True
    record.full_clean()
    record.save()
    return record


def _attachment_title(attachment: Attachment, parent_record: Record) -> str:
    return _("Attachment to {number}: {name}").format(
        number=parent_record.number or parent_record.title, name=attachment.original_name
    )


@transaction.atomic
def attachment_register(*, attachment: Attachment, parent_record: Record, user: User | None = None) -> Record:
    """Register a file attached to an official document as an official document of its own: an
    attachment in the parent's case, between the same parties, pointing at the parent's record.
    Registering it again returns its record."""
    content_type = ContentType.objects.get_for_model(attachment)
    existing = Record.objects.filter(content_type=content_type, object_id=attachment.pk).first()
    if existing is not None:
        return existing
    series = _series_locked(year=timezone.localdate().year)
    now = timezone.now()
    existing = Record.objects.filter(content_type=content_type, object_id=attachment.pk).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        title = _attachment_title(attachment, parent_record)
    record = Record(
        document_type=DocumentType.ATTACHMENT,
        title=title[:300],
        direction=parent_record.direction,
        document_date=max(parent_record.document_date, timezone.localdate(attachment.uploaded_at)),
        sender_organisation=parent_record.sender_organisation,
        sender_name=parent_record.sender_name,
        recipient_organisation=parent_record.recipient_organisation,
        recipient_name=parent_record.recipient_name,
        case=parent_record.case,
        content_type=content_type,
        object_id=attachment.pk,
        attached_to=parent_record,
        registered_at=now,
        registered_by=user if user is not None and user.pk else None,
    )
    if numbers_from_portal():
        record.number, record.sequence = _number_take(series)
    else:
        record.number_external = True
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def attachments_register(*, parent: models.Model, parent_record: Record, user: User | None = None) -> list[Record]:
    """Register every file attached to `parent` (a submission, a report, a brief) that is not yet
    registered, with `parent_record`, the record of the document that has just become official."""
    attachments = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(parent), object_id=parent.pk
    ).order_by("uploaded_at", "pk")
    return [attachment_register(attachment=a, parent_record=parent_record, user=user) for a in attachments]


@transaction.atomic
def record_number_set(*, record: Record, number: str, expected_version: int) -> Record:
    """Enter (or correct) a record's number from the ministry's registry, which stays the master.

    Refused for a number the portal gave, for a malformed number and for one another record has.
    """
    number = (number or "").strip()
    if not record.number_external:
        raise ValidationError(_("The portal gave this record its number; it cannot be changed."))
    if not number:
        raise ValidationError({"number": _("Enter the registration number.")})
    if Record.objects.filter(number=number).exclude(pk=record.pk).exists():
        raise ValidationError({"number": _("Another record has this registration number.")})
    record.number = number
    record.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            save_versioned(record, expected_version=expected_version, fields=["number"])
    except IntegrityError as error:  # entered for another record at the same moment
        raise ValidationError({"number": _("Another record has this registration number.")}) from error
    return record


@transaction.atomic
def secrecy_mark(*, target: models.Model, osl_reference: str, reason: str, user: User) -> SecrecyMarking:
    """Mark `target` (a record, an observation ...) secret under a provision of OSL: who decided, when, why."""
    marking = SecrecyMarking(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        osl_reference=" ".join((osl_reference or "").split()),
        reason=(reason or "").strip(),
        decided_by=user,
        decided_at=timezone.now(),
    )
    marking.full_clean()
    try:
        with transaction.atomic():
            marking.save()
    except IntegrityError as error:  # the same provision marked at the same moment by someone else
        raise ValidationError({"osl_reference": _("This is already marked secret under that provision.")}) from error
    return marking


@transaction.atomic
def secrecy_lift(*, marking: SecrecyMarking, user: User) -> SecrecyMarking:
    """Lift a secrecy marking; the marking stays on record with who lifted it and when."""
    marking = SecrecyMarking.objects.select_for_update().get(pk=marking.pk)
    if marking.lifted_at is not None:
        raise ValidationError(_("This secrecy marking has already been lifted."))
    marking.lifted_at, marking.lifted_by = timezone.now(), user
    marking.save(update_fields=["lifted_at", "lifted_by"])
    return marking


# --- Access requests (TF 2 kap.): the request and its decision are official documents too ---


def can_mask(record: Record) -> bool:
    """Whether the portal can make a masked copy of `record`'s document (for a partial release)."""
    kind = document_kind(record.content_type.model_class())
    return kind is not None and kind.masked_pdf is not None


def _requester(request: AccessRequest) -> str:
    parts = [request.requester_name, request.requester_organisation]
    return ", ".join(part for part in parts if part) or _("Anonymous requester")


@transaction.atomic
def access_request_create(
    *,
    received_on: date,
    asked_for: str,
    user: User,
    requester_name: str = "",
    requester_organisation: str = "",
    requester_email: str = "",
) -> AccessRequest:
    """Open a request for access to official documents and register it as a received document
    (anyone may ask, and need not say who they are: TF 2 kap. 18 §)."""
    request = AccessRequest(
        requester_name=(requester_name or "").strip(),
        requester_organisation=(requester_organisation or "").strip(),
        requester_email=(requester_email or "").strip(),
        received_on=received_on,
        asked_for=(asked_for or "").strip(),
        handled_by=user,
    )
    request.full_clean()
    request.save()
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Request for access to official documents")
        requester = _requester(request)
    record = record_register(
        document=request,
        document_type=DocumentType.ACCESS_REQUEST,
        direction=Direction.RECEIVED,
        cases=(request,),
        region=None,
        year=received_on.year,
        document_date=received_on,
        title=title,
        user=user,
    )
    # The sender is the one who asked, not a county.
    record.sender_organisation, record.sender_name = None, requester[:200]
    record.save(update_fields=["sender_organisation", "sender_name"])
    return request


def _open_locked(request: AccessRequest, expected_version: int | None = None) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError
    if locked.is_decided:
        raise ValidationError(_("The request is decided; its documents and decisions can no longer change."))
    return locked


@transaction.atomic
def access_request_add(*, request: AccessRequest, number: str) -> RequestedRecord:
    """Add the record with registration number `number` to an open request. A record with a
    secrecy marking in force starts as withheld under the marking's provision."""
    request = _open_locked(request)
    number = (number or "").strip()
    record = Record.objects.filter(number__iexact=number).first() if number else None
    if record is None:
        raise ValidationError({"number": _("No record has the registration number %(number)s.") % {"number": number}})
    if RequestedRecord.objects.filter(request=request, record=record).exists():
        raise ValidationError({"number": _("The document is already in this request.")})
    marking = active_markings_of(record).order_by("decided_at", "pk").first()
    item = RequestedRecord(
        request=request,
        record=record,
        decision=Release.WITHHELD if marking else Release.RELEASED,
        osl_reference=marking.osl_reference if marking else "",
    )
    item.full_clean()
    item.save()
    AccessRequest.objects.filter(pk=request.pk).update(version=models.F("version") + 1)
    return item


@transaction.atomic
def access_request_remove(*, request: AccessRequest, item: RequestedRecord) -> None:
    """Take a document out of an open request."""
    request = _open_locked(request)
    RequestedRecord.objects.filter(pk=item.pk, request=request).delete()
    AccessRequest.objects.filter(pk=request.pk).update(version=models.F("version") + 1)


@transaction.atomic
def access_request_decisions_set(
    *, request: AccessRequest, decisions: dict[int, dict], expected_version: int
) -> AccessRequest:
    """Set what is decided for each document of an open request: `decisions` maps an item's pk to
    its `decision`, `osl_reference` and `release_reason`.

    A document with a secrecy marking in force is released (wholly or in part) only with a reason;
    withheld, it is withheld under the marking's provision unless another is given. A document
    without a marking is withheld only under a provision the registrar gives.
    """
    request = _open_locked(request, expected_version)
    errors: dict[str, list] = {}
    items = list(RequestedRecord.objects.filter(request=request).select_related("record"))
    for item in items:
        if item.pk not in decisions:
            continue
        given = decisions[item.pk]
        decision = given.get("decision") or Release.WITHHELD
        osl_reference = " ".join((given.get("osl_reference") or "").split())
        reason = (given.get("release_reason") or "").strip()
        if decision == Release.PARTLY and not can_mask(item.record):
            errors[f"decision_{item.pk}"] = [
                _(
                    "%(number)s cannot be released in part: the portal cannot mask parts of this kind of "
                    "document. Withhold it or release it in full."
                )
                % {"number": item.record.number or item.record.title}
            ]
            continue
        marking = active_markings_of(item.record).order_by("decided_at", "pk").first()
        if marking is not None and decision != Release.WITHHELD and not reason:
            errors[f"reason_{item.pk}"] = [
                _("%(number)s is marked secret under %(reference)s OSL: give the reason for releasing it.")
                % {"number": item.record.number or item.record.title, "reference": marking.osl_reference}
            ]
            continue
        if decision != Release.RELEASED and not osl_reference:
            if marking is None:
                errors[f"osl_{item.pk}"] = [_("Give the provision of the secrecy act the document is withheld under.")]
                continue
            osl_reference = marking.osl_reference
        item.decision = decision
        item.osl_reference = "" if decision == Release.RELEASED else osl_reference
        item.release_reason = reason if marking is not None and decision != Release.WITHHELD else ""
        try:
            item.full_clean(exclude=["request", "record"], validate_constraints=False)
        except ValidationError as error:
            errors[f"osl_{item.pk}"] = error.messages
    if errors:
        raise ValidationError(errors)
    for item in items:
        item.save(update_fields=["decision", "osl_reference", "release_reason"])
    save_versioned(request, expected_version=expected_version, fields=[])
    return request


@transaction.atomic
def access_request_decide(*, request: AccessRequest, user: User, expected_version: int | None = None) -> AccessRequest:
    """Decide the request: it is closed, and its decision is registered as a drawn-up document.

    Refused for a request with no documents, and while a secrecy-marked document stands released
    without a reason (a marking set after its decision was saved)."""
    request = _open_locked(request, expected_version)
    items = list(RequestedRecord.objects.filter(request=request).select_related("record"))
    if not items:
        raise ValidationError(_("Add at least one document before deciding the request."))
    for item in items:
        if item.decision != Release.WITHHELD and not item.release_reason and active_markings_of(item.record).exists():
            raise ValidationError(
                _("%(number)s is marked secret: decide it again, with a reason if it is released.")
                % {"number": item.record.number or item.record.title}
            )
    now = timezone.now()
    request.status, request.decided_at = RequestStatus.DECIDED, now
    request.version += 1
    request.save(update_fields=["status", "decided_at", "version"])
    decision = AccessDecision.objects.create(request=request, decided_by=user, decided_at=now)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Decision on a request for access to official documents")
        requester = _requester(request)
    record = record_register(
        document=decision,
        document_type=DocumentType.ACCESS_DECISION,
        direction=Direction.DRAWN_UP,
        cases=(request,),
        region=None,
        year=timezone.localdate(now).year,
        document_date=timezone.localdate(now),
        title=title,
        user=user,
    )
    record.recipient_organisation, record.recipient_name = None, requester[:200]
    record.save(update_fields=["recipient_organisation", "recipient_name"])
    return request


def access_bundle_audit(*, request: AccessRequest, user: User, filename: str) -> None:
    """Note in the audit log that `user` downloaded the release bundle of `request`."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        request,
        action=LogEntry.Action.ACCESS,
        changes={"release_bundle": ["", filename]},
        force_log=True,
        actor=user,
    )


# --- Archive packages (arkivlagen): a closed round's documents, metadata and checksums ---

# A package waiting longer than this was never queued (broker away) or its message was lost; one
# building longer than this was left by a dead worker (a round's package takes minutes, not hours).
PACKAGE_PENDING_GRACE = timedelta(minutes=5)
PACKAGE_RUNNING_LIMIT = timedelta(hours=1)


def _package_task():
    from .tasks import archive_package_build_task  # the tasks module imports this one

    return archive_package_build_task


def case_is_archivable(case: Case) -> bool:
    """Whether `case` can be packaged: a top-level case about a registered subject (a round) that is closed."""
    subject_kind = case_subject_kind(case.subject_type.model_class())
    subject = case.subject
    return bool(case.parent_id is None and subject_kind and subject is not None and subject_kind.is_closed(subject))


@transaction.atomic
def archive_package_request(*, case: Case, user: User | None) -> ArchivePackage:
    """Ask for the archive package of a closed round's case: a package record is made and built by
    a Celery task once the transaction commits. A package of the case already waiting or being
    built is returned as it is (a second click builds nothing twice). Refused for a round that is
    not closed."""
    case = Case.objects.select_for_update().select_related("subject_type").get(pk=case.pk)
    if not case_is_archivable(case):
        raise ValidationError(_("Only a closed round can be delivered to an archive."))
    waiting = ArchivePackage.objects.filter(
        case=case, status__in=[PackageStatus.PENDING, PackageStatus.RUNNING]
    ).first()
    if waiting is not None:
        return waiting
    package = ArchivePackage(case=case, requested_by=user if user is not None and user.pk else None)
    package.full_clean()
    package.save()
    enqueue_on_commit(_package_task(), package_id=package.pk)
    return package


def archive_package_claim(*, package_id: int) -> ArchivePackage | None:
    """Take a waiting package for building (a conditional update: a redelivered task finds it taken)."""
    claimed = ArchivePackage.objects.filter(pk=package_id, status=PackageStatus.PENDING).update(
        status=PackageStatus.RUNNING, started_at=timezone.now(), error=""
    )
    return ArchivePackage.objects.select_related("case").get(pk=package_id) if claimed else None


def archive_package_build(*, package_id: int) -> ArchivePackage | None:
    """Claim, build and store one package (ZIP in a temporary file, then the project's storage).
    Returns None when another run has it or it is finished."""
    from .archive import package_write

    package = archive_package_claim(package_id=package_id)
    if package is None:
        logger.info("Archive package %s is not waiting; nothing to do", package_id)
        return None
    with tempfile.TemporaryFile() as spool:
        result = package_write(package.case, spool)
        spool.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            digest.update(chunk)
        size = spool.tell()
        spool.seek(0)
        package.file.save(f"{result.package_id}.zip", File(spool), save=False)
    package.checksum, package.size, package.document_count = digest.hexdigest(), size, result.document_count
    package.status, package.finished_at = PackageStatus.DONE, timezone.now()
    package.save(update_fields=["file", "checksum", "size", "document_count", "status", "finished_at"])
    return package


def archive_package_release(*, package_id: int) -> None:
    """A transient error: back to waiting, so the retry (or the sweep) can claim it again."""
    ArchivePackage.objects.filter(pk=package_id, status=PackageStatus.RUNNING).update(status=PackageStatus.PENDING)


def archive_package_fail(*, package_id: int, error: str) -> None:
    """Record that building failed, with the reason (shown to the registrar, who may ask again)."""
    ArchivePackage.objects.filter(pk=package_id).exclude(status=PackageStatus.DONE).update(
        status=PackageStatus.FAILED, error=error[:4000], finished_at=timezone.now()
    )


def archive_packages_sweep(*, now=None) -> list[int]:
    """Queue again the packages never queued (broker away) or left building by a dead worker. Run by beat."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = ArchivePackage.objects.filter(
            Q(status=PackageStatus.PENDING, requested_at__lt=now - PACKAGE_PENDING_GRACE)
            | Q(status=PackageStatus.RUNNING, started_at__lt=now - PACKAGE_RUNNING_LIMIT)
        )
        ids = list(stale.values_list("pk", flat=True))
        ArchivePackage.objects.filter(pk__in=ids).update(status=PackageStatus.PENDING, requested_at=now)
        for package_id in ids:
            enqueue_on_commit(_package_task(), package_id=package_id)
    if ids:
        logger.info("Queued %d archive package(s) again", len(ids))
    return ids


def archive_package_audit(*, package_case: Case, user: User | None, filename: str) -> None:
    """Note in the audit log, on the round's case, that `user` (None: an operator's command)
    downloaded or wrote its archive package."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        package_case,
        action=LogEntry.Action.ACCESS,
        changes={"archive_package": ["", filename]},
        force_log=True,
        actor=user,
    )
