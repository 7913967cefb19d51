"""What the follow-up pages (and later the PDF reports) show, built from already annotated rows.

Nothing here queries the database: the selectors have computed every figure.
"""

from django.utils.translation import gettext as _

from . import charts
from .choices import CoFinancingSource, Instrument
from .formatting import format_kronor, format_missing, format_mnkr, format_percent, format_ratio

# (annotation, heading, numeric) of the national comparison's sortable columns.
NATIONAL_COLUMNS = [
    ("region__code", "County", False),
    ("frame_amount", "Frame", True),
    ("used", "Used", True),
    ("utilisation", "Utilisation", True),
    ("cofinancing_total", "Co-financing", True),
    ("leverage", "Leverage", True),
    ("alignment", "Strategy alignment", True),
]


def sort_columns(sort: str, year) -> list[dict]:
    """Headings with the link that sorts by them (numbers largest first), and aria-sort for the current one."""
    headings = {
        "County": _("County"),
        "Frame": _("Frame"),
        "Used": _("Used"),
        "Utilisation": _("Utilisation"),
        "Co-financing": _("Co-financing"),
        "Leverage": _("Leverage"),
        "Strategy alignment": _("Strategy alignment"),
    }
    columns = []
    for key, heading, numeric in NATIONAL_COLUMNS:
        current = sort.removeprefix("-") == key
        descending = sort.startswith("-")
        # A second click on the current column reverses it; numbers sort largest first.
        reverse = (current and not descending) or (not current and numeric)
        next_sort = f"-{key}" if reverse else key
        columns.append(
            {
                "heading": headings[heading],
                "numeric": numeric,
                "url": f"?year={year}&sort={next_sort}",
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    return columns


# Measures of the county-by-year table: annotation → (heading, formatter).
MEASURES = {
    "used": ("Used", format_kronor),
    "utilisation": ("Utilisation", format_percent),
    "cofinancing_total": ("Co-financing", format_kronor),
    "leverage": ("Leverage", format_ratio),
    "alignment": ("Strategy alignment", format_percent),
}


def measure_tabs(measure: str) -> list[dict]:
    headings = {
        "Used": _("Used"),
        "Utilisation": _("Utilisation"),
        "Co-financing": _("Co-financing"),
        "Leverage": _("Leverage"),
        "Strategy alignment": _("Strategy alignment"),
    }
    return [
        {"key": key, "heading": headings[heading], "current": key == measure, "url": f"?measure={key}"}
        for key, (heading, _fmt) in MEASURES.items()
    ]


# The shares and the leverage: figures that cannot be given without a frame, a use or a RUS.
SHARES = {"utilisation": format_percent, "leverage": format_ratio, "alignment": format_percent}


def missing_reason(row, measure: str) -> str | None:
    """Why `row`'s share `measure` cannot be given ("no frame decided", "no use reported", "no RUS
    registered"), or None when it can. Reads the row's annotations only.

    A share over no use at all is missing, not 0 %; alignment is missing, not 0 %, when the row is
    annotated `has_strategy` False (the county had no RUS to tie its use to).
    """
    if measure not in SHARES:
        return None
    if measure == "utilisation" and not getattr(row, "frame_total", None):
        return _("no frame decided")
    if not getattr(row, "used", None):
        return _("no use reported")
    if measure == "alignment" and getattr(row, "has_strategy", True) is False:
        return _("no RUS registered")
    if getattr(row, measure, None) is None:
        return _("not available")
    return None


def figure(row, measure: str) -> str:
    """A share or the leverage of `row`, formatted, or "–" with the reason it is missing."""
    reason = missing_reason(row, measure)
    if reason:
        return format_missing(reason)
    return SHARES.get(measure, MEASURES.get(measure, (None, format_kronor))[1])(getattr(row, measure))


def figure_or_none(row, measure: str):
    """The value for a chart: None (drawn as missing, with `missing_reason`) when there is none."""
    return None if missing_reason(row, measure) else getattr(row, measure)


def county_year_table(allocations, measure: str) -> tuple[list[int], list[tuple]]:
    """Counties down, years across, one measure formatted in each cell (allocations sorted by county, year)."""
    fmt = MEASURES[measure][1]
    years = sorted({a.appropriation.year for a in allocations})
    cells: dict = {}
    regions = {}
    for allocation in allocations:
        regions.setdefault(allocation.region_id, allocation.region)
        cells[allocation.region_id, allocation.appropriation.year] = (
            figure(allocation, measure) if measure in SHARES else fmt(getattr(allocation, measure))
        )
    rows = [(region, [cells.get((region_id, year), "–") for year in years]) for region_id, region in regions.items()]
    return years, rows


def instrument_rows(allocation) -> list[tuple[str, object]]:
    return [(label, getattr(allocation, f"used_{code}")) for code, label in Instrument.choices]


def cofinancing_rows(allocation) -> list[tuple[str, object]]:
    return [(label, getattr(allocation, f"cofinancing_{code}")) for code, label in CoFinancingSource.choices]


def _extremes(names, values, fmt) -> str:
    pairs = [(v, n) for n, v in zip(names, values, strict=True) if v is not None]
    if not pairs:
        return _("No county has reported any use yet.")
    high, low = max(pairs), min(pairs)
    return _("Highest: {high} ({high_value}). Lowest: {low} ({low_value}).").format(
        high=high[1], high_value=fmt(high[0]), low=low[1], low_value=fmt(low[0])
    )


def national_charts(rows, year, *, table_open: bool = False) -> list:
    """Use by instrument, leverage and strategy alignment per county for one year."""
    names = [row.region.name for row in rows]
    county = _("County")
    used = [row.used for row in rows]
    leverage = [figure_or_none(row, "leverage") for row in rows]
    alignment = [figure_or_none(row, "alignment") for row in rows]
    return [
        charts.stacked_bars(
            chart_id=f"use-{year}",
            title=_("Use of the 1:1 money by instrument per county, {year}").format(year=year),
            description=_("Stacked bars, one per county, one segment per instrument. {extremes}").format(
                extremes=_extremes(names, used, format_kronor)
            ),
            categories=names,
            series=[
                charts.Series(label, [getattr(row, f"used_{code}") for row in rows])
                for code, label in Instrument.choices
            ],
            category_heading=county,
            table_open=table_open,
        ),
        charts.bars(
            chart_id=f"leverage-{year}",
            title=_("Leverage per county, {year}").format(year=year),
            description=_(
                "Leverage is (use + co-financing) ÷ use; 1.0 means no co-financing at all. {extremes}"
            ).format(extremes=_extremes(names, leverage, format_ratio)),
            categories=names,
            values=leverage,
            value_heading=_("Leverage"),
            value_format=format_ratio,
            category_heading=county,
            reference=1.0,
            reference_label=_("1.0: no co-financing"),
            missing=[missing_reason(row, "leverage") for row in rows],
            table_open=table_open,
        ),
        charts.bars(
            chart_id=f"alignment-{year}",
            title=_("Strategy alignment per county, {year}").format(year=year),
            description=_("Share of the used money tied to a priority of the county's RUS. {extremes}").format(
                extremes=_extremes(names, alignment, format_percent)
            ),
            categories=names,
            values=alignment,
            value_heading=_("Strategy alignment"),
            value_format=format_percent,
            category_heading=county,
            missing=[missing_reason(row, "alignment") for row in rows],
            table_open=table_open,
        ),
    ]


def _year(obj) -> int:
    return obj.year if hasattr(obj, "year") else obj.appropriation.year


def trend_charts(objects, *, place: str, table_open: bool = False) -> list:
    """Money, leverage and percentages over the years, for one county's allocations or all appropriations."""
    years = [str(_year(obj)) for obj in objects]
    span = f"{years[0]}–{years[-1]}"
    year_heading = _("Year")
    slug = place.replace(" ", "-")
    return [
        charts.lines(
            chart_id=f"trend-money-{slug}",
            title=_("Frame, use and co-financing, {place}, {span}").format(place=place, span=span),
            description=_("Lines over the years; the table gives the exact amounts in kronor."),
            x_labels=years,
            series=[
                charts.Series(_("Frame"), [obj.frame_total for obj in objects]),
                charts.Series(_("Used"), [obj.used for obj in objects]),
                charts.Series(_("Co-financing"), [obj.cofinancing_total for obj in objects]),
            ],
            value_format=format_mnkr,
            table_format=format_kronor,
            x_heading=year_heading,
            table_open=table_open,
        ),
        charts.lines(
            chart_id=f"trend-leverage-{slug}",
            title=_("Leverage, {place}, {span}").format(place=place, span=span),
            description=_("(use + co-financing) ÷ use, year by year."),
            x_labels=years,
            series=[charts.Series(_("Leverage"), [figure_or_none(obj, "leverage") for obj in objects])],
            value_format=format_ratio,
            x_heading=year_heading,
            table_open=table_open,
        ),
        charts.lines(
            chart_id=f"trend-shares-{slug}",
            title=_("Utilisation and strategy alignment, {place}, {span}").format(place=place, span=span),
            description=_(
                "Utilisation: use as a share of the frame. Strategy alignment: share of the use tied to a RUS priority."
            ),
            x_labels=years,
            series=[
                charts.Series(_("Utilisation"), [figure_or_none(obj, "utilisation") for obj in objects]),
                charts.Series(_("Strategy alignment"), [figure_or_none(obj, "alignment") for obj in objects]),
            ],
            value_format=format_percent,
            x_heading=year_heading,
            table_open=table_open,
        ),
    ]


def allocation_chart(allocation, *, table_open: bool = False):
    """One county's use in one year by instrument."""
    rows = instrument_rows(allocation)
    return charts.bars(
        chart_id=f"instruments-{allocation.region.code}-{allocation.appropriation.year}",
        title=_("Use by instrument, {county} {year}").format(
            county=allocation.region.name, year=allocation.appropriation.year
        ),
        description=_("One bar per instrument, with the amount beside it."),
        categories=[label for label, _amount in rows],
        values=[amount for _label, amount in rows],
        value_heading=_("Used"),
        value_format=format_kronor,
        axis_format=format_mnkr,
        category_heading=_("Instrument"),
        table_open=table_open,
    )
