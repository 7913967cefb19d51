"""The organisations: list, adding, editing and removing (the ministry's to keep)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from .. import services
from ..filters import OrganisationFilter
from ..forms import OrganisationForm
from ..models import Organisation
from ..selectors import organisations_with_themes
from .base import ModelEditFormView, RecordDeleteView


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


class OrganisationCreateView(ModelEditFormView):
    form_class = OrganisationForm
    permission_required = "regions.change_organisation"
    heading = _("Add an organisation")

    def get_object(self):
        return Organisation()

    def perform(self, form):
        return form.save()

    def get_back_url(self):
        return reverse("regions:organisation_list")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_region(self):
        return None


class OrganisationUpdateView(OrganisationCreateView):
    heading = _("Edit the organisation")

    def get_object(self):
        return get_object_or_404(Organisation, pk=self.kwargs["pk"])


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

    def perform(self, form):
        services.organisation_delete(organisation=self.object)

    def get_back_url(self):
        return reverse("regions:organisation_list")

    def get_region(self):
        return None
