from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import UserCreationForm, UserEditForm
from .models import OidcIdentity, User
from .services import second_factor_reset, user_sessions_end


class OidcIdentityInline(admin.TabularInline):
    """The single sign-on identities tied to the account (stored at its first log-in by single
    sign-on); deleting one lets the next log-in match the account by e-mail again."""

    model = OidcIdentity
    extra = 0
    fields = readonly_fields = ("issuer", "subject", "created")

    def has_add_permission(self, request, obj=None):
        return False


# django-otp's own admin pages show each user's secret key and QR code: an administrator resets a
# user's second factor with the action below instead, and never sees a key.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = (OidcIdentityInline,)
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "role", "region", "county_role", "is_registrar", "is_active", "last_login")
    list_filter = ("role", "region", "is_active")
    list_select_related = ("region",)
    search_fields = ("email", "full_name", "organisation")
    ordering = ("full_name",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "organisation")}),
        (_("Role"), {"fields": ("role", "region", "county_role", "is_registrar", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "title",
                    "organisation",
                    "role",
                    "region",
                    "county_role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor_reset(user=user, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication was reset for %(count)d user; their sessions have ended.",
                "Two-factor authentication was reset for %(count)d users; their sessions have ended.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A deactivated user is logged out everywhere at once, not at their next request.
            user_sessions_end(user=obj)
