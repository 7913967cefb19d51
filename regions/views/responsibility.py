"""Who held the regional development responsibility in a county, and when."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from .. import services
from ..forms import ResponsibilityPeriodForm
from ..models import Region, ResponsibilityPeriod
from .base import ModelEditFormView, RecordDeleteView


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
