"""Secrecy flags for lists the register does not own (the dialogue page's observations, the round's
observation matrix, the search results). Show them to national staff only: a county never sees
that a text it cannot see exists, and the flag is the ministry's note, not the county's."""

from django import template

from records.selectors import secret_pks_among, secret_references_among

register = template.Library()


@register.simple_tag
def secret_ids(objects) -> set[int]:
    """The pks of `objects` (all of one model) with a secrecy marking in force, in one query."""
    return secret_pks_among(list(objects))


@register.simple_tag
def secret_references(objects) -> dict[int, str]:
    """pk → provision ("21 kap. 7 §") for the `objects` (all of one model) marked secret, in one query."""
    return secret_references_among(list(objects))


@register.inclusion_tag("records/_secret_flag.html")
def secrecy_flag(obj, references: dict) -> dict:
    """The "Secrecy" flag with its provision, if `obj` is among the marked `references`."""
    return {"reference": references.get(obj.pk, "") if references else ""}
