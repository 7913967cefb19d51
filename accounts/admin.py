from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import UserCreationForm, UserEditForm
from .models import OidcIdentity, User


class OidcIdentityInline(admin.TabularInline):
    """The single sign-on identities tied to the account (stored at its first log-in by single
    sign-on); deleting one lets the next log-in match the account by e-mail again."""

    model = OidcIdentity
    extra = 0
    fields = readonly_fields = ("issuer", "subject", "created")

    def has_add_permission(self, request, obj=None):
        return False


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
