"""What every page shares: who may open it, and how a form or a button reaches a service.

The refusal policy, in one place: a page about something the user may not know exists (another
county's dialogue, submission, report or edit page) answers 404, exactly as a missing object
does; a page whose existence is no secret (a role-only page such as "edit the forum") answers
403. Objects are looked up through the app's visibility selectors first, so an object outside
them is a 404 before any permission is asked.

A page that saves goes through one path: the form validates input, `perform()` calls the
service, a `ValidationError` from the service lands on the form (on its field where the form has
one), a `StaleEditError` shows the stale-edit message with the user's text kept, and success
gives one message and a redirect.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.views.generic import View
from django.views.generic.edit import FormMixin

from .concurrency import StaleEditError


def refuse(*, private: bool):
    """Stop the request: 404 where the object's existence is private, 403 otherwise."""
    if private:
        raise Http404
    raise PermissionDenied


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence for a message banner."""
    return " ".join(error.messages)


class PermissionMixin:
    """Checks `permission_required` on `get_permission_object()` before the page runs.

    `existence_private = True` makes a refusal a 404 (see the module's policy). Subclasses that
    look an object up do it in `load()`, which runs first, so the permission can be asked of it.
    """

    permission_required: str | None = None
    existence_private = False

    def load(self) -> None:
        """Look up what the page is about (through a visibility selector: 404 outside it)."""

    def get_permission_object(self):
        return None

    def has_permission(self) -> bool:
        if not self.permission_required:
            return True
        return self.request.user.has_perm(self.permission_required, self.get_permission_object())

    def dispatch(self, request, *args, **kwargs):
        self.load()
        if not self.has_permission():
            refuse(private=self.existence_private)
        return super().dispatch(request, *args, **kwargs)


class ServiceFormMixin(FormMixin):
    """A form page whose valid form is handed to a service in `perform(form)`.

    `perform` returns what was saved (kept as `self.object` for the success URL) or None.
    """

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def get_success_message(self) -> str:
        return str(self.success_message)

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except StaleEditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if saved is not None:
            self.object = saved
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceActionView(PermissionMixin, View):
    """A button (POST only) that asks a service to do one thing, then goes back to a page.

    A `ValidationError` from the service becomes an error message; nothing is changed.
    """

    http_method_names = ["post"]
    success_message = ""

    def perform(self):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return str(self.success_message)

    def get_success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            result = self.perform()
        except (StaleEditError, ValidationError) as error:
            text = str(error) if isinstance(error, StaleEditError) else error_text(error)
            messages.error(request, text)
        else:
            message = self.get_success_message(result)
            if message:
                messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())
