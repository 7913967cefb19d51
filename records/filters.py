"""The register's search: by number, date, party, type and case."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from regions.models import Organisation

from .choices import Direction, DocumentType
from .models import Case, Record


class SaneDateFilter(django_filters.DateFilter):
    field_class = core_forms.DateField  # a year outside 1900..2200 is a form error, not a crash


class RecordFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("Registration number"), lookup_expr="icontains", max_length=40)
    date_from = SaneDateFilter(
        label=_("Dated from"),
        field_name="document_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = SaneDateFilter(
        label=_("Dated to"),
        field_name="document_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Sender or recipient"),
        queryset=Organisation.objects.all(),
        method="filter_party",
        empty_label=_("All parties"),
    )
    document_type = django_filters.ChoiceFilter(
        label=_("Type of document"), choices=DocumentType.choices, empty_label=_("All types")
    )
    direction = django_filters.ChoiceFilter(
        label=_("Received or drawn up"), choices=Direction.choices, empty_label=_("Both")
    )
    case = django_filters.ModelChoiceFilter(
        label=_("Case"), queryset=Case.objects.order_by("title"), method="filter_case", empty_label=_("All cases")
    )

    class Meta:
        model = Record
        fields = ["number", "date_from", "date_to", "party", "document_type", "direction", "case"]

    def filter_party(self, queryset, name, value):
        return queryset.filter(Q(sender_organisation=value) | Q(recipient_organisation=value))

    def filter_case(self, queryset, name, value):
        # A round's case holds its dialogues' cases: searching the round finds their records too.
        return queryset.filter(Q(case=value) | Q(case__parent=value))
