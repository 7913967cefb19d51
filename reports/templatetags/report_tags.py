"""Template filters of the feedback reports."""

from django import template

register = template.Library()


@register.filter(is_safe=True)
def nbsp(value) -> str:
    """A figure that never wraps inside a cell: "90 %" and "1 234 kr" with non-breaking spaces
    (only spaces change, so what was safe stays safe and the rest is escaped as usual)."""
    return str(value).replace(" ", "\u00a0").replace("\u202f", "\u00a0")
