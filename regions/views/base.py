"""The edit and removal pages every county page builds on.

An object the user may not change is answered with 404 on its edit pages, so a regional user
cannot tell another county's edit pages from missing ones.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.concurrency import StaleEditError

from ..models import Region
from ..selectors import references_to


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
