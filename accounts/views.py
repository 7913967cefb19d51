from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView

from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from . import mfa
from .choices import Role
from .filters import UserFilter
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    NotificationSettingsForm,
    RecoveryCodeForm,
    SecondFactorCodeForm,
    UserActiveForm,
    UserMoveForm,
)
from .invitations import invitation_accept, invitation_for_link, invitation_send
from .lockout import second_factor_failed, second_factor_locked, second_factor_succeeded
from .selectors import (
    device_description,
    invitations_open_for,
    recovery_codes_left,
    user_sessions_active,
    users_visible_to,
)
from .services import (
    recovery_codes_generate,
    second_factor_check,
    second_factor_disable,
    totp_enrol_confirm,
    totp_enrol_start,
    user_active_set,
    user_mail_delivery_set,
    user_move,
    user_session_end,
    user_sessions_end,
)

# The recovery codes just made, kept in the session until the person leaves their page (shown once).
FRESH_CODES_SESSION_KEY = "recovery_codes_fresh"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


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


# --- User administration and invitations --------------------------------------------------


class UserListView(PermissionMixin, ListView):
    """The ministry's list of every account (a county director's: their county's), filtered by
    role, county and whether active, with the invitations not yet used."""

    permission_required = "accounts.view_user_list"
    template_name = "accounts/user_list.html"
    context_object_name = "people"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = UserFilter(self.request.GET or None, queryset=users_visible_to(self.request.user))
        if self.request.user.role == Role.REGION:
            del self.filterset.form.fields["region"]
            del self.filterset.form.fields["role"]
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset,
            query=query.urlencode(),
            invitations=invitations_open_for(self.request.user)[:50],
            **kwargs,
        )


