"""County pages. Reading is open to everyone logged in; writing follows regions/rules.py.

An object the user may not change is answered with 404 on its edit pages, so a regional user
cannot tell another county's edit pages from missing ones.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, View
from django_filters.views import FilterView

from accounts.rules import own_region_id
from core.concurrency import StaleEditError

from .. import services
from ..filters import ContactFilter, GoodExampleFilter, OrganisationFilter, RegionFilter, responsibility_year
from ..forms import (
    ContactForm,
    GoodExampleForm,
    OrganisationForm,
    PriorityForm,
    RegionProfileForm,
    ResponsibilityPeriodForm,
    StrategyForm,
    StrategyStageForm,
    StrategyUpdateForm,
)
from ..models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    ResponsibilityPeriod,
    StrategyPriority,
)
from ..selectors import (
    contact_directory,
    good_examples,
    good_examples_with_origin,
    organisations_with_themes,
    references_to,
    region_for_page,
    region_with_profile,
    regions_with_responsibility_in,
)


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Reading ---------------------------------------------------------------------------------


class RegionListView(FilterView):
    template_name = "regions/region_list.html"
    context_object_name = "regions"
    filterset_class = RegionFilter

    def get_queryset(self):
        self.year = responsibility_year(self.request.GET)
        return regions_with_responsibility_in(self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)


class RegionDetailView(DetailView):
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return region_for_page(self.kwargs["slug"], user=self.request.user)

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        return super().get_context_data(
            year=year,
            # Loaded only when the page's cached part has to be rendered again.
            profile=SimpleLazyObject(lambda: self.profile(year)),
            can_edit=self.request.user.has_perm("regions.change_region", self.object),
            can_follow=self.request.user.has_perm("regions.follow_region", self.object),
            **kwargs,
        )

    def profile(self, year: int) -> dict:
        region = region_with_profile(self.object)
        strategies = list(region.strategies.all())
        return {
            "region": region,
            "current_strategies": [s for s in strategies if s.end_year >= year],
            "earlier_strategies": [s for s in strategies if s.end_year < year],
        }


class OrganisationListView(FilterView):
    template_name = "regions/organisation_list.html"
    context_object_name = "organisations"
    filterset_class = OrganisationFilter
    paginate_by = 25

    def get_queryset(self):
        return organisations_with_themes()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_add=user.has_perm("regions.change_organisation", Organisation()), **kwargs)


class ContactListView(FilterView):
    template_name = "regions/contact_list.html"
    context_object_name = "contacts"
    filterset_class = ContactFilter
    paginate_by = 25

    def get_queryset(self):
        return contact_directory()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_add=user.has_perm("regions.add_contact", Contact()), **kwargs)


class GoodExampleListView(FilterView):
    template_name = "regions/goodexample_list.html"
    context_object_name = "examples"
    filterset_class = GoodExampleFilter
    paginate_by = 25

    def get_queryset(self):
        return good_examples()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(can_add=user.has_perm("regions.add_goodexample", GoodExample()), **kwargs)


# --- Writing ---------------------------------------------------------------------------------


class EditFormView(FormView):
    """A form page about one object the user must be allowed to change (else 404).

    Subclasses name the permission, look the object up in `get_object()` and save in
    `save(form)` through a service; a ValidationError or StaleEditError from the service is
    shown on the form with the user's input kept.
    """

    template_name = "regions/object_form.html"
    permission_required: str
    heading = ""
    success_message = _("Saved.")
    submit_label = _("Save")

    def get_object(self):
        raise NotImplementedError

    def get_region(self) -> Region | None:
        return getattr(self.object, "region", None)

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not request.user.has_perm(self.permission_required, self.get_permission_object()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.object

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except StaleEditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url(saved))

    def save(self, form):
        raise NotImplementedError

    def get_success_url(self, saved=None):
        return self.get_region().get_absolute_url()

    def get_subject(self):
        """What the page is about, shown under the heading (e.g. the strategy of a priority)."""
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            submit_label=self.submit_label,
            subject=self.get_subject(),
            region=self.get_region(),
            back_url=self.get_success_url(),
            **kwargs,
        )


class ModelEditFormView(EditFormView):
    """An EditFormView whose form is a ModelForm of `self.object` (or a new instance)."""

    def get_instance(self):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}


class RegionProfileUpdateView(ModelEditFormView):
    form_class = RegionProfileForm
    permission_required = "regions.change_region"
    heading = _("Edit the county's profile")

    def get_object(self):
        return get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_region(self):
        return self.object

    def save(self, form):
        return services.region_profile_update(
            region=form.instance, data=form.cleaned_data, expected_version=form.cleaned_data["version"]
        )


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

    def save(self, form):
        return services.responsibility_period_save(region=self.object, period=form.instance)


class ResponsibilityPeriodUpdateView(ModelEditFormView):
    form_class = ResponsibilityPeriodForm
    permission_required = "regions.change_responsibilityperiod"
    heading = _("Edit the responsibility period")

    def get_object(self):
        return get_object_or_404(ResponsibilityPeriod.objects.select_related("region"), pk=self.kwargs["pk"])

    def save(self, form):
        return services.responsibility_period_save(region=self.object.region, period=form.instance)


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

    def save(self, form):
        return services.strategy_create(region=self.object, data=form.cleaned_data)

    def get_success_url(self, saved=None):
        return saved.get_absolute_url() if saved else self.object.get_absolute_url()


class StrategyUpdateView(ModelEditFormView):
    form_class = StrategyUpdateForm
    permission_required = "regions.change_regionalstrategy"
    heading = _("Edit the regional development strategy")

    def get_object(self):
        return get_object_or_404(RegionalStrategy.objects.select_related("region"), pk=self.kwargs["pk"])

    def get_subject(self):
        return self.object

    def save(self, form):
        return services.strategy_update(
            strategy=form.instance, data=form.cleaned_data, expected_version=form.cleaned_data["version"]
        )

    def get_success_url(self, saved=None):
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

    def save(self, form):
        return services.priority_save(priority=form.instance)

    def get_success_url(self, saved=None):
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

    def save(self, form):
        return services.priority_save(priority=form.instance)

    def get_success_url(self, saved=None):
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

    def save(self, form):
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

    def save(self, form):
        return services.strategy_stage_set(strategy=self.object, **form.cleaned_data)

    def get_success_url(self, saved=None):
        return self.object.get_absolute_url()


class RegionFollowView(View):
    """Follow or stop following a county's strategy process (POST only)."""

    http_method_names = ["post"]

    def post(self, request, slug):
        region = get_object_or_404(Region, slug=slug)
        if not request.user.has_perm("regions.follow_region", region):
            raise Http404
        if request.POST.get("follow") == "1":
            services.region_follow(user=request.user, region=region)
            messages.success(request, _("You will be e-mailed when the strategy process enters a new stage."))
        else:
            services.region_unfollow(user=request.user, region=region)
            messages.success(request, _("You no longer follow the strategy process of this county."))
        return redirect(region)


