from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, PasswordResetForm, UserChangeForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from core.mail import mail_send
from core.models import MailDelivery

from .choices import CountyRole, Role
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
        if role == Role.REGION and not cleaned.get("county_role"):
            self.add_error("county_role", _("Choose what the person may do for the county."))
        elif role and role != Role.REGION:
            cleaned["county_role"] = ""
        return cleaned


class UserCreationForm(_RoleRegionMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "title", "organisation", "role", "region", "county_role")


class UserEditForm(_RoleRegionMixin, UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "title",
            "organisation",
            "role",
            "region",
            "county_role",
            "is_registrar",
            "is_active",
        )


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


# --- Invitations and user administration ---------------------------------------------------


class _CountyRoleMixin:
    """A regional user gets a county and a role in it; others get neither."""

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == Role.REGION:
            if "region" in self.fields and cleaned.get("region") is None:
                self.add_error("region", _("Choose the county this regional user belongs to."))
            if not cleaned.get("county_role"):
                self.add_error("county_role", _("Choose what the person may do for the county."))
        elif role:
            cleaned["region"], cleaned["county_role"] = None, ""
        return cleaned


def _region_field():
    counties = User._meta.get_field("region").related_model  # regions sits above accounts
    return forms.ModelChoiceField(
        label=_("County"),
        queryset=counties.objects.order_by("name"),
        required=False,
        help_text=_("Regional users only."),
    )


def _county_role_field(required=False):
    return forms.ChoiceField(
        label=_("Role in the county"),
        choices=[("", "---------"), *CountyRole.choices] if not required else CountyRole.choices,
        required=required,
        help_text=_(
            "Who may submit sends in the county's submission and answers the ministry's returns; an editor drafts."
        ),
    )


class InvitationForm(_CountyRoleMixin, forms.Form):
    """Whom to invite, and with which role. A county director chooses only the role in the county."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.ADMIN])

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        if inviter.role == Role.ADMIN:
            self.fields["role"].choices = Role.choices
        if inviter.role == Role.REGION:
            del self.fields["role"]
            self.fields["county_role"] = _county_role_field(required=True)
        else:
            self.fields["region"] = _region_field()
            self.fields["county_role"] = _county_role_field()

    def clean(self):
        if self.inviter.role == Role.REGION:
            self.cleaned_data["role"] = Role.REGION
            self.cleaned_data["region"] = self.inviter.region
        return super().clean()


class UserMoveForm(_CountyRoleMixin, forms.Form):
    """The ministry's form: role, county and role in the county. A county director's has only the
    role in the county."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.ADMIN])

    def __init__(self, *args, actor, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if actor.role == Role.ADMIN or user.role == Role.ADMIN:
            self.fields["role"].choices = Role.choices
        if actor.role == Role.REGION:
            del self.fields["role"]
            self.fields["county_role"] = _county_role_field(required=True)
        else:
            self.fields["region"] = _region_field()
            self.fields["county_role"] = _county_role_field()

    def clean(self):
        if "role" not in self.fields:
            self.cleaned_data["role"] = self.user.role
            self.cleaned_data["region"] = self.user.region
        return super().clean()


class UserActiveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    active = forms.BooleanField(widget=forms.HiddenInput, required=False)


class InvitationAcceptForm(forms.Form):
    """The invited person's name and password (Django's password validators apply)."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        elif first and not self.errors:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


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
