"""Writes to county profiles: every change that validates across rows or has a side effect."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, Q, RestrictedError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import StaleEditError, save_versioned
from core.mail import mail_users

from .models import (
    BusinessSupportYear,
    Contact,
    Organisation,
    Region,
    RegionalStrategy,
    RegionFollow,
    ResponsibilityPeriod,
    StrategyPriority,
    StrategyStage,
)
from .selectors import references_to

REGION_PROFILE_FIELDS = ["description", "website"]
STRATEGY_FIELDS = ["title", "start_year", "end_year", "adopted_on", "url"]


def _assign(instance, data: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


@transaction.atomic
def region_profile_update(*, region: Region, data: dict[str, Any], expected_version: int) -> Region:
    """Save the county's presentation; refused (StaleEditError) if someone saved it meanwhile."""
    _assign(region, data, REGION_PROFILE_FIELDS)
    region.full_clean(exclude=["version"])
    save_versioned(region, expected_version=expected_version, fields=REGION_PROFILE_FIELDS)
    return region


def period_years(period: ResponsibilityPeriod) -> str:
    """The span of years, e.g. "2010–2018"; "earlier" stands for an open start, "today" for an open end."""
    start = period.valid_from or _("earlier")
    end = period.valid_to or _("today")
    return f"{start}–{end}"


@transaction.atomic
def business_support_years_set(*, region: Region, years: Iterable[int], expected_years: Iterable[int]) -> list[int]:
    """Make `years` the years in which the county board of `region` handles the regional business
    support (its länsråd then sits in the civil servants' forum those years). Years added get a row,
    years left out lose theirs; the change history records each.

    `expected_years` are the years the user's form started from: when someone has changed them since,
    `StaleEditError` is raised and nothing changes. Sending the same form twice changes nothing more.
    """
    Region.objects.select_for_update().get(pk=region.pk)
    wanted, expected = set(years), set(expected_years)
    current = set(region.business_support_years.values_list("year", flat=True))
    if current != expected and current != wanted:
        raise StaleEditError
    for row in region.business_support_years.exclude(year__in=wanted):
        row.delete()
    for year in sorted(wanted - current):
        row = BusinessSupportYear(region=region, year=year)
        row.full_clean()
        row.save()
    return sorted(wanted)


@transaction.atomic
def responsibility_period_save(*, region: Region, period: ResponsibilityPeriod) -> ResponsibilityPeriod:
    """Create or update a responsibility period of `region`, refusing one that overlaps another.

    The county row is locked first, so two people adding periods at the same time are checked
    one after the other and cannot both slip in an overlapping period.
    """
    Region.objects.select_for_update().get(pk=region.pk)
    period.region = region
    period.full_clean()
    start, end = period.valid_from, period.valid_to
    overlapping = ResponsibilityPeriod.objects.filter(region=region).exclude(pk=period.pk)
    # Two periods overlap unless one ends before the other begins (an open end reaches forever).
    if start is not None:
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    if end is not None:
        overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            _(
                "The period overlaps {body} ({years}). Only one body at a time holds the regional "
                "development responsibility in a county: end the earlier period first."
            ).format(body=clash.body_name, years=period_years(clash))
        )
    period.save()
    return period


@transaction.atomic
def strategy_create(*, region: Region, data: dict[str, Any]) -> RegionalStrategy:
    """Add a regional development strategy to the county."""
    strategy = RegionalStrategy(region=region)
    _assign(strategy, data, STRATEGY_FIELDS)
    strategy.full_clean()
    strategy.save()
    return strategy


@transaction.atomic
def strategy_update(*, strategy: RegionalStrategy, data: dict[str, Any], expected_version: int) -> RegionalStrategy:
    """Save a strategy's title, period, adoption date and link.

    Refused with StaleEditError if someone else saved the strategy after this user opened it.
    """
    _assign(strategy, data, STRATEGY_FIELDS)
    strategy.full_clean(exclude=["version"])
    save_versioned(strategy, expected_version=expected_version, fields=STRATEGY_FIELDS)
    return strategy


def _priority_number_taken(number: int) -> ValidationError:
    return ValidationError(
        {
            "number": _("Priority number {number} is already used in this strategy. Choose another number.").format(
                number=number
            )
        }
    )


def priority_save(*, priority: StrategyPriority) -> StrategyPriority:
    """Create or update a numbered priority; numbers are unique within a strategy."""
    priority.full_clean(validate_constraints=False)
    if (
        StrategyPriority.objects.filter(strategy_id=priority.strategy_id, number=priority.number)
        .exclude(pk=priority.pk)
        .exists()
    ):
        raise _priority_number_taken(priority.number)
    try:
        # A savepoint: a concurrent insert of the same number fails on the database constraint.
        with transaction.atomic():
            priority.save()
    except IntegrityError as error:
        raise _priority_number_taken(priority.number) from error
    return priority


@transaction.atomic
def priority_delete(*, priority: StrategyPriority) -> None:
    """Remove a priority, unless a submission ranks it (money linked to it loses the link)."""
    try:
        with transaction.atomic():
            priority.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The priority cannot be removed: a dialogue submission refers to it. Change its title instead.")
        ) from error


