"""Filters of the county pages (django-filter); each list view uses one of these."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import BodyType, OrganisationKind
from .models import Contact, GoodExample, Organisation, Region, ResponsibilityPeriod, Topic

FIRST_YEAR, LAST_YEAR = 1990, 2100


def responsibility_year(params) -> int:
    """The year asked for in `?year=` (within reason), else this year."""
    value = params.get("year", "")
    if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
        return int(value)
    return timezone.localdate().year


class RegionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="filter_year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Leave empty for this year."),
    )
    body_type = django_filters.ChoiceFilter(
        label=_("Type of responsible body"),
        choices=BodyType.choices,
        empty_label=_("All types of body"),
        method="filter_body_type",
    )

    class Meta:
        model = Region
        fields = ["year", "body_type"]

    def filter_year(self, queryset, name, value):
        # The year only chooses which periods count (see filter_body_type and the view).
        return queryset

    def filter_body_type(self, queryset, name, value):
        year = responsibility_year(self.data)
        held = ResponsibilityPeriod.objects.in_year(year).filter(region=OuterRef("pk"), body_type=value)
        return queryset.filter(Exists(held))


class OrganisationFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="themes",
        queryset=Topic.objects.all(),
        empty_label=_("All themes"),
        distinct=True,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Organisation
        fields = ["theme", "kind"]


class ContactFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), method="filter_name")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=_("All organisations")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=Region.objects.all(), empty_label=_("All counties")
    )

    class Meta:
        model = Contact
        fields = ["name", "organisation", "region"]

    def filter_name(self, queryset, name, value):
        """Any part of the name or title, e.g. "regiondirektör"."""
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value)) if value else queryset


class GoodExampleFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Topic.objects.filter(good_examples__isnull=False).distinct(),
        empty_label=_("All themes"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=Region.objects.all(), empty_label=_("All counties")
    )

    class Meta:
        model = GoodExample
        fields = ["theme", "region"]
