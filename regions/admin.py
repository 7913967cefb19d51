import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from accounts.services import contact_anonymise, contact_personal_data

from .models import (
    Contact,
    GoodExample,
    Organisation,
    Region,
    RegionalStrategy,
    RegionFollow,
    ResponsibilityPeriod,
    StrategyPriority,
    StrategyStage,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class ResponsibilityPeriodInline(admin.TabularInline):
    model = ResponsibilityPeriod
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "iso_code")
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ResponsibilityPeriodInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region")
    list_filter = ("kind", "themes")
    list_select_related = ("region",)
    search_fields = ("name", "short_name", "remit")
    filter_horizontal = ("themes",)


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
            "admin/regions/contact/anonymise_confirmation.html",
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


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    actions = [export_contact_data, anonymise_contacts]
    list_display = ("name", "title", "organisation", "region", "email")
    list_filter = ("region",)
    list_select_related = ("organisation", "region")
    search_fields = ("name", "title", "email", "organisation__name")
    autocomplete_fields = ("organisation", "region", "user")


class StrategyPriorityInline(admin.TabularInline):
    model = StrategyPriority
    extra = 0


class StrategyStageInline(admin.TabularInline):
    model = StrategyStage
    extra = 0


@admin.register(RegionalStrategy)
class RegionalStrategyAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "start_year", "end_year", "current_stage")
    list_filter = ("region", "current_stage")
    list_select_related = ("region",)
    search_fields = ("title",)
    readonly_fields = ("current_stage", "version")
    inlines = [StrategyPriorityInline, StrategyStageInline]


@admin.register(GoodExample)
class GoodExampleAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "theme", "year")
    list_filter = ("region", "theme", "year")
    list_select_related = ("region", "theme")
    search_fields = ("title", "summary")


@admin.register(RegionFollow)
class RegionFollowAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "created_at")
    list_select_related = ("user", "region")
