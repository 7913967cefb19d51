"""Every change to the register goes through these functions.

The apps whose events make a document official (a county submits, a report is published, a
conditions decision is saved) call `record_register` from their own service, inside the event's
transaction: the record and its number stand or fall with the event.
"""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import save_versioned
from regions.models import Region

from .choices import Direction, Numbering
from .documents import document_kind
from .models import Case, Record, RecordSeries, SecrecyMarking
from .selectors import ministry_party, region_party


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
) -> Record:
    """Register `document` as an official document, once: a second call returns the first record.

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
        county, county_name = region_party(region, year)
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