def _mail_followers(*, strategy: RegionalStrategy, stage: StrategyStage) -> int:
    followers = User.objects.filter(region_follows__region_id=strategy.region_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("{county}: the strategy process has entered the stage {stage}").format(
            county=strategy.region.name, stage=stage.get_stage_display().lower()
        )
        lines = [
            _("The regional development strategy {title} of {county} has entered a new stage.").format(
                title=strategy, county=strategy.region.name
            ),
            "",
            _("Stage: {stage}").format(stage=stage.get_stage_display()),
            _("From {start}").format(start=date_format(stage.starts_on))
            + (_(" to {end}").format(end=date_format(stage.ends_on)) if stage.ends_on else ""),
        ]
        if stage.note:
            lines.append(stage.note)
        lines += [
            "",
            _("Read more in the portal: {link}").format(link=settings.PORTAL_URL + strategy.get_absolute_url()),
            "",
            _("You receive this e-mail because you follow the county's strategy process in the portal."),
        ]
    return mail_users(users=followers, subject=subject, body="\n".join(lines))


@transaction.atomic
def strategy_stage_refresh(*, strategy: RegionalStrategy) -> bool:
    """Move the strategy to the furthest stage that has begun; e-mail the county's followers if it moved.

    Returns whether the stage changed. The strategy row is locked so that two saves do not both
    announce the same stage.
    """
    strategy = RegionalStrategy.objects.select_for_update().select_related("region").get(pk=strategy.pk)
    reached = strategy.stage_in_force()
    reached_kind = reached.stage if reached else ""
    if reached_kind == strategy.current_stage:
        return False
    strategy.current_stage = reached_kind
    strategy.save(update_fields=["current_stage"])
    if reached:
        _mail_followers(strategy=strategy, stage=reached)
    return True


@transaction.atomic
def strategy_stage_set(
    *, strategy: RegionalStrategy, stage: str, starts_on, ends_on=None, note: str = ""
) -> StrategyStage:
    """Add a stage of the strategy process (planned or begun) to the strategy's history.

    Earlier records, of this stage too, are kept. When the new stage has begun and is the latest
    to begin, the strategy enters it and everyone who follows the county is e-mailed once the
    transaction commits.
    """
    record = StrategyStage(strategy=strategy, stage=stage, starts_on=starts_on, ends_on=ends_on, note=note)
    record.full_clean()
    record.save()
    strategy_stage_refresh(strategy=strategy)
    return record


@transaction.atomic
def region_follow(*, user: User, region: Region) -> RegionFollow:
    """Start e-mailing `user` when the county's strategy process enters a new stage."""
    follow, _created = RegionFollow.objects.get_or_create(user=user, region=region)
    return follow


@transaction.atomic
def region_unfollow(*, user: User, region: Region) -> None:
    RegionFollow.objects.filter(user=user, region=region).delete()


def _refused_removal(record: Model, references) -> ValidationError:
    return ValidationError(
        _("{record} cannot be removed while other records refer to it: {references}. Nothing was changed.").format(
            record=record, references="; ".join(str(reference) for reference in references)
        )
    )


def _delete_unreferenced(model: type[Model], pk: int) -> None:
    """Remove the record, unless any other record still refers to it (ValidationError).

    Every kind of reference refuses, also those the database would let go (a forum's chair, a
    substitute, the agencies of a dialogue day): removing would blank them in records that are
    history. The row is locked, so that two removals (or a removal and an edit) take turns; the
    services that add references lock it too (contacts_lock, organisations_lock), so a reference
    being added meanwhile is either seen here or refused there with a clear message.
    """
    record = model._base_manager.select_for_update().filter(pk=pk).first()
    if record is None:
        return  # someone else removed it meanwhile
    references = references_to(record)
    if references:
        raise _refused_removal(record, references)
    try:
        with transaction.atomic():
            record.delete()
    except (ProtectedError, RestrictedError) as error:
        raise _refused_removal(record, references_to(record)) from error


def _lock_still_there(model: type[Model], ids, gone_message: str) -> None:
    """Lock the chosen `model` rows (ids; None is skipped) for the caller's transaction, or refuse
    with `gone_message` when any of them has been removed.

    A service that is about to refer to a contact or an organisation calls this first. The removal
    locks the same row, so the two take turns: either the removal waits and then finds the new
    reference (and refuses), or this waits and then finds the row gone. Without it the reference's
    foreign key would fail only at commit, as an IntegrityError. Rows are locked in id order, so
    two writers choosing the same people never deadlock.
    """
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return
    locked = model._base_manager.select_for_update().filter(pk__in=wanted).order_by("pk")
    if set(locked.values_list("pk", flat=True)) != wanted:
        raise ValidationError(gone_message)


def contacts_lock(ids) -> None:
    """Keep the chosen contacts (ids) in the directory until the caller's transaction ends;
    ValidationError if one has just been removed."""
    _lock_still_there(
        Contact, ids, _("A chosen person has just been removed from the contact directory. Choose again.")
    )


def organisations_lock(ids) -> None:
    """Keep the chosen organisations (ids) until the caller's transaction ends; ValidationError if
    one has just been removed."""
    _lock_still_there(Organisation, ids, _("A chosen organisation has just been removed. Choose again."))


@transaction.atomic
def contact_save(*, form) -> Contact:
    """Save a contact form, keeping its organisation from being removed meanwhile."""
    organisation = form.cleaned_data.get("organisation")
    if organisation is not None:
        organisations_lock([organisation.pk])
    return form.save()


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Remove a person from the contact directory, unless a forum, a meeting's attendance, a
    dialogue or any other record refers to them. A linked user account stays."""
    _delete_unreferenced(Contact, contact.pk)


@transaction.atomic
def organisation_delete(*, organisation: Organisation) -> None:
    """Remove an organisation (and its themes), unless a contact, a dialogue day or any other record refers to it."""
    _delete_unreferenced(Organisation, organisation.pk)


@transaction.atomic
def responsibility_period_delete(*, period: ResponsibilityPeriod) -> None:
    """Remove a period from a county's responsibility history (nothing refers to periods; the
    fora's expected seats for those years are then worked out without it)."""
    _delete_unreferenced(ResponsibilityPeriod, period.pk)
