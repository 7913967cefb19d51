from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import UserCreationForm, UserEditForm
from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
