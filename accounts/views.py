from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView

from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from .choices import Role
from .filters import UserFilter
from .forms import InvitationAcceptForm, InvitationForm, NotificationSettingsForm, UserActiveForm, UserMoveForm
from .invitations import invitation_accept, invitation_for_link, invitation_send
from .selectors import invitations_open_for, users_visible_to
from .services import user_active_set, user_mail_delivery_set, user_move


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
