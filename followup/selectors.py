"""Reads for the follow-up pages. Every derived figure is an annotation computed by the database.

Per allocation (a county in a year): `used`, `aligned` (used money tied to a RUS priority),
`used_<instrument>`, `cofinancing_total`, `cofinancing_<source>`, `utilisation` (% of the frame),
`leverage` ((used + co-financing) ÷ used) and `alignment` (% of used money tied to a priority).
The same figures summed over all counties per appropriation year come from `appropriations_with_totals`.
"""

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from accounts.rules import is_national_staff, own_region_id
from regions.models import RegionalStrategy, StrategyPriority

from . import importing
from .choices import CoFinancingSource, Instrument
from .models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator

MONEY = DecimalField(max_digits=18, decimal_places=0)

# Columns of the national comparison a user may sort by (the name in the URL is the annotation).
SORTABLE = ("region__code", "frame_amount", "used", "utilisation", "cofinancing_total", "leverage", "alignment")


def _sum(model, link: str, **filters):
    """Sum of `model.amount` over the rows whose `link` is the outer row, 0 when there are none."""
    rows = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def _ratio(numerator, denominator, scale: int = 1):
    """numerator × scale ÷ denominator as a float; NULL when the denominator is 0."""
    return ExpressionWrapper(
        Cast(numerator, FloatField()) * scale / NullIf(Cast(denominator, FloatField()), Value(0.0)),
        output_field=FloatField(),
    )


def _with_figures(queryset: QuerySet, *, link: str, frame, detail: bool = True) -> QuerySet:
    """The figures of each row; `detail=False` leaves out the sums per instrument and per source.

    Each sum is a correlated subquery, and a ratio repeats the subqueries of the sums it divides, so
    the year-over-year pages, which show no sum per instrument or source, ask for the headline
    figures only: half the subqueries. With every figure, PostgreSQL's estimate for all
    counties and years crossed its JIT threshold and the trend page spent a second a request
    compiling machine code for a query that takes a millisecond (issue 16).
    """
    annotations = {
        "frame_total": frame,
        "used": _sum(Expenditure, link),
        "aligned": _sum(Expenditure, link, priority__isnull=False),
        "cofinancing_total": _sum(CoFinancing, link),
    }
    if detail:
        annotations |= {f"used_{code}": _sum(Expenditure, link, instrument=code) for code in Instrument.values}
        annotations |= {
            f"cofinancing_{code}": _sum(CoFinancing, link, source=code) for code in CoFinancingSource.values
        }
    return queryset.annotate(**annotations).annotate(
        utilisation=_ratio(F("used"), F("frame_total"), 100),
        leverage=_ratio(F("used") + F("cofinancing_total"), F("used")),
        alignment=_ratio(F("aligned"), F("used"), 100),
    )


def allocations_with_figures(queryset: QuerySet | None = None, *, detail: bool = True) -> QuerySet[Allocation]:
    """Allocations with every derived figure annotated (see the module docstring; `detail=False`:
    without the sums per instrument and per source), and `has_strategy`: whether the county had a
    RUS in force that year (without one, its alignment is missing, not 0 %)."""
    queryset = Allocation.objects.all() if queryset is None else queryset
    strategy = RegionalStrategy.objects.filter(
        region=OuterRef("region_id"),
        start_year__lte=OuterRef("appropriation__year"),
        end_year__gte=OuterRef("appropriation__year"),
    )
    return _with_figures(
        queryset.select_related("region", "appropriation").annotate(has_strategy=Exists(strategy)),
        link="allocation",
        frame=F("frame_amount"),
        detail=detail,
    )


def allocations_visible_to(user) -> QuerySet[Allocation]:
    """The allocations `user` may see: all for ministry, agency and admins; a regional user's own county's."""
    if is_national_staff(user):
        return Allocation.objects.all()
    region_id = own_region_id(user)
    return Allocation.objects.filter(region_id=region_id) if region_id else Allocation.objects.none()


def national_comparison(*, year: int, sort: str = "region__code") -> QuerySet[Allocation]:
    """All counties' figures for `year`, sorted by a column of `SORTABLE` (prefix "-" to reverse)."""
    key = sort.removeprefix("-")
    if key not in SORTABLE:
        sort, key = "region__code", "region__code"
    order = F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
    return allocations_with_figures(Allocation.objects.filter(appropriation__year=year)).order_by(order, "region__code")


