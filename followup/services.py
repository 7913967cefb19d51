"""Writes of the 1:1 follow-up. Every change to a county's figures bumps its allocation's version
(optimistic locking, `core.concurrency`), so two people editing the same county at once cannot
overwrite each other; and use above the frame is refused unless marked as an approved exception."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_regional_user
from core.audit import audit_record_created
from core.concurrency import save_versioned
from regions.models import Region, StrategyPriority

from . import importing
from .formatting import format_kronor
from .models import Allocation, Appropriation, CoFinancing, Expenditure, ImportStash, ResultIndicator

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
def import_stash_create(*, user, year: int, content: bytes) -> uuid.UUID:
    """Keep a checked file until its confirmation; the user's older checked files and expired ones go."""
    ImportStash.objects.filter(user=user).delete()
    ImportStash.objects.filter(created__lt=timezone.now() - STASH_LIFETIME).delete()
    stash = ImportStash.objects.create(token=uuid.uuid4(), user=user, year=year, content=content)
    return stash.token


@transaction.atomic
def expenditure_import_confirm(*, appropriation: Appropriation, user, token) -> importing.ImportResult:
    """Save the checked file `token` of `user`: claim it (once, whoever comes second finds it gone),
    then import it. A refused import rolls back, so the file stays claimable until it expires."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        raise ImportStashGone from None
    stash = (
        ImportStash.objects.select_for_update()
        .filter(token=token, user=user, year=appropriation.year, created__gte=timezone.now() - STASH_LIFETIME)
        .first()
    )
    if stash is None:
        raise ImportStashGone
    content = bytes(stash.content)
    stash.delete()
    return expenditure_import(appropriation=appropriation, user=user, content=content)


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
    # Each removed line reaches the audit log through the delete signals; the new ones are logged below,
    # both with the importing user as actor (set for the request by auditlog's middleware).
    Expenditure.objects.filter(allocation__in=allocations.values()).delete()
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
