"""The GDPR actions (export personal data, anonymise) on the users' and the contacts' admin pages.

They compose several apps (portal/gdpr.py), so portal adds them to the admins that accounts and regions
register (portal comes last in INSTALLED_APPS, so those are registered when this module is imported).
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from accounts.admin import UserAdmin
from accounts.models import User
from regions.admin import ContactAdmin
from regions.models import Contact

from .gdpr import contact_anonymise, contact_personal_data, user_anonymise, user_personal_data


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
        "admin/portal/user_anonymise_confirmation.html",
        {**modeladmin.admin_site.each_context(request), "users": queryset, "opts": modeladmin.model._meta},
    )


@admin.action(description=_("Export personal data (JSON)"))
def export_contact_data(modeladmin, request, queryset):
    data = [contact_personal_data(contact=contact) for contact in queryset.select_related("organisation", "region")]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personuppgifter.json"'
    return response


@admin.action(description=_("Anonymise (erase personal data, keep the records)"))
def anonymise_contacts(modeladmin, request, queryset):
    """A contact with a user account is anonymised with the account (Users), which closes it too."""
    if request.POST.get("confirmed") != "yes":
        return TemplateResponse(
            request,
            "admin/portal/contact_anonymise_confirmation.html",
            {**modeladmin.admin_site.each_context(request), "contacts": queryset, "opts": modeladmin.model._meta},
        )
    anonymised = 0
    for contact in queryset.select_related("user"):
        if contact.user_id:
            message = _t(
                "{name} has a user account: anonymise the account under Users, which anonymises the contact too."
            )
            modeladmin.message_user(request, message.format(name=contact.name), messages.WARNING)
        else:
            contact_anonymise(contact=contact)
            anonymised += 1
    if anonymised:
        modeladmin.message_user(request, _t("The selected contacts were anonymised."), messages.SUCCESS)
    return None


admin.site.unregister(User)
admin.site.unregister(Contact)


@admin.register(User)
class PersonalDataUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, export_personal_data, anonymise]


@admin.register(Contact)
class PersonalDataContactAdmin(ContactAdmin):
    actions = [*ContactAdmin.actions, export_contact_data, anonymise_contacts]
