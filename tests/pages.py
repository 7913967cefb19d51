"""Sizes and expectations for the tests that a list's cost stays flat as its data grows (issue 20):
each list is measured on its first and its second page, at two sizes that both fill more than a
page, and the change history at a size under and a size over what it shows."""

import math

import pytest


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
