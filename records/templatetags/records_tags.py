"""Secrecy flags for lists the register does not own (the dialogue page's observations)."""

from django import template

from records.selectors import secret_pks_among

register = template.Library()


@register.simple_tag
def secret_ids(objects) -> set[int]:
    """The pks of `objects` (all of one model) with a secrecy marking in force, in one query."""
    return secret_pks_among(list(objects))
