"""A county's regional development strategies, their priorities and process stages."""

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from .. import services
from ..forms import PriorityForm, StrategyForm, StrategyStageForm, StrategyUpdateForm
from ..models import Region, RegionalStrategy, StrategyPriority
from .base import EditFormView, ModelEditFormView


class StrategyCreateView(ModelEditFormView):
    form_class = StrategyForm
    permission_required = "regions.change_region"
    heading = _("Add a regional development strategy")

    def get_object(self):
        return get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_region(self):
        return self.object

    def get_instance(self):
        return RegionalStrategy(region=self.object)

    def perform(self, form):
        # The new strategy becomes `self.object`: the page goes on to it.
        return services.strategy_create(region=self.object, data=form.cleaned_data)

    def get_back_url(self):
        return self.object.get_absolute_url()

    def get_success_url(self):
        return self.object.get_absolute_url()


class StrategyUpdateView(ModelEditFormView):
    form_class = StrategyUpdateForm
    permission_required = "regions.change_regionalstrategy"
    heading = _("Edit the regional development strategy")

    def get_object(self):
        return get_object_or_404(RegionalStrategy.objects.select_related("region"), pk=self.kwargs["pk"])

    def get_subject(self):
        return self.object

    def perform(self, form):
        return services.strategy_update(
            strategy=form.instance, data=form.cleaned_data, expected_version=form.cleaned_data["version"]
        )

    def get_back_url(self):
        return self.object.get_absolute_url()


class PriorityCreateView(ModelEditFormView):
    form_class = PriorityForm
    permission_required = "regions.change_regionalstrategy"
    heading = _("Add a priority")

    def get_object(self):
        return get_object_or_404(RegionalStrategy.objects.select_related("region"), pk=self.kwargs["pk"])

    def get_subject(self):
        return self.object

    def get_instance(self):
        following = max((p.number for p in self.object.priorities.all()), default=0) + 1
        return StrategyPriority(strategy=self.object, number=following)

    def perform(self, form):
        # Back to the strategy (`self.object`).
        services.priority_save(priority=form.instance)

    def get_back_url(self):
        return self.object.get_absolute_url()


class PriorityUpdateView(ModelEditFormView):
    form_class = PriorityForm
    permission_required = "regions.change_regionalstrategy"
    heading = _("Edit the priority")

    def get_object(self):
        return get_object_or_404(StrategyPriority.objects.select_related("strategy__region"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object.strategy

    def get_subject(self):
        return self.object.strategy

    def get_region(self):
        return self.object.strategy.region

    def perform(self, form):
        return services.priority_save(priority=form.instance)

    def get_back_url(self):
        return self.object.strategy.get_absolute_url()


class PriorityDeleteView(PriorityUpdateView):
    form_class = forms.Form
    heading = _("Remove the priority")
    submit_label = _("Remove the priority")
    success_message = _("The priority is removed.")

    def get_form_kwargs(self):
        return FormView.get_form_kwargs(self)

    def get_context_data(self, **kwargs):
        warning = _(
            "Remove {priority}? Spending and result indicators linked to it lose the link; a priority that "
            "a dialogue submission ranks cannot be removed."
        ).format(priority=self.object)
        return super().get_context_data(warning=warning, **kwargs)

    def perform(self, form):
        services.priority_delete(priority=self.object)


class StrategyStageSetView(EditFormView):
    form_class = StrategyStageForm
    permission_required = "regions.change_regionalstrategy"
    heading = _("Record a stage of the strategy process")
    success_message = _("The stage is recorded. Followers are e-mailed when the strategy enters a new stage.")

    def get_object(self):
        return get_object_or_404(RegionalStrategy.objects.select_related("region"), pk=self.kwargs["pk"])

    def get_subject(self):
        return self.object

    def get_initial(self):
        return {"stage": self.request.GET.get("stage", "")}

    def perform(self, form):
        # Back to the strategy (`self.object`), whatever the service returns.
        services.strategy_stage_set(strategy=self.object, **form.cleaned_data)

    def get_back_url(self):
        return self.object.get_absolute_url()
