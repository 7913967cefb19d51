from django.db.models import Prefetch, QuerySet

from .models import Region, ResponsibilityPeriod


def regions_with_responsibility_in(year: int) -> QuerySet[Region]:
    """All counties, each with `periods_in_year`: who held development responsibility in `year`."""
    return Region.objects.prefetch_related(
        Prefetch(
            "responsibility_periods",
            queryset=ResponsibilityPeriod.objects.in_year(year),
            to_attr="periods_in_year",
        )
    )


def region_with_history(slug: str) -> QuerySet[Region]:
    """One county (by slug) with its whole responsibility history."""
    return Region.objects.filter(slug=slug).prefetch_related("responsibility_periods")
