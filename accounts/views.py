from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from core.views import PermissionMixin, ServiceFormMixin

from .forms import NotificationSettingsForm
from .services import user_mail_delivery_set


class NotificationSettingsView(PermissionMixin, ServiceFormMixin, FormView):
    """My account / Notifications: the person's own choice of immediate e-mails or a daily digest.
    Every logged-in user has one, about themselves only, so no permission is asked."""

    template_name = "accounts/notification_settings.html"
    form_class = NotificationSettingsForm
    success_message = _("Your choice of e-mail notifications has been saved.")

    def get_initial(self):
        return {"mail_delivery": self.request.user.mail_delivery}

    def perform(self, form):
        return user_mail_delivery_set(user=self.request.user, mail_delivery=form.cleaned_data["mail_delivery"])

    def get_success_url(self):
        return reverse("notification_settings")
