"""Reads of county profiles, with what each page needs fetched in a fixed number of queries."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils.text import capfirst

from .models import (
    BusinessSupportYear,
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


def regions_with_forum_facts_in(year: int) -> QuerySet[Region]:
    """All counties by code, with the two facts their forum seats in `year` follow from:
    `periods_in_year` (who held development responsibility) and `business_support_in_year`
    (whether the county board handled the regional business support, so its länsråd sits in the
    civil servants' forum)."""
    return (
        regions_with_responsibility_in(year)
        .annotate(business_support_in_year=Exists(BusinessSupportYear.objects.filter(region=OuterRef("pk"), year=year)))
        .order_by("code")
    )


def business_support_years(region: Region) -> list[int]:
    """The years in which the county board of `region` handled the regional business support."""
    return list(region.business_support_years.order_by("year").values_list("year", flat=True))


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
        Prefetch("business_support_years", queryset=BusinessSupportYear.objects.order_by("year")),
        Prefetch(
            "strategies",
            queryset=RegionalStrategy.objects.order_by("-start_year", "-pk").prefetch_related(
                "priorities", Prefetch("stages", queryset=StrategyStage.objects.order_by("starts_on"))
            ),
        ),
        Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
        Prefetch("good_examples", queryset=good_examples_with_origin().select_related("theme")),
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


def good_examples_with_origin() -> QuerySet[GoodExample]:
    """Good examples with the observation each may come from (the ministry's, then not the county's
    to edit) fetched in the same query."""
    return GoodExample.objects.select_related("observation")


def good_examples() -> QuerySet[GoodExample]:
    """Good examples, grouped by theme then county, with the theme, county and origin fetched."""
    return (
        good_examples_with_origin()
        .select_related("region", "theme")
        .order_by("theme__name", "region__code", "-year", "title")
    )


# How many of the records that refer to a record are named on its removal page (per kind).
REFERENCE_EXAMPLES = 5


@dataclass(frozen=True)
class Reference:
    """The records of one kind that refer to a record through one field, e.g. forum members
    through "substitute": how many there are, and the first few by name."""

    records: str
    field: str
    count: int
    examples: list[str]

    @property
    def not_named(self) -> int:
        return self.count - len(self.examples)

    def __str__(self):
        return f"{self.records} ({self.field}): {self.count}"


def references_to(obj: models.Model) -> list[Reference]:
    """Every record of any app that points at `obj` (foreign key, one-to-one or many-to-many).

    The relations are read from the model, so a link added later is counted without a change
    here. One query per kind of link, a second only where more than REFERENCE_EXAMPLES refer.
    """
    references = []
    for relation in obj._meta.related_objects:
        field = relation.field
        rows = relation.related_model._base_manager.filter(**{field.name: obj}).order_by("pk")
        if not field.many_to_many:
            rows = rows.select_related()  # what a row's name needs (e.g. a forum member's person)
        examples = list(rows[: REFERENCE_EXAMPLES + 1])
        if not examples:
            continue
        count = len(examples) if len(examples) <= REFERENCE_EXAMPLES else rows.count()
        references.append(
            Reference(
                records=capfirst(relation.related_model._meta.verbose_name_plural),
                field=str(field.verbose_name),
                count=count,
                examples=[str(row) for row in examples[:REFERENCE_EXAMPLES]],
            )
        )
    return references