class ContactCreateView(ModelEditFormView):
    form_class = ContactForm
    permission_required = "regions.add_contact"
    heading = _("Add a contact")

    def get_object(self):
        return Contact()

    def get_initial(self):
        region_id = own_region_id(self.request.user)
        slug = self.request.GET.get("region")
        if region_id is None and slug:
            return {"region": Region.objects.filter(slug=slug).first()}
        return {"region": region_id}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return services.contact_save(form=form)

    def get_success_url(self, saved=None):
        return saved.get_absolute_url() if saved else reverse("regions:contact_list")

    def get_region(self):
        return None


class ContactUpdateView(ContactCreateView):
    permission_required = "regions.change_contact"
    heading = _("Edit the contact")

    def get_object(self):
        return get_object_or_404(Contact, pk=self.kwargs["pk"])

    def get_initial(self):
        return {}


class GoodExampleCreateView(ModelEditFormView):
    form_class = GoodExampleForm
    permission_required = "regions.add_goodexample"
    heading = _("Add a good example")

    def get_object(self):
        return GoodExample(year=timezone.localdate().year)

    def get_initial(self):
        return {"region": own_region_id(self.request.user)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return form.save()

    def get_success_url(self, saved=None):
        return saved.get_absolute_url() if saved else reverse("regions:goodexample_list")

    def get_region(self):
        return None


class GoodExampleUpdateView(GoodExampleCreateView):
    permission_required = "regions.change_goodexample"
    heading = _("Edit the good example")

    def get_object(self):
        return get_object_or_404(good_examples_with_origin(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {}


class OrganisationCreateView(ModelEditFormView):
    form_class = OrganisationForm
    permission_required = "regions.change_organisation"
    heading = _("Add an organisation")

    def get_object(self):
        return Organisation()

    def save(self, form):
        return form.save()

    def get_success_url(self, saved=None):
        return saved.get_absolute_url() if saved else reverse("regions:organisation_list")

    def get_region(self):
        return None


class OrganisationUpdateView(OrganisationCreateView):
    heading = _("Edit the organisation")

    def get_object(self):
        return get_object_or_404(Organisation, pk=self.kwargs["pk"])


# --- Removing ----------------------------------------------------------------------------------


class RecordDeleteView(EditFormView):
    """A confirmation page for removing one record.

    GET shows what would be removed and every record that refers to it; POST removes it through
    the service, which refuses (the page says why, nothing changes) while anything refers to it.
    """

    template_name = "regions/object_confirm_delete.html"
    form_class = forms.Form
    detail_fields: list[str] = []
    warning = ""  # what removing means, shown when it can be removed
    blocked_advice = ""  # what to do instead, shown when something refers to the record

    def get_form_kwargs(self):
        return FormView.get_form_kwargs(self)

    def details(self) -> list[tuple[str, str]]:
        """(label, value) of the record's filled-in fields, as the confirmation lists them."""
        rows = []
        for name in self.detail_fields:
            field = self.object._meta.get_field(name)
            value = getattr(self.object, f"get_{name}_display")() if field.choices else getattr(self.object, name)
            if value not in (None, ""):
                rows.append((capfirst(field.verbose_name), str(value)))
        return rows

    def get_warning(self) -> str:
        return self.warning

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            details=self.details(),
            references=references_to(self.object),
            warning=self.get_warning(),
            blocked_advice=self.blocked_advice,
            **kwargs,
        )


class ContactDeleteView(RecordDeleteView):
    permission_required = "regions.delete_contact"
    heading = _("Remove the contact")
    submit_label = _("Remove the contact")
    detail_fields = ["name", "title", "organisation", "region", "email", "phone", "user"]
    warning = _("The person is removed from the contact directory. This cannot be undone.")
    blocked_advice = _(
        "These records are the history of the fora and the dialogues, and they keep the person. To show that "
        "someone no longer sits in a forum, the ministry ends the mandate on the forum's page (mandate to); to "
        "correct the person's details, edit the contact."
    )

    def get_object(self):
        return get_object_or_404(Contact.objects.select_related("organisation", "region", "user"), pk=self.kwargs["pk"])

    def get_warning(self):
        if self.object.user_id is None:
            return self.warning
        return "{} {}".format(
            self.warning,
            _("The user account {account} stays; only its link to the directory is removed.").format(
                account=self.object.user.email
            ),
        )

    @property
    def success_message(self):
        return _("{name} is removed from the contact directory.").format(name=self.object.name)

    def save(self, form):
        services.contact_delete(contact=self.object)

    def get_success_url(self, saved=None):
        return reverse("regions:contact_list")

    def get_region(self):
        return self.object.region


class OrganisationDeleteView(RecordDeleteView):
    permission_required = "regions.delete_organisation"
    heading = _("Remove the organisation")
    submit_label = _("Remove the organisation")
    detail_fields = ["name", "short_name", "kind", "region", "website", "remit"]
    warning = _("The organisation, its remit and its themes are removed. This cannot be undone.")
    blocked_advice = _(
        "Move its contacts to another organisation first (or remove them). An organisation that took part in a "
        "dialogue day stays, so that the record of the day stays whole: edit its name or remit instead."
    )

    def get_object(self):
        return get_object_or_404(Organisation.objects.select_related("region"), pk=self.kwargs["pk"])

    @property
    def success_message(self):
        return _("{name} is removed.").format(name=self.object.name)

    def save(self, form):
        services.organisation_delete(organisation=self.object)

    def get_success_url(self, saved=None):
        return reverse("regions:organisation_list")

    def get_region(self):
        return None


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

    def save(self, form):
        services.responsibility_period_delete(period=self.object)
