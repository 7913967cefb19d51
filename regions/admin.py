from django.contrib import admin

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


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
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
