"""The edit and removal pages every county page builds on (on core.views' one base).

An object the user may not change is answered with 404 on its edit pages, so a regional user
cannot tell another county's edit pages from missing ones.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.views import PermissionMixin, ServiceFormMixin

from ..models import Region
from ..selectors import references_to


class EditFormView(PermissionMixin, ServiceFormMixin, FormView):
    """A form page about one object the user must be allowed to change (else 404).

    Subclasses name the permission, look the object up in `get_object()` and save in
    `perform(form)` through a service (core.views shows a ValidationError or StaleEditError on
    the form with the user's input kept). `perform` returns the saved object when the page goes
    on to it (it becomes `self.object`), None when the page goes back to where it came from.
    """

    template_name = "regions/object_form.html"
    existence_private = True
    heading = ""
    success_message = _("Saved.")
    submit_label = _("Save")

    def get_object(self):
        raise NotImplementedError

    def load(self):
        self.object = self.get_object()

    def get_permission_object(self):
        return self.object

    def get_region(self) -> Region | None:
        return getattr(self.object, "region", None)

    def get_back_url(self) -> str:
        """Where the cancel link leads: the county's page unless a page says otherwise."""
        return self.get_region().get_absolute_url()

    def get_success_url(self) -> str:
        return self.get_back_url()

    def get_subject(self):
        """What the page is about, shown under the heading (e.g. the strategy of a priority)."""
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.heading,
            submit_label=self.submit_label,
            subject=self.get_subject(),
            region=self.get_region(),
            back_url=self.get_back_url(),
            **kwargs,
        )


class ModelEditFormView(EditFormView):
    """An EditFormView whose form is a ModelForm of `self.object` (or a new instance)."""

    def get_instance(self):
        return self.object

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_instance()}


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
