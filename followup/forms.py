from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.concurrency import VersionedFormMixin

from . import importing
from .choices import CoFinancingSource
from .models import Allocation, Appropriation, Expenditure, ResultIndicator
from .selectors import priorities_for

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class KronorField(forms.DecimalField):
    """Whole kronor, typed the way people write them: "1 234 567", "1 234 567,00" or "1234567"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_digits=14, decimal_places=0, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return importing.parse_amount(value)
            except ValueError as error:
                raise forms.ValidationError(str(error), code="invalid") from error
        return super().to_python(value)


class AllocationForm(VersionedFormMixin, forms.ModelForm):
    """The frame and conditions decision of a county for a year (ministry and agency)."""

    frame_amount = KronorField(label=_("Frame (kronor)"))

    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = Allocation
        fields = ["frame_amount", "conditions_decided_on", "conditions", "reporting_requirements"]
        widgets = {"conditions_decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AppropriationForm(forms.ModelForm):
    """A new budget year: every county gets a frame of 0 kr, to be set afterwards."""

    total_amount = KronorField(label=_("Total amount (kronor)"))

    class Meta:
        model = Appropriation
        fields = ["year", "total_amount", "source"]


class VersionForm(VersionedFormMixin, forms.Form):
    """Carries the allocation version a formset page was opened at."""


class _AllocationLinesFormSet(BaseModelFormSet):
    """Lines of one allocation; the priority choice is the county's RUS priorities for the year."""

    def __init__(self, *args, allocation: Allocation, can_mark_exception: bool = True, **kwargs):
        self.allocation = allocation
        self.can_mark_exception = can_mark_exception
        kwargs.setdefault("queryset", self.model.objects.filter(allocation=allocation).select_related("priority"))
        self.priorities = priorities_for(region_id=allocation.region_id, year=allocation.appropriation.year)
        # Read once for every row's menu; validating a chosen priority still asks the database.
        self.priority_choices = [("", _("(not tied to a priority)"))] + [(p.pk, str(p)) for p in self.priorities]
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["priority"].queryset = self.priorities
        form.fields["priority"].choices = self.priority_choices
        if "approved_exception" in form.fields and not self.can_mark_exception:
            form.fields["approved_exception"].disabled = True


class ExpenditureForm(forms.ModelForm):
    amount = KronorField(label=_("Amount (kronor)"))

    class Meta:
        model = Expenditure
        fields = ["instrument", "priority", "amount", "approved_exception", "description"]
        help_texts = {"approved_exception": ""}  # the page explains it once, above the lines


class ResultIndicatorForm(forms.ModelForm):
    class Meta:
        model = ResultIndicator
        fields = ["priority", "name", "unit", "baseline", "target", "outcome"]


# The lines are edited a page at a time, so a form never grows past Django's field limit
# (DATA_UPLOAD_MAX_NUMBER_FIELDS, 1000): a page of 50 lines and 3 new ones is some 380 fields.
LINES_PER_PAGE = 50


def _lines_formset(model, form, extra: int):
    return modelformset_factory(
        model,
        form=form,
        formset=_AllocationLinesFormSet,
        extra=extra,
        can_delete=True,
        max_num=LINES_PER_PAGE + extra,
        absolute_max=LINES_PER_PAGE + extra,
        validate_max=True,
    )


ExpenditureFormSet = _lines_formset(Expenditure, ExpenditureForm, extra=3)
ResultIndicatorFormSet = _lines_formset(ResultIndicator, ResultIndicatorForm, extra=2)


class CoFinancingForm(VersionedFormMixin, forms.Form):
    """One amount per co-financing source; empty means none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source, label in CoFinancingSource.choices:
            self.fields[source] = KronorField(label=label, required=False)

    def amounts(self) -> dict:
        return {source: self.cleaned_data.get(source) for source in CoFinancingSource.values}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("One file per year, in the format described above."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload
