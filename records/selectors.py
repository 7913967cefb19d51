"""Reads of the register: the parties of a document, the register list, a record's page."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext

from regions.choices import OrganisationKind
from regions.models import Organisation, Region, ResponsibilityPeriod

from .models import AccessRequest, Record, RequestedRecord, SecrecyMarking

MINISTRY_NAME = "Näringsdepartementet"


def region_party(region: Region | None, year: int) -> tuple[Organisation | None, str]:
    """The county's party in `year`: the body that held the regional development responsibility
    (from the responsibility history; its Organisation when the directory has it by that name),
    else the county's name. Without a county: every county's body (the round summary)."""
    if region is None:
        return None, gettext("The counties' bodies responsible for regional development")
    period = (
        ResponsibilityPeriod.objects.in_year(year)
        .filter(region=region)
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )
    name = period.body_name if period else region.name
    return Organisation.objects.filter(name=name).first(), name


def ministry_party() -> tuple[Organisation | None, str]:
    """The ministry: the ministry organisation whose short name is the series prefix ("N"), else the
    first ministry in the directory, else its name alone."""
    ministries = Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("pk")
    organisation = ministries.filter(short_name=settings.RECORDS_SERIES_PREFIX).first() or ministries.first()
    return organisation, organisation.name if organisation else MINISTRY_NAME


AGENCY_NAME = "Tillväxtverket"


def agency_party() -> tuple[Organisation | None, str]:
    """The national agency (the author of the briefs): the first agency in the directory, else its name."""
    organisation = Organisation.objects.filter(kind=OrganisationKind.AGENCY).order_by("pk").first()
    return organisation, organisation.name if organisation else AGENCY_NAME


def active_markings_of(obj) -> QuerySet[SecrecyMarking]:
    """The secrecy markings in force on `obj` (a record, an observation ...)."""
    return SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk, lifted_at__isnull=True
    ).select_related("decided_by")


def markings_of(obj) -> QuerySet[SecrecyMarking]:
    """Every secrecy marking of `obj`, lifted ones included (newest first)."""
    return SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk
    ).select_related("decided_by", "lifted_by")


def is_marked_secret(obj) -> bool:
    return active_markings_of(obj).exists()


def records_for_register() -> QuerySet[Record]:
    """Every record with what the register list shows: parties, case, and `is_secret` (a marking in
    force), in one query."""
    marked = SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(Record), target_id=OuterRef("pk"), lifted_at__isnull=True
    )
    return Record.objects.select_related("sender_organisation", "recipient_organisation", "case").annotate(
        is_secret=Exists(marked),
        secret_reference=Subquery(marked.order_by("decided_at", "pk").values("osl_reference")[:1]),
    )


def record_for_page(pk: int) -> Record | None:
    return (
        records_for_register()
        .select_related("case__parent", "registered_by", "content_type", "attached_to")
        .filter(pk=pk)
        .first()
    )


def record_of(document) -> Record | None:
    """The record of a registered document (None if it is not registered)."""
    if document is None:
        return None
    return Record.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk
    ).first()


def access_requests_for_list() -> QuerySet:
    """Every access request with how many documents it holds, newest first."""
    return (
        AccessRequest.objects.select_related("handled_by")
        .annotate(item_count=Count("items"))
        .order_by("-received_on", "-pk")
    )


def access_request_for_page(pk: int):
    return AccessRequest.objects.select_related("handled_by").filter(pk=pk).first()


def requested_records(access_request) -> QuerySet:
    """The documents of a request with `marking_reference`: the provision of the oldest secrecy
    marking in force on each (empty if none), in one query."""
    marking = SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(Record), target_id=OuterRef("record_id"), lifted_at__isnull=True
    ).order_by("decided_at", "pk")
    return (
        RequestedRecord.objects.filter(request=access_request)
        .select_related("record")
        .annotate(marking_reference=Subquery(marking.values("osl_reference")[:1]))
        .order_by("record__number", "pk")
    )


def secret_pks_among(objects: list) -> set[int]:
    """The pks of `objects` (all of one model) that carry a secrecy marking in force: one query,
    none for an empty list."""
    if not objects:
        return set()
    return set(
        SecrecyMarking.objects.filter(
            target_type=ContentType.objects.get_for_model(objects[0]),
            target_id__in=[obj.pk for obj in objects],
            lifted_at__isnull=True,
        ).values_list("target_id", flat=True)
    )


def secret_references_among(objects: list) -> dict[int, str]:
    """For the `objects` (all of one model) with a secrecy marking in force: pk → the provision of
    the oldest such marking ("21 kap. 7 §"). One query, none for an empty list."""
    if not objects:
        return {}
    return secret_references_of(type(objects[0]), pks=[obj.pk for obj in objects])


def secret_references_of(model, *, pks=None) -> dict[int, str]:
    """pk → provision of the oldest marking in force, for the marked objects of `model` (among `pks`)."""
    markings = SecrecyMarking.objects.filter(
        target_type=ContentType.objects.get_for_model(model), lifted_at__isnull=True
    ).order_by("-decided_at", "-pk")
    if pks is not None:
        markings = markings.filter(target_id__in=pks)
    return dict(markings.values_list("target_id", "osl_reference"))  # the oldest comes last and wins


def attachment_records_of(record: Record) -> QuerySet[Record]:
    """The records of the files attached to `record`'s document."""
    return Record.objects.filter(attached_to=record).order_by("number", "pk")
