"""Reads of county profiles, with what each page needs fetched in a fixed number of queries."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from .models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    RegionFollow,
    ResponsibilityPeriod,
    StrategyStage,
)


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


def region_for_page(slug: str, *, user) -> QuerySet[Region]:
    """One county (by slug) with `is_followed`: what its profile page shows outside the cached part."""
    return Region.objects.filter(slug=slug).annotate(
        is_followed=Exists(RegionFollow.objects.filter(region=OuterRef("pk"), user_id=user.pk))
    )


def region_with_profile(region: Region) -> Region:
    """The county with everything its profile page shows: its history, its strategies newest first
    with their numbered priorities and process stages, its contacts with their organisations, and
    its good examples with their themes."""
    prefetch_related_objects(
        [region],
        "responsibility_periods",
        Prefetch(
            "strategies",
            queryset=RegionalStrategy.objects.order_by("-start_year", "-pk").prefetch_related(
                "priorities", Prefetch("stages", queryset=StrategyStage.objects.order_by("starts_on"))
            ),
        ),
        Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
        Prefetch("good_examples", queryset=GoodExample.objects.select_related("theme")),
    )
    return region


def strategies_with_region() -> QuerySet[RegionalStrategy]:
    return RegionalStrategy.objects.select_related("region")


def organisations_with_themes() -> QuerySet[Organisation]:
    """Organisations with their county and the themes they answer for."""
    return Organisation.objects.select_related("region").prefetch_related("themes")


def contact_directory() -> QuerySet[Contact]:
    """Every contact, with the organisation and county shown beside the name."""
    return Contact.objects.select_related("organisation", "region")


def good_examples() -> QuerySet[GoodExample]:
    """Good examples, grouped by theme then county, with the theme and county fetched."""
    return GoodExample.objects.select_related("region", "theme").order_by(
        "theme__name", "region__code", "-year", "title"
    )
