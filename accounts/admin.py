import json

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from .forms import UserCreationForm, UserEditForm
from .models import User
from .services import user_anonymise, user_personal_data


@admin.action(description=_("Export personal data (JSON)"))
def export_personal_data(modeladmin, request, queryset):
    data = [user_personal_data(user=user) for user in queryset.select_related("region")]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personuppgifter.json"'
    return response


@admin.action(description=_("Anonymise (erase personal data, keep the records)"))
def anonymise(modeladmin, request, queryset):
    if request.POST.get("confirmed") == "yes":
        for user in queryset:
            user_anonymise(user=user)
        modeladmin.message_user(request, _t("The selected users were anonymised."), messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "admin/accounts/user/anonymise_confirmation.html",
        {**modeladmin.admin_site.each_context(request), "users": queryset, "opts": modeladmin.model._meta},
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    actions = [export_personal_data, anonymise]
    list_display = ("email", "full_name", "role", "region", "is_active", "last_login")
    list_filter = ("role", "region", "is_active")
    list_select_related = ("region",)
    search_fields = ("email", "full_name", "organisation")
    ordering = ("full_name",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "organisation")}),
        (_("Role"), {"fields": ("role", "region", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "title", "organisation", "role", "region", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
