"""Writes of the 1:1 follow-up. Every change to a county's figures bumps its allocation's version
(optimistic locking, `core.concurrency`), so two people editing the same county at once cannot
overwrite each other; and use above the frame is refused unless marked as an approved exception."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_regional_user
from core.audit import audit_delete, audit_record_created
from core.concurrency import save_versioned
from records.choices import Direction, DocumentType
from records.services import record_register
from regions.models import Region, StrategyPriority

from . import bulk, importing
from .formatting import format_kronor
from .models import (
    Allocation,
    Appropriation,
    CoFinancing,
    ConditionsDecision,
    Expenditure,
    ImportStash,
    ResultIndicator,
)

# How long a checked file waits for its confirmation.
STASH_LIFETIME = datetime.timedelta(hours=2)


class ImportRefused(Exception):
    """The file has errors; nothing was saved."""

    def __init__(self, result: importing.ImportResult):
        super().__init__(result.errors)
        self.result = result


class ImportStashGone(Exception):
    """The checked file was already saved (perhaps by a second click), has expired, or never existed."""


def _check_within_frame(allocation: Allocation) -> None:
    """Refuse use without an approved exception above the frame (the caller's transaction rolls back)."""
    used = allocation.expenditures.filter(approved_exception=False).aggregate(total=Sum("amount"))["total"] or 0
    if used > allocation.frame_amount:
        raise ValidationError(
            _(
                "The use reported for {county} {year} ({used}) exceeds the frame ({frame}). "
                "Lower the amounts, or have the ministry or agency mark the use above the frame as an "
                "approved exception."
            ).format(
                county=allocation.region.name,
                year=allocation.appropriation.year,
                used=format_kronor(used),
                frame=format_kronor(allocation.frame_amount),
            )
        )


def _conditions_decision_register(allocation: Allocation) -> None:
    """A county's conditions decision, once decided, is an official document the ministry drew up;
    a later change of it (date, frame, conditions, reporting requirements) is a new decision and a
    new document. Saving the same decision again registers nothing. (Call under the allocation's
    version lock, `save_versioned`, so two saves never number a decision twice.)"""
    if not allocation.conditions_decided_on:
        return
    latest = allocation.decisions.order_by("-number").first()
    if latest is not None and latest.same_as(allocation):
        return
    decision = ConditionsDecision(
        allocation=allocation,
        number=latest.number + 1 if latest else 1,
        decided_on=allocation.conditions_decided_on,
        frame_amount=allocation.frame_amount,
        conditions=allocation.conditions,
        reporting_requirements=allocation.reporting_requirements,
    )
    decision.full_clean()
    decision.save()
    record_register(
        document=decision, document_type=DocumentType.CONDITIONS_DECISION, direction=Direction.DRAWN_UP,
        cases=(allocation.appropriation,), region=allocation.region, year=allocation.appropriation.year,
        document_date=allocation.conditions_decided_on,
    )  # fmt: skip


@transaction.atomic
def appropriation_create(*, year: int, total_amount: Decimal, source: str = "") -> Appropriation:
    """Create a year's appropriation and an allocation (frame 0) for every county, to be filled in."""
    appropriation = Appropriation(year=year, total_amount=total_amount, source=source)
    appropriation.full_clean()
    appropriation.save()
    audit_record_created(
        Allocation.objects.bulk_create(
            Allocation(appropriation=appropriation, region=region, frame_amount=0) for region in Region.objects.all()
        )
    )
    return appropriation


@transaction.atomic
def allocation_update(
    *,
    allocation: Allocation,
    expected_version: int,
    frame_amount: Decimal,
    conditions_decided_on,
    conditions: str,
    reporting_requirements: str,
) -> None:
    """Change a county's frame and conditions decision. Refused if the frame falls below the reported use."""
    allocation.frame_amount = frame_amount
    allocation.conditions_decided_on = conditions_decided_on
    allocation.conditions = conditions
    allocation.reporting_requirements = reporting_requirements
    allocation.full_clean()
    save_versioned(
        allocation,
        expected_version=expected_version,
        fields=["frame_amount", "conditions_decided_on", "conditions", "reporting_requirements"],
    )
    _check_within_frame(allocation)
    _conditions_decision_register(allocation)


@transaction.atomic
def allocation_report_use(
    *, allocation: Allocation, expected_version: int, saved: list[Expenditure], deleted: list[Expenditure]
) -> None:
    """Save a county's lines of use (new, changed and removed ones) as one change."""
    save_versioned(allocation, expected_version=expected_version, fields=[])
    _replace_children(allocation, saved=saved, deleted=deleted)
    _check_within_frame(allocation)


@transaction.atomic
def allocation_report_results(
    *, allocation: Allocation, expected_version: int, saved: list[ResultIndicator], deleted: list[ResultIndicator]
) -> None:
    """Save a county's result indicators (new, changed and removed ones) as one change."""
    save_versioned(allocation, expected_version=expected_version, fields=[])
    _replace_children(allocation, saved=saved, deleted=deleted)


def _replace_children(allocation: Allocation, *, saved: list, deleted: list) -> None:
    for obj in deleted:
        if obj.pk and obj.allocation_id == allocation.pk:
            obj.delete()
    for obj in saved:
        obj.allocation = allocation
        obj.full_clean()
        obj.save()


@transaction.atomic
def allocation_report_cofinancing(
    *, allocation: Allocation, expected_version: int, amounts: dict[str, Decimal]
) -> None:
    """Set a county's co-financing per source; an empty or zero amount removes the source."""
    save_versioned(allocation, expected_version=expected_version, fields=[])
    for source, amount in amounts.items():
        if amount:
            row = CoFinancing(allocation=allocation, source=source, amount=amount)
            row.full_clean(validate_unique=False, validate_constraints=False)
            CoFinancing.objects.update_or_create(allocation=allocation, source=source, defaults={"amount": amount})
        else:
            CoFinancing.objects.filter(allocation=allocation, source=source).delete()


def import_context(*, year: int, user) -> importing.ImportContext:
    """What an imported file for `year` is checked against, for this user (four queries)."""
    frames = dict(Allocation.objects.filter(appropriation__year=year).values_list("region__code", "frame_amount"))
    priorities = StrategyPriority.objects.filter(strategy__start_year__lte=year, strategy__end_year__gte=year)
    own = user.region.code if is_regional_user(user) else None
    return importing.ImportContext(
        year=year,
        region_names=dict(Region.objects.values_list("code", "name")),
        frames=frames,
        priorities=set(priorities.values_list("strategy__region__code", "number")),
        own_region_code=own,
        may_mark_exceptions=user.has_perm("followup.mark_exception"),
    )


@transaction.atomic
def import_stash_create(
    *, user, year: int, content: bytes, kind: str = "use", versions: dict[str, int] | None = None
) -> uuid.UUID:
    """Keep a checked file until its confirmation; the user's older checked files of the same kind and
    expired ones go. `versions`: the counties' allocation versions the preview was made from."""
    ImportStash.objects.filter(user=user, kind=kind).delete()
    ImportStash.objects.filter(created__lt=timezone.now() - STASH_LIFETIME).delete()
    stash = ImportStash.objects.create(
        token=uuid.uuid4(), user=user, year=year, kind=kind, content=content, versions=versions or {}
    )
    return stash.token


def _claim_stash(*, kind: str, appropriation: Appropriation, user, token) -> ImportStash:
    """The checked file `token` of `user`, locked and deleted in the caller's transaction (a second
    claim waits for the first and then finds it gone); `ImportStashGone` if there is none."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise ImportStashGone from None
    stash = (
        ImportStash.objects.select_for_update()
        .filter(
            token=token, user=user, kind=kind, year=appropriation.year, created__gte=timezone.now() - STASH_LIFETIME
        )
        .first()
    )
    if stash is None:
        raise ImportStashGone
    stash.delete()
    return stash


@transaction.atomic
def expenditure_import_confirm(*, appropriation: Appropriation, user, token) -> importing.ImportResult:
    """Save the checked file `token` of `user`: claim it (once, whoever comes second finds it gone),
    then import it. A refused import rolls back, so the file stays claimable until it expires."""
    stash = _claim_stash(kind="use", appropriation=appropriation, user=user, token=token)
    return expenditure_import(appropriation=appropriation, user=user, content=bytes(stash.content))


@transaction.atomic
def expenditure_import(*, appropriation: Appropriation, user, content: bytes) -> importing.ImportResult:
    """Replace the use of every county in the file for the year with the file's lines.

    All or nothing: a file with any bad row raises `ImportRefused` and saves nothing.
    """
    result = importing.validate(content, import_context(year=appropriation.year, user=user))
    if not result.is_valid:
        raise ImportRefused(result)
    codes = {line.region_code for line in result.lines}
    # Row locks on the counties' allocations, in a fixed order: a second import or a form saving the same
    # counties waits until this one commits, then sees its lines (never both replacing the same old ones).
    allocations = {
        allocation.region.code: allocation
        for allocation in appropriation.allocations.filter(region__code__in=codes)
        .select_related("region", "appropriation")
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    priority_ids = {}
    for code, number, pk in (
        StrategyPriority.objects.filter(
            strategy__region__code__in=codes,
            strategy__start_year__lte=appropriation.year,
            strategy__end_year__gte=appropriation.year,
        )
        .order_by("strategy__start_year")
        .values_list("strategy__region__code", "number", "pk")
    ):
        priority_ids[code, number] = pk  # the newest strategy wins where two overlap
    # Each removed and each new line reaches the audit log, in one insert each, with the importing
    # user as actor (set for the request by auditlog's middleware).
    audit_delete(Expenditure.objects.filter(allocation__in=allocations.values()))
    created = Expenditure.objects.bulk_create(
        Expenditure(
            allocation=allocations[line.region_code],
            instrument=line.instrument,
            amount=line.amount,
            priority_id=priority_ids.get((line.region_code, line.priority_number)),
            approved_exception=line.approved_exception,
            description=line.description,
        )
        for line in result.lines
    )
    audit_record_created(created)
    # Anyone editing these counties' figures in a form meanwhile must reload first.
    Allocation.objects.filter(pk__in=[a.pk for a in allocations.values()]).update(version=F("version") + 1)
    # The file was checked against the frames read before the locks; the rule holds for what is now stored.
    for allocation in allocations.values():
        _check_within_frame(allocation)
    return result


# --- Bulk entry: frames and conditions, co-financing and results for many counties at once ---------


def frames_context(*, year: int) -> bulk.FramesContext:
    """What a frames file for `year` is checked against (two queries)."""
    used = _sum_subquery(Expenditure, approved_exception=False)
    allocations = (
        Allocation.objects.filter(appropriation__year=year)
        .annotate(used=used)
        .values_list(
            "region__code",
            "frame_amount",
            "conditions_decided_on",
            "conditions",
            "reporting_requirements",
            "version",
            "used",
        )
    )
    return bulk.FramesContext(
        year=year,
        region_names=dict(Region.objects.order_by("code").values_list("code", "name")),
        allocations={code: bulk.CurrentAllocation(*values) for code, *values in allocations},
    )


def _sum_subquery(model, **filters):
    money = DecimalField(max_digits=18, decimal_places=0)
    rows = (
        model.objects.filter(allocation=OuterRef("pk"), **filters)
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=money), Value(Decimal(0)), output_field=money)


def frames_versions(*, context: bulk.FramesContext, result: bulk.BulkResult) -> dict[str, int]:
    """The allocation versions of the counties in `result`, kept with the checked file."""
    return {code: context.allocations[code].version for code in result.region_codes}


@transaction.atomic
def frames_import_confirm(*, appropriation: Appropriation, user, token) -> bulk.BulkResult:
    """Save the checked frames file `token` of `user` (claimed once, like the use import)."""
    stash = _claim_stash(kind="frames", appropriation=appropriation, user=user, token=token)
    return frames_import(
        appropriation=appropriation, content=bytes(stash.content), expected_versions=stash.versions or {}
    )


@transaction.atomic
def frames_import(
    *, appropriation: Appropriation, content: bytes, expected_versions: dict[str, int]
) -> bulk.BulkResult:
    """Set the frame and conditions of every county in the file, all or nothing.

    `expected_versions` are the counties' allocation versions the user's preview showed: a county
    changed since (by a form, another import) refuses the whole file with a `ValidationError` that
    names it, and nothing is saved. Each changed allocation is recorded in the audit log.
    """
    result = bulk.validate_frames(content, frames_context(year=appropriation.year))
    if not result.is_valid:
        raise ImportRefused(result)
    allocations = {
        allocation.region.code: allocation
        for allocation in appropriation.allocations.filter(region__code__in=result.region_codes)
        .select_related("region", "appropriation")
        .select_for_update(of=("self",))
        .order_by("pk")
    }
    moved = sorted(
        allocations[code].region.name
        for code in result.region_codes
        if expected_versions.get(code) != allocations[code].version
    )
    if moved:
        raise ValidationError(
            _(
                "Someone changed the frame or conditions of {counties} after your preview, so nothing was saved. "
                "Upload the file again to see the current figures."
            ).format(counties=", ".join(moved))
        )
    for row in result.lines:
        allocation = allocations[row.region_code]
        allocation.frame_amount = row.frame_amount
        for key, value in row.values.items():
            setattr(allocation, key, value)
        fields = ["frame_amount", *row.values]
        save_versioned(allocation, expected_version=allocation.version, fields=fields)
        _check_within_frame(allocation)
        _conditions_decision_register(allocation)
    return result


def _lock_allocations(appropriation: Appropriation, codes) -> dict[str, Allocation]:
    """The counties' allocations of the year, row-locked in a fixed order (see `expenditure_import`)."""
    return {
        allocation.region.code: allocation
        for allocation in appropriation.allocations.filter(region__code__in=codes)
        .select_related("region", "appropriation")
        .select_for_update(of=("self",))
        .order_by("pk")
    }


def _bump_versions(allocations: dict[str, Allocation]) -> None:
    Allocation.objects.filter(pk__in=[a.pk for a in allocations.values()]).update(version=F("version") + 1)


@transaction.atomic
def cofinancing_import(*, appropriation: Appropriation, user, content: bytes) -> bulk.BulkResult:
    """Replace the co-financing of every county in the file for the year; all or nothing."""
    result = bulk.validate_cofinancing(content, import_context(year=appropriation.year, user=user))
    if not result.is_valid:
        raise ImportRefused(result)
    allocations = _lock_allocations(appropriation, result.region_codes)
    CoFinancing.objects.filter(allocation__in=allocations.values()).delete()
    audit_record_created(
        CoFinancing.objects.bulk_create(
            CoFinancing(allocation=allocations[line.region_code], source=line.source, amount=line.amount)
            for line in result.lines
            if line.amount
        )
    )
    _bump_versions(allocations)
    return result


@transaction.atomic
def cofinancing_import_confirm(*, appropriation: Appropriation, user, token) -> bulk.BulkResult:
    """Save the checked co-financing file `token` of `user` (claimed once, like the use import)."""
    stash = _claim_stash(kind="cofinancing", appropriation=appropriation, user=user, token=token)
    return cofinancing_import(appropriation=appropriation, user=user, content=bytes(stash.content))


@transaction.atomic
def results_import(*, appropriation: Appropriation, user, content: bytes) -> bulk.BulkResult:
    """Replace the result indicators of every county in the file for the year; all or nothing."""
    result = bulk.validate_results(content, import_context(year=appropriation.year, user=user))
    if not result.is_valid:
        raise ImportRefused(result)
    allocations = _lock_allocations(appropriation, result.region_codes)
    priority_ids = _priority_ids(appropriation, result.region_codes)
    ResultIndicator.objects.filter(allocation__in=allocations.values()).delete()
    audit_record_created(
        ResultIndicator.objects.bulk_create(
            ResultIndicator(
                allocation=allocations[line.region_code],
                priority_id=priority_ids.get((line.region_code, line.priority_number)),
                name=line.name,
                unit=line.unit,
                baseline=line.baseline,
                target=line.target,
                outcome=line.outcome,
            )
            for line in result.lines
        )
    )
    _bump_versions(allocations)
    return result


@transaction.atomic
def results_import_confirm(*, appropriation: Appropriation, user, token) -> bulk.BulkResult:
    """Save the checked results file `token` of `user` (claimed once, like the use import)."""
    stash = _claim_stash(kind="results", appropriation=appropriation, user=user, token=token)
    return results_import(appropriation=appropriation, user=user, content=bytes(stash.content))


def _priority_ids(appropriation: Appropriation, codes) -> dict[tuple[str, int], int]:
    """(county code, number) → priority id in force in the year; the newest strategy wins where two overlap."""
    found = {}
    for code, number, pk in (
        StrategyPriority.objects.filter(
            strategy__region__code__in=codes,
            strategy__start_year__lte=appropriation.year,
            strategy__end_year__gte=appropriation.year,
        )
        .order_by("strategy__start_year")
        .values_list("strategy__region__code", "number", "pk")
    ):
        found[code, number] = pk
    return found