class ManagedUserMixin(PermissionMixin):
    """A page about one account the user may keep (a 404 outside `users_visible_to`)."""

    permission_required = "accounts.manage_user"
    existence_private = True

    def load(self) -> None:
        self.person = get_object_or_404(users_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.person

    def get_success_url(self) -> str:
        return reverse("user_update", kwargs={"pk": self.person.pk})


class UserUpdateView(ManagedUserMixin, ServiceFormMixin, FormView):
    """One account: move it to another role or county (the ministry), switch between director and
    editor (a county director), deactivate or activate it; with its change history."""

    template_name = "accounts/user_form.html"
    success_message = _("The account has been changed.")

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        initial = {
            "version": self.person.version,
            "role": self.person.role,
            "region": self.person.region_id,
            "county_role": self.person.county_role,
        }
        return UserMoveForm(data, initial=initial, actor=self.request.user, user=self.person)

    def get_context_data(self, **kwargs):
        active_form = UserActiveForm(initial={"version": self.person.version, "active": not self.person.is_active})
        return super().get_context_data(person=self.person, active_form=active_form, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return user_move(
            actor=self.request.user,
            user=self.person,
            expected_version=data["version"],
            role=data["role"],
            region=data.get("region"),
            county_role=data.get("county_role", ""),
        )


class UserActiveView(ManagedUserMixin, ServiceActionView):
    """The button that deactivates an account (or activates it again)."""

    def perform(self):
        form = UserActiveForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("The page was out of date. Reload it and try again."))
        self.active = form.cleaned_data["active"]
        return user_active_set(
            actor=self.request.user,
            user=self.person,
            active=self.active,
            expected_version=form.cleaned_data["version"],
        )

    def get_success_message(self, result) -> str:
        if self.active:
            return _("{name} can log in again.").format(name=self.person.full_name)
        return _("{name} has been deactivated and can no longer log in.").format(name=self.person.full_name)


class InvitationCreateView(PermissionMixin, ServiceFormMixin, FormView):
    """Invite a person by e-mail: the ministry to any role, a county director to their county."""

    permission_required = "accounts.invite_user"
    template_name = "accounts/invitation_form.html"

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return InvitationForm(data, inviter=self.request.user)

    def perform(self, form):
        data = form.cleaned_data
        self.invitation = invitation_send(
            inviter=self.request.user,
            email=data["email"],
            role=data["role"],
            region=data.get("region"),
            county_role=data.get("county_role", ""),
            base_url=self.request.build_absolute_uri("/")[:-1],
        )

    def get_success_message(self) -> str:
        return _("An invitation has been sent to {email}. The link works for {days} days.").format(
            email=self.invitation.email, days=settings.INVITATION_VALID_DAYS
        )

    def get_success_url(self) -> str:
        return reverse("user_list")


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(ServiceFormMixin, FormView):
    """The invited person's page: the link's secret is the key (no log-in). They choose their name
    and password; then they log in as usual. A used, expired or replaced link says so."""

    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.lookup = invitation_for_link(pk=kwargs["pk"], token=kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        email = self.lookup.invitation.email if self.lookup.invitation else ""
        return InvitationAcceptForm(data, email=email)

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitation=self.lookup.invitation, problem=self.lookup.problem, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.lookup.invitation is None:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return invitation_accept(
            pk=self.kwargs["pk"],
            token=self.kwargs["token"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )

    def get_success_message(self) -> str:
        return _("Your account has been created. Log in with your e-mail address and your new password.")

    def get_success_url(self) -> str:
        return reverse("login")


# --- The second factor ------------------------------------------------------------------------


class SecondFactorVerifyView(FormView):
    """The step after the password: a code from the authenticator app, or a recovery code. A wrong
    code counts as a failed log-in (django-axes): enough of them lock the account out from this
    address, this session ends and the password step is refused too until the cool-off has passed."""

    template_name = "accounts/second_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if mfa.second_factor_pending(request) != mfa.VERIFY:
            return HttpResponseRedirect(_next_url(request))
        if second_factor_locked(request, request.user):
            return self.locked_out()
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return RecoveryCodeForm if "recovery_code" in self.request.POST else SecondFactorCodeForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["code_form"] = form if not form.recovery else SecondFactorCodeForm()
        context["recovery_form"] = form if form.recovery else RecoveryCodeForm()
        context["recovery_open"] = form.recovery
        context["next"] = _next_url(self.request)
        # Half logged in: the page keeps no typed text (static/js/keep-work.js), nor sweeps away what
        # the user typed before their session ended, so it is offered back after the code.
        context["half_logged_in"] = True
        return context

    def form_valid(self, form):
        request, user = self.request, self.request.user
        device = second_factor_check(user=user, code=form.cleaned_data[form.field_name], recovery=form.recovery)
        if device is None:
            if second_factor_failed(request, user):
                return self.locked_out()
            form.add_error(
                form.field_name,
                _("The code is not right, or it has been used already. Wait for the next code and try again.")
                if not form.recovery
                else _("This recovery code is not right, or it has been used already."),
            )
            return self.form_invalid(form)
        second_factor_succeeded(request, user)
        mfa.second_factor_passed(request, device)
        if form.recovery:
            messages.warning(
                request,
                _t("You logged in with a recovery code, which now no longer works. Codes left: {count}.").format(
                    count=recovery_codes_left(user)
                ),
            )
        return HttpResponseRedirect(_next_url(request))

    def locked_out(self):
        """End the half-logged-in session; django-axes' middleware answers with the lockout page."""
        request = self.request
        credentials = {"username": request.user.get_username()}
        logout(request)
        request.axes_locked_out = True
        request.axes_credentials = credentials
        return HttpResponseRedirect(reverse("login"))


class SecondFactorView(TemplateView):
    """My account / Two-factor authentication: whether an authenticator app is set up, the recovery
    codes left, and the buttons to set one up, make new codes or (where allowed) turn it off."""

    template_name = "accounts/second_factor.html"

    def get(self, request, *args, **kwargs):
        request.session.pop(FRESH_CODES_SESSION_KEY, None)  # the fresh codes were shown once: gone
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            has_authenticator=mfa.has_authenticator(user),
            mandatory=mfa.second_factor_mandatory(user),
            codes_left=recovery_codes_left(user),
            **kwargs,
        )


class TotpEnrolView(ServiceFormMixin, FormView):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code.
    An account that must have one comes here straight after the password and cannot leave it
    except by logging out."""

    template_name = "accounts/totp_enrol.html"
    form_class = SecondFactorCodeForm
    success_message = _("Two-factor authentication is on. Save your recovery codes now.")

    def get_context_data(self, **kwargs):
        device = totp_enrol_start(user=self.request.user)
        secret = b32encode(device.bin_key).decode()
        qr = segno.make(device.config_url, error="m")
        required_now = mfa.second_factor_pending(self.request) == mfa.ENROL
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=5, border=2, title=_t("QR code for your authenticator app"), svgclass="qr"),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
            required_now=required_now,
            half_logged_in=required_now,
            **kwargs,
        )

    def perform(self, form):
        codes = totp_enrol_confirm(user=self.request.user, code=form.cleaned_data["code"])
        mfa.second_factor_passed(self.request)
        self.request.session[FRESH_CODES_SESSION_KEY] = codes
        return None

    def get_success_url(self):
        return reverse("recovery_codes")


class RecoveryCodesView(TemplateView):
    """The ten recovery codes just made, shown this once (and downloadable as text); POST makes new
    ones, which replace the old."""

    template_name = "accounts/recovery_codes.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            codes=self.request.session.get(FRESH_CODES_SESSION_KEY),
            has_authenticator=mfa.has_authenticator(self.request.user),
            **kwargs,
        )


class RecoveryCodesGenerateView(ServiceActionView):
    success_message = _("New recovery codes have been made; the old ones no longer work.")

    def perform(self):
        self.request.session[FRESH_CODES_SESSION_KEY] = recovery_codes_generate(user=self.request.user)

    def get_success_url(self):
        return reverse("recovery_codes")


class RecoveryCodesDownloadView(TemplateView):
    """The fresh recovery codes as a text file, while their page is still open."""

    def get(self, request, *args, **kwargs):
        codes = request.session.get(FRESH_CODES_SESSION_KEY)
        if not codes:
            messages.info(request, _t("Recovery codes are shown only once. Make new ones if you need them."))
            return HttpResponseRedirect(reverse("recovery_codes"))
        lines = [
            _t("Recovery codes for {portal} ({email})").format(
                portal=settings.OTP_TOTP_ISSUER, email=request.user.email
            ),
            _t("Each code works once, in place of a code from your authenticator app."),
            "",
            *codes,
            "",
        ]
        response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reservkoder.txt"'
        response["Cache-Control"] = "no-store"
        return response


class SecondFactorDisableView(ServiceActionView):
    """Turn two-factor authentication off: only for an account whose role does not require it."""

    success_message = _("Two-factor authentication is off. You log in with your password only.")

    def perform(self):
        second_factor_disable(user=self.request.user)
        self.request.session.pop(FRESH_CODES_SESSION_KEY, None)

    def get_success_url(self):
        return reverse("second_factor")


# --- Sessions ---------------------------------------------------------------------------------


class SessionListView(TemplateView):
    """My account / Sessions: where the person is logged in, the current session marked."""

    template_name = "accounts/sessions.html"

    def get_context_data(self, **kwargs):
        current = self.request.session.session_key
        sessions = list(user_sessions_active(self.request.user))
        for user_session in sessions:
            user_session.is_current = user_session.session_id == current
            user_session.device = device_description(user_session.user_agent)
        return super().get_context_data(sessions=sessions, **kwargs)


class SessionEndView(ServiceActionView):
    """End one of the person's own sessions (another person's is a 404)."""

    success_message = _("The session has ended. Whoever used it must log in again.")

    def load(self):
        self.user_session = get_object_or_404(user_sessions_active(self.request.user), pk=self.kwargs["pk"])

    def perform(self):
        current = self.user_session.session_id == self.request.session.session_key
        user_session_end(user_session=self.user_session)
        if current:
            logout(self.request)

    def get_success_url(self):
        return reverse("sessions") if self.request.user.is_authenticated else reverse("login")


class SessionsEndOthersView(ServiceActionView):
    def perform(self):
        return user_sessions_end(user=self.request.user, keep_session_key=self.request.session.session_key)

    def get_success_message(self, result):
        return _t("Your other sessions have ended ({count}).").format(count=result)

    def get_success_url(self):
        return reverse("sessions")


class SessionsEndAllView(ServiceActionView):
    """End every session of the person, this one too: they are logged out everywhere."""

    def perform(self):
        user_sessions_end(user=self.request.user)
        logout(self.request)

    def get_success_url(self):
        return reverse("login")
