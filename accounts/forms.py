from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core.mail import mail_send
from core.models import MailDelivery

from .choices import Role
from .models import User


class _RoleRegionMixin:
    """A county is chosen for regional users, and only for them; say so on the field."""

    def clean(self):
        cleaned = super().clean()
        role, region = cleaned.get("role"), cleaned.get("region")
        if role == Role.REGION and region is None:
            self.add_error("region", _("Choose the county this regional user belongs to."))
        elif role and role != Role.REGION and region is not None:
            self.add_error("region", _("Only regional users belong to a county; leave it empty."))
        return cleaned


class UserCreationForm(_RoleRegionMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "title", "organisation", "role", "region")


class UserEditForm(_RoleRegionMixin, UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "title", "organisation", "role", "region", "is_registrar", "is_active")


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong. Check both and try again."),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail stored in the outbox and sent by the worker after
    commit: the request never talks to the SMTP server, so its answer time does not tell whether the
    address has an account, and the e-mail is not lost while the SMTP server is away."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        mail_send(recipients=[to_email], subject=subject, body=body)


class NotificationSettingsForm(forms.Form):
    """How the person wants the portal's work notifications: each at once, or one digest a day.

    One of the two is always chosen (immediate by default), so the radio buttons carry no `required`
    attribute: a value the form does not know is refused with a message instead."""

    use_required_attribute = False

    mail_delivery = forms.ChoiceField(
        label=_("How do you want the portal's e-mail notifications?"),
        choices=MailDelivery.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The daily digest comes once a day, in the morning, and holds every notification since the "
            "previous one, each with its link. E-mails about your password always come at once."
        ),
        error_messages={"invalid_choice": _("Choose immediate e-mails or one daily digest.")},
    )


class SecondFactorCodeForm(forms.Form):
    """The six digits of the authenticator app. WCAG 2.2 3.3.8: the browser or the phone may fill
    it in (autocomplete="one-time-code"), pasting works, the keyboard is a numeric one."""

    field_name = "code"
    recovery = False

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows for this portal. Spaces do not matter."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the six digits your authenticator app shows.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The code is six digits, such as 123 456."))
        return code


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes, for a person without their phone. Each works once."""

    field_name = "recovery_code"
    recovery = True

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=32,
        help_text=_("One of the recovery codes you saved when you set up the app. Each code works once."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Type one of your recovery codes.")},
    )

    def clean_recovery_code(self):
        code = "".join(self.cleaned_data["recovery_code"].split()).lower()
        if not code.isascii() or not code.isalnum():
            raise forms.ValidationError(_("A recovery code is eight letters and digits."))
        return code
