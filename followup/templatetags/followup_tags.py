"""Template filters for the follow-up pages: money and ratios the Swedish way."""

from django import template

from followup import formatting, presentation

register = template.Library()


@register.filter
def kronor(value) -> str:
    """`{{ allocation.frame_amount|kronor }}` → "1 234 567 kr"."""
    return formatting.format_kronor(value)


@register.filter
def percent(value) -> str:
    """`{{ row.utilisation|percent }}` → "87,5 %"."""
    return formatting.format_percent(value)


@register.filter
def ratio(value) -> str:
    """`{{ row.leverage|ratio }}` → "2,35"."""
    return formatting.format_ratio(value)


@register.filter
def number(value) -> str:
    """Indicator values: "1 234,5" (no decimals when whole)."""
    if value is None:
        return formatting.EMPTY
    return formatting.format_number(value, 0 if value == int(value) else 2)


@register.filter
def figure(row, measure: str) -> str:
    """`{{ allocation|figure:"utilisation" }}` → "87,5 %", or "–" with the reason it is missing
    ("– (no frame decided)"), never "0,0 %" for a share of nothing."""
    return presentation.figure(row, measure)
