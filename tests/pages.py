"""Sizes and expectations for the tests that a list's cost stays flat as its data grows (issue 20):
each list is measured on its first and its second page, at two sizes that both fill more than a
page, and the change history at a size under and a size over what it shows."""

import datetime
import math

import pytest

from core.audit import AUDIT_TRAIL_LIMIT


def sizes_over_a_page(per_page: int) -> list:
    """Two data sizes: one row more than a page (the second page holds one row) and three pages."""
    return [pytest.param(per_page + 1, id="page+1"), pytest.param(3 * per_page, id="3pages")]


FIRST_AND_LATER_PAGE = pytest.mark.parametrize("page", (1, 2), ids=("page1", "page2"))


def rows_on(page: int, *, total: int, per_page: int) -> int:
    """How many rows page `page` of a list of `total` rows shows."""
    return max(0, min(per_page, total - (page - 1) * per_page))


def page_label(page: int, *, total: int, per_page: int, word: str = "Sida", of: str = "av") -> str:
    """What the pagination says, e.g. "Sida 2 av 3"."""
    return f"{word} {page} {of} {math.ceil(total / per_page)}"


def log_older_changes(obj, count: int, *, field: str, actor=None) -> None:
    """`count` changes of `obj`'s `field` in the audit log, written as django-auditlog writes an
    update (one row each, the field's old and new value as strings), and older than anything the
    test does after: a history that grew over the years before."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    first = timezone.now() - datetime.timedelta(days=count + 1)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=str(obj),
            action=LogEntry.Action.UPDATE,
            changes={field: [f"Äldre version {i}", f"Äldre version {i + 1}"]},
            changes_text="",
            actor=actor,
            actor_email=getattr(actor, "email", None),
            timestamp=first + datetime.timedelta(days=i),
        )
        for i in range(count)
    )


HISTORY_SIZES = pytest.mark.parametrize(
    "older", (pytest.param(0, id="no-older"), pytest.param(2 * AUDIT_TRAIL_LIMIT, id="older>limit"))
)


def assert_trail_shows(trail: str, *, total: int, english: bool = False) -> None:
    """The change history (its HTML) says how many changes there are in all, lists the latest
    AUDIT_TRAIL_LIMIT of them, and says how many older ones it leaves out."""
    hidden = total - AUDIT_TRAIL_LIMIT
    if english:
        in_all = f"({total} change{'s' if total != 1 else ''})"
        left_out = f"{hidden} older change{'s are' if hidden != 1 else ' is'} not shown."
    else:
        in_all = f"({total} ändring{'ar' if total != 1 else ''})"
        left_out = f"{hidden} äldre ändring{'ar' if hidden != 1 else ''} visas inte."
    assert in_all in trail
    assert trail.count('<th scope="row">') == min(total, AUDIT_TRAIL_LIMIT)
    if hidden > 0:
        assert left_out in trail
    else:
        assert "not shown." not in trail and "visas inte." not in trail
