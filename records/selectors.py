"""Reads of the register: the parties of a document, the register list, a record's page."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from regions.choices import OrganisationKind
from regions.models import Organisation, Region, ResponsibilityPeriod

from .choices import PackageStatus, retention_kinds
from .documents import archivable_subject_labels, case_subject_kind
from .models import (
    AccessRequest,
    ArchivePackage,
    Case,
    DisposalRun,
    Record,
    RequestedRecord,
    RetentionRule,
    SecrecyMarking,
)
from .retention import disposing_rules, sources_of

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


# --- Retention and disposal (records.retention) ---


@dataclass(frozen=True)
class DueItem:
    identifier: str
    title: str
    basis_date: datetime.date


@dataclass(frozen=True)
class DueKind:
    """What the next disposal run would dispose of, for one retention rule."""

    rule: RetentionRule
    basis: list[str]
    count: int
    oldest: list[DueItem]


def disposal_due(*, now: datetime.datetime | None = None, oldest: int = 5) -> list[DueKind]:
    """For every rule that disposes of something: how many items are due at `now` and the
    `oldest` of them (a dry run: nothing changes). Two queries per source, however many items."""
    now = now or timezone.now()
    due = []
    for rule in disposing_rules():
        count, items, bases = 0, [], []
        for source in sources_of(rule.kind):
            queryset = source.due(rule, now)
            count += queryset.count()
            bases.append(str(source.basis))
            items += [DueItem(*source.identify(item), basis_date=source.basis_date(item)) for item in queryset[:oldest]]
        items.sort(key=lambda item: item.basis_date)
        due.append(DueKind(rule=rule, basis=list(dict.fromkeys(bases)), count=count, oldest=items[:oldest]))
    return due


def disposal_runs_recent(limit: int = 10) -> QuerySet[DisposalRun]:
    return DisposalRun.objects.select_related("user").order_by("-started_at", "-pk")[:limit]


def retention_rules_all() -> list[tuple[str, str, RetentionRule | None]]:
    """Every kind with its rule (None: no rule, so kept), in the order of the kinds."""
    rules_by_kind = {rule.kind: rule for rule in RetentionRule.objects.all()}
    return [(kind, label, rules_by_kind.get(kind)) for kind, label in retention_kinds()]


def _archivable_case_queryset() -> QuerySet[Case]:
    types = [ContentType.objects.get_by_natural_key(*label.split(".")) for label in sorted(archivable_subject_labels())]
    return Case.objects.filter(parent__isnull=True, subject_type__in=types)


def archivable_cases() -> list[Case]:
    """The top-level cases about a subject that can be delivered to an archive (the rounds), the
    latest year first, each with `subject`, `is_closed`, `year` and `packages` (newest first), in
    a handful of queries whatever their number."""
    cases = list(
        _archivable_case_queryset()
        .select_related("subject_type")
        .prefetch_related(
            "subject",
            Prefetch(
                "archive_packages",
                queryset=ArchivePackage.objects.select_related("requested_by").order_by("-requested_at", "-pk"),
                to_attr="packages",
            ),
        )
        .order_by("-created_at", "-pk")
    )
    for case in cases:
        kind = case_subject_kind(case.subject_type.model_class())
        case.is_closed = bool(case.subject is not None and kind.is_closed(case.subject))
        case.year = kind.year(case.subject) if case.subject is not None else None
    cases.sort(key=lambda case: case.year or 0, reverse=True)
    return cases


def archivable_case(pk: int) -> Case | None:
    """One case that can be delivered to an archive (None for any other)."""
    return _archivable_case_queryset().filter(pk=pk).first()


def archive_package_ready(pk: int) -> ArchivePackage | None:
    """A built package, ready to download."""
    return (
        ArchivePackage.objects.select_related("case").filter(pk=pk, status=PackageStatus.DONE).exclude(file="").first()
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
