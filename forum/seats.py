"""Which seats a county has in each forum: the one rule behind membership validation and the
composition view.

The first seed's slide (civil servants' forum, 12 May 2015):
- where a region, a municipal collaboration body or a municipality (Gotland) holds the regional
  development responsibility, the county sends regional politicians, majority and opposition, to
  the politicians' forum, and its regional director (or equivalent) to the civil servants' forum;
- where the county administrative board holds it, the county sends the county governor and
  politicians of the municipal association and of the county council, majority and opposition, to
  the politicians' forum, and the länsråd and the directors of the municipal association and of the
  county council to the civil servants' forum;
- the länsråd of the counties whose county board handles regional business support also sit in the
  civil servants' forum (which counties, year by year, the ministry keeps in
  `regions.BusinessSupportYear`);
- SKL's committee for growth and regional development has seats in the politicians' forum (no county).
"""

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from regions.choices import BodyType
from regions.models import BusinessSupportYear, Region, ResponsibilityPeriod

from .choices import ForumKind, SeatRole

_COUNTY_BOARD_SEATS = {
    ForumKind.POLITICIAN: (
        SeatRole.COUNTY_GOVERNOR,
        SeatRole.ASSOCIATION_POLITICIAN_MAJORITY,
        SeatRole.ASSOCIATION_POLITICIAN_OPPOSITION,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_MAJORITY,
        SeatRole.COUNTY_COUNCIL_POLITICIAN_OPPOSITION,
    ),
    ForumKind.CIVIL_SERVANT: (
        SeatRole.COUNTY_BOARD_DIRECTOR,
        SeatRole.ASSOCIATION_DIRECTOR,
        SeatRole.COUNTY_COUNCIL_DIRECTOR,
    ),
}
_REGIONAL_BODY_SEATS = {
    ForumKind.POLITICIAN: (SeatRole.REGIONAL_POLITICIAN_MAJORITY, SeatRole.REGIONAL_POLITICIAN_OPPOSITION),
    ForumKind.CIVIL_SERVANT: (SeatRole.REGIONAL_DIRECTOR,),
}
NATIONAL_SEATS = {ForumKind.POLITICIAN: (SeatRole.SKL_COMMITTEE,), ForumKind.CIVIL_SERVANT: ()}


def seats_for(
    *, kind: str, period: ResponsibilityPeriod | None, business_support: bool = False
) -> tuple[SeatRole, ...]:
    """The seats of a county in a forum of `kind`, given who held the responsibility (none if unknown)
    and whether its county board handled the regional business support that year."""
    if period is None:
        return ()
    if period.body_type == BodyType.COUNTY_BOARD:
        return _COUNTY_BOARD_SEATS[kind]
    seats = _REGIONAL_BODY_SEATS[kind]
    if kind == ForumKind.CIVIL_SERVANT and business_support:
        seats = (*seats, SeatRole.COUNTY_BOARD_DIRECTOR)
    return seats


def business_support_in_year(region: Region, year: int) -> bool:
    """Whether the county board of `region` handled the regional business support in `year` (its
    länsråd then sits in the civil servants' forum).

    Uses `region.business_support_in_year` when the caller annotated it for that year
    (`regions.selectors.regions_with_forum_facts_in`), so a table of counties costs no extra query.
    """
    known = getattr(region, "business_support_in_year", None)
    if known is not None:
        return known
    return BusinessSupportYear.objects.filter(region=region, year=year).exists()


def period_in_year(region: Region, year: int) -> ResponsibilityPeriod | None:
    """Who held the responsibility in `region` in `year`.

    Uses `region.periods_in_year` when the caller prefetched it for that year
    (`regions.selectors.regions_with_responsibility_in`), so a table of counties costs no extra query.
    """
    periods = getattr(region, "periods_in_year", None)
    if periods is None:
        periods = list(ResponsibilityPeriod.objects.in_year(year).filter(region=region)[:1])
    return periods[0] if periods else None


def expected_seats(forum, region: Region | None, year: int) -> tuple[SeatRole, ...]:
    """The seats `region` (None: the national seats) has in `forum` in `year`."""
    if region is None:
        return NATIONAL_SEATS[forum.kind]
    period = period_in_year(region, year)
    business_support = (
        forum.kind == ForumKind.CIVIL_SERVANT
        and _needs_business_support(period)
        and (business_support_in_year(region, year))
    )
    return seats_for(kind=forum.kind, period=period, business_support=business_support)


