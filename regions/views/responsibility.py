"""Who held the regional development responsibility in a county, and when."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import services
from ..forms import BusinessSupportYearsForm, ResponsibilityPeriodForm
from ..models import Region, ResponsibilityPeriod
from ..selectors import business_support_years
from .base import EditFormView, ModelEditFormView, RecordDeleteView


class ResponsibilityPeriodCreateView(ModelEditFormView):
    form_class = ResponsibilityPeriodForm
    permission_required = "regions.change_region"
    heading = _("Add a responsibility period")

    def get_object(self):
        return get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_region(self):
        return self.object

    def get_instance(self):
        return ResponsibilityPeriod(region=self.object)

    def perform(self, form):
        # Back to the county's page: the period has none of its own.
        services.responsibility_period_save(region=self.object, period=form.instance)


class ResponsibilityPeriodUpdateView(ModelEditFormView):
    form_class = ResponsibilityPeriodForm
    permission_required = "regions.change_responsibilityperiod"
    heading = _("Edit the responsibility period")

    def get_object(self):
        return get_object_or_404(ResponsibilityPeriod.objects.select_related("region"), pk=self.kwargs["pk"])

    def perform(self, form):
        return services.responsibility_period_save(region=self.object.region, period=form.instance)


class ResponsibilityPeriodDeleteView(RecordDeleteView):
    permission_required = "regions.delete_responsibilityperiod"
    heading = _("Remove the responsibility period")
    submit_label = _("Remove the period")
    detail_fields = ["region", "body_name", "body_type", "valid_from", "valid_to", "source"]
    success_message = _("The responsibility period is removed.")

    def get_object(self):
        return get_object_or_404(ResponsibilityPeriod.objects.select_related("region"), pk=self.kwargs["pk"])

    def get_warning(self):
        return _(
            "A county's seats in the two fora follow from who held the regional development responsibility each "
            "year. Without this period no body is recorded for {years} (unless another period covers them), and "
            "the composition of the fora shows no expected seats for the county in those years. This cannot be "
            "undone."
        ).format(years=services.period_years(self.object))

    def perform(self, form):
        services.responsibility_period_delete(period=self.object)


class BusinessSupportYearsView(EditFormView):
    """The ministry ticks the years in which the county board handles the regional business support
    (the länsråd's seat in the civil servants' forum follows)."""

    form_class = BusinessSupportYearsForm
    permission_required = "regions.change_businesssupportyear"
    heading = _("Regional business support at the county board")
    success_message = _("The years with regional business support are saved.")

    def get_object(self):
        return get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_region(self):
        return self.object

    def get_subject(self):
        return self.object

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "stored": business_support_years(self.object),
            "this_year": timezone.localdate().year,
        }

    def perform(self, form):
        services.business_support_years_set(
            region=self.object, years=form.cleaned_data["years"], expected_years=form.cleaned_data["expected"]
        )
