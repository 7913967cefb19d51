"""The pages of attachments, on the one view base (core.views): add a file, download it, remove it.

Each parent's app subclasses them with its look-up (`load()` through its visibility selectors: a
404 outside them), its rule (`permission_required`, asked of the parent with the rule itself, so an
administrator gets no right the rule does not give) and its `check` (when the parent may change).
"""

import rules
from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View

from .attachments import attachment_add, attachment_remove, attachments_visible_to
from .uploads import AttachmentForm
from .views import PermissionMixin, ServiceFormMixin


class AttachmentParentMixin(PermissionMixin):
    """`self.parent` is what the page is about; `parent_url()` leads back to its page."""

    parent = None

    def get_permission_object(self):
        return self.parent

    def has_permission(self) -> bool:
        return rules.has_perm(self.permission_required, self.request.user, self.parent)

    def parent_url(self) -> str:
        return self.parent.get_absolute_url()

    def check(self, *args) -> None:
        """Refuse (ValidationError with the reason) when the parent may not change now."""

    def get_success_url(self) -> str:
        return self.parent_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.parent, cancel_url=self.parent_url(), **kwargs)


class AttachmentAddView(AttachmentParentMixin, ServiceFormMixin, FormView):
    """Attach a file to the parent: type by content, size limit, an error summary in the user's language."""

    form_class = AttachmentForm
    template_name = "core/_attachments_add.html"
    heading = _("Attach a file")
    success_message = _("The file was attached.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def perform(self, form):
        return attachment_add(
            parent=self.parent,
            upload=form.cleaned_data["file"],
            user=self.request.user,
            description=form.cleaned_data["description"],
            check=self.check,
        )


class AttachmentLookupMixin(AttachmentParentMixin):
    """The attachment among those of `parent_model` the user may see (404 otherwise), and its parent."""

    parent_model = None

    def load(self) -> None:
        visible = attachments_visible_to(self.request.user, model=self.parent_model)
        self.attachment = get_object_or_404(visible, pk=self.kwargs["pk"])
        self.parent = self.attachment.parent
        if self.parent is None:
            raise Http404

    def get_context_data(self, **kwargs):
        return super().get_context_data(attachment=self.attachment, **kwargs)


class AttachmentDownloadView(AttachmentLookupMixin, View):
    """The file, always as a download under its sanitised name and its sniffed type (never shown inline)."""

    def has_permission(self) -> bool:
        return True  # seeing the parent is the right to read its attachments (attachments_visible_to)

    def get(self, request, *args, **kwargs):
        attachment = self.attachment
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.file_type
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AttachmentRemoveView(AttachmentLookupMixin, ServiceFormMixin, FormView):
    """Asks first (what would be removed), then removes the attachment and its file."""

    form_class = forms.Form
    template_name = "core/_attachments_remove.html"
    heading = _("Remove the file")

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def get_success_message(self) -> str:
        return str(_("{name} was removed.").format(name=self.attachment.original_name))

    def perform(self, form):
        attachment_remove(attachment=self.attachment, check=self.check)
