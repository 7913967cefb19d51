from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.rules import own_region_id
from core import forms as core_forms
from core.concurrency import VersionedFormMixin

from .choices import StrategyStageKind
from .models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    ResponsibilityPeriod,
    StrategyPriority,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionProfileForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class ResponsibilityPeriodForm(forms.ModelForm):
    class Meta:
        model = ResponsibilityPeriod
        fields = ["body_type", "body_name", "valid_from", "valid_to", "source"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and start > end:
            self.add_error("valid_to", _("The last year cannot come before the first year."))
        return cleaned


FIRST_FORUM_YEAR = 2015  # the first period of the national fora (first seed)


class BusinessSupportYearsForm(forms.Form):
    """The years in which a county's board handles the regional business support, one box a year."""

    years = forms.TypedMultipleChoiceField(
        label=_("Years in which the county board handles the regional business support"),
        help_text=_("In these years the county's länsråd has a seat in the civil servants' forum."),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The years the form was opened with, so that a change made meanwhile by someone else is noticed.
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, stored: list[int], this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("years", stored)
        self.initial.setdefault("expected", ",".join(str(year) for year in stored))
        choices = sorted({*range(FIRST_FORUM_YEAR, this_year + 6), *stored})
        self.fields["years"].choices = [(year, str(year)) for year in choices]

    def clean_expected(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["expected"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("The form was damaged: reload the page and try again.")) from None


class StrategyForm(forms.ModelForm):
    class Meta:
        formfield_callback = core_forms.formfield  # dates with a sane year
        model = RegionalStrategy
        fields = ["title", "start_year", "end_year", "adopted_on", "url"]
        widgets = {"adopted_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and start > end:
            self.add_error("end_year", _("The last year cannot come before the first year."))
        return cleaned


class StrategyUpdateForm(VersionedFormMixin, StrategyForm):
    pass


class PriorityForm(forms.ModelForm):
    """A numbered priority; the number's uniqueness within the strategy is checked by the service."""

    class Meta:
        model = StrategyPriority
        fields = ["number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class StrategyStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=StrategyStageKind.choices)
    starts_on = core_forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = core_forms.DateField(
        label=_("Ends on"), required=False, widget=DateInput(), help_text=_("Leave empty if not yet known.")
    )
    note = forms.CharField(
        label=_("Note for agencies"),
        required=False,
        max_length=500,
        help_text=_("E.g. how and when agencies can contribute."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and start > end:
            self.add_error("ends_on", _("The stage cannot end before it begins."))
        return cleaned


class _OwnRegionFormMixin:
    """A regional user can only put things in their own county; ministry staff choose any."""

    def limit_region(self, user) -> None:
        region_id = own_region_id(user)
        if region_id is not None:
            field = self.fields["region"]
            field.queryset = Region.objects.filter(pk=region_id)
            field.required = True
            field.empty_label = None


class ContactForm(_OwnRegionFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "organisation", "region", "email", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_region(user)


class GoodExampleForm(_OwnRegionFormMixin, forms.ModelForm):
    class Meta:
        model = GoodExample
        fields = ["region", "title", "summary", "theme", "year"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_region(user)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "region", "website", "remit", "themes"]
        widgets = {"themes": forms.CheckboxSelectMultiple, "remit": forms.Textarea(attrs={"rows": 4})}
