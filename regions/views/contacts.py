"""The contact directory: list, adding, editing and removing."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from accounts.rules import own_region_id

from .. import services
from ..filters import ContactFilter
from ..forms import ContactForm
from ..models import Contact, Region
from ..selectors import contact_directory
from .base import ModelEditFormView, RecordDeleteView


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

    def perform(self, form):
        return services.contact_save(form=form)

    def get_back_url(self):
        return reverse("regions:contact_list")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_region(self):
        return None


class ContactUpdateView(ContactCreateView):
    permission_required = "regions.change_contact"
    heading = _("Edit the contact")

    def get_object(self):
        return get_object_or_404(Contact, pk=self.kwargs["pk"])

    def get_initial(self):
        return {}


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

    def perform(self, form):
        services.contact_delete(contact=self.object)

    def get_back_url(self):
        return reverse("regions:contact_list")

    def get_region(self):
        return self.object.region