def county_years() -> QuerySet[Allocation]:
    """Every county's headline figures (no sums per instrument or source) for every year, sorted by
    county and year (the year-over-year table)."""
    return allocations_with_figures(detail=False).order_by("region__code", "appropriation__year")


def region_trend(*, user, slug: str) -> QuerySet[Allocation]:
    """One county's allocations over the years with their headline figures (no sums per instrument or
    source), oldest first (empty if not visible)."""
    return allocations_with_figures(allocations_visible_to(user).filter(region__slug=slug), detail=False).order_by(
        "appropriation__year"
    )


def allocation_for(*, user, slug: str, year: int) -> QuerySet[Allocation]:
    """One county's allocation for a year, with its figures, co-financing and results (its lines of
    use, which can be a thousand, are read a page at a time: `expenditure_lines`)."""
    return allocations_with_figures(
        allocations_visible_to(user).filter(region__slug=slug, appropriation__year=year)
    ).prefetch_related(Prefetch("results", queryset=ResultIndicator.objects.select_related("priority")))


def expenditure_lines(allocation: Allocation) -> QuerySet[Expenditure]:
    """An allocation's lines of use in their order, with their RUS priority."""
    return (
        Expenditure.objects.filter(allocation=allocation)
        .select_related("priority")
        .order_by(*Expenditure._meta.ordering, "pk")
    )


def appropriations_with_totals() -> QuerySet[Appropriation]:
    """Each year's appropriation with the counties' headline figures summed (year-over-year view; no
    sums per instrument or source)."""
    frames = (
        Allocation.objects.filter(appropriation=OuterRef("pk"))
        .order_by()
        .values("appropriation")
        .annotate(total=Sum("frame_amount"))
        .values("total")
    )
    frame = Coalesce(Subquery(frames, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)
    return _with_figures(
        Appropriation.objects.all(), link="allocation__appropriation", frame=frame, detail=False
    ).order_by("year")


def priorities_for(*, region_id: int, year: int) -> QuerySet[StrategyPriority]:
    """The RUS priorities in force in a county in `year` (of every strategy covering the year, newest last)."""
    return (
        StrategyPriority.objects.filter(
            strategy__region_id=region_id, strategy__start_year__lte=year, strategy__end_year__gte=year
        )
        .select_related("strategy")
        .order_by("strategy__start_year", "number")
    )


# Lines read from the database per round trip of an export (values, not model instances): the
# export's memory stays the same whatever the number of lines, and a round trip carries ~1 MB.
EXPORT_CHUNK = 2000

_EXPORT_FIELDS = {
    "region_code": "allocation__region__code",
    "region_name": "allocation__region__name",
    "instrument": "instrument",
    "priority_number": "priority__number",
    "amount": "amount",
    "approved_exception": "approved_exception",
    "description": "description",
}


def expenditure_export_lines(allocations, *, with_year: bool = False) -> QuerySet[Expenditure]:
    """The lines of use of `allocations` as tuples of `_EXPORT_FIELDS`' values (the year first if
    `with_year`), ordered by year, county, instrument and entry (one query)."""
    year = ["allocation__appropriation__year"] if with_year else []
    return (
        Expenditure.objects.filter(allocation__in=allocations)
        .order_by(*year, "allocation__region__code", "instrument", "pk")
        .values_list(*year, *_EXPORT_FIELDS.values())
    )


def expenditure_export_rows(allocations, *, with_year: bool = False) -> Iterator[list]:
    """The lines of use of `allocations` in the import format (the year first if `with_year`), read
    from one query in chunks of `EXPORT_CHUNK` lines, so that the whole export is never in memory."""
    lines = expenditure_export_lines(allocations, with_year=with_year).iterator(chunk_size=EXPORT_CHUNK)
    for values in lines:
        year = [values[0]] if with_year else []
        row = dict(zip(_EXPORT_FIELDS, values[len(year) :], strict=True))
        yield year + importing.export_row(**row)


def expenditure_totals_by_instrument(*, year: int, region_codes) -> dict[tuple[str, str], Decimal]:
    """(county code, instrument) → the use stored for `year`, for the counties `region_codes` (one query)."""
    rows = (
        Expenditure.objects.filter(allocation__appropriation__year=year, allocation__region__code__in=region_codes)
        .order_by()
        .values_list("allocation__region__code", "instrument")
        .annotate(total=Sum("amount"))
    )
    return {(code, instrument): total for code, instrument, total in rows}