def _needs_business_support(period: ResponsibilityPeriod | None) -> bool:
    """Whether the business-support setting can change the seats: only where a regional body holds
    the responsibility (a county board's länsråd has a seat anyway)."""
    return period is not None and period.body_type != BodyType.COUNTY_BOARD


def _mandate_years(membership) -> range:
    forum = membership.forum
    last = membership.valid_to.year if membership.valid_to else forum.end_year
    return range(membership.valid_from.year, min(last, forum.end_year) + 1)


def _labels(seats) -> str:
    return ", ".join(str(SeatRole(seat).label).lower() for seat in seats)


def overlapping_holders(membership):
    """Other members holding the same county seat of the forum during any part of this mandate.

    A county seat has one holder at a time (SKL's committee, a national seat, has several)."""
    if SeatRole(membership.role) in NATIONAL_SEATS[ForumKind.POLITICIAN] or membership.region_id is None:
        return membership.__class__.objects.none()
    holders = membership.__class__.objects.filter(
        forum_id=membership.forum_id, region_id=membership.region_id, role=membership.role
    ).exclude(pk=membership.pk)
    holders = holders.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=membership.valid_from))
    if membership.valid_to:
        holders = holders.filter(valid_from__lte=membership.valid_to)
    return holders.select_related("contact").order_by("valid_from")


def _seat_taken_error(membership, holder) -> str:
    if holder.valid_to:
        held = _("from {start} to {end}").format(start=date_format(holder.valid_from), end=date_format(holder.valid_to))
    else:
        held = _("from {start}, with no end date").format(start=date_format(holder.valid_from))
    return _(
        "{name} already holds this seat of {county} {held}. A seat has one holder at a time: first set the day "
        "that mandate ends, or let this one begin after it."
    ).format(name=holder.contact.name, county=membership.region.name, held=held)


def membership_errors(membership) -> dict[str, list]:
    """What is wrong with a membership's seat, by field; empty when it fits every year of the mandate."""
    if not (membership.forum_id and membership.role and membership.valid_from):
        return {}
    forum = membership.forum
    errors: dict[str, list] = {}
    if membership.valid_from.year not in forum.years or (
        membership.valid_to and membership.valid_to.year not in forum.years
    ):
        errors["valid_from"] = [
            _("The forum runs {start}–{end}; the mandate must lie within that period.").format(
                start=forum.start_year, end=forum.end_year
            )
        ]
        return errors
    if membership.substitute_id and membership.substitute_id == membership.contact_id:
        errors["substitute"] = [_("A member cannot be their own substitute.")]
    role = SeatRole(membership.role)
    if membership.region_id is None:
        if role not in NATIONAL_SEATS[forum.kind]:
            errors["region"] = [_("Choose the county this member represents.")]
        return errors
    if role in NATIONAL_SEATS[ForumKind.POLITICIAN]:
        errors["region"] = [_("SKL's committee seats belong to no county; leave the county empty.")]
        return errors
    region = membership.region
    for year in _mandate_years(membership):
        period = period_in_year(region, year)
        if period is None:
            errors["region"] = [
                _("No responsible body is recorded for {county} in {year}, so its seats are unknown.").format(
                    county=region.name, year=year
                )
            ]
            break
        business_support = (
            forum.kind == ForumKind.CIVIL_SERVANT
            and role == SeatRole.COUNTY_BOARD_DIRECTOR
            and _needs_business_support(period)
            and business_support_in_year(region, year)
        )
        seats = seats_for(kind=forum.kind, period=period, business_support=business_support)
        if role not in seats:
            errors["role"] = [
                _(
                    "{role} is not a seat of {county} in the {forum} in {year}: {body} ({body_type}) holds the "
                    "regional development responsibility there, so the county's seats are: {seats}."
                ).format(
                    role=role.label,
                    county=region.name,
                    forum=str(forum.get_kind_display()).lower(),
                    year=year,
                    body=period.body_name,
                    body_type=str(period.get_body_type_display()).lower(),
                    seats=_labels(seats),
                )
            ]
            break
    if not errors:
        holder = overlapping_holders(membership).first()
        if holder is not None:
            errors["valid_from"] = [_seat_taken_error(membership, holder)]
    return errors
