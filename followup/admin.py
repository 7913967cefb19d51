from django.contrib import admin

from .models import Allocation, Appropriation, CoFinancing, Expenditure, ResultIndicator


@admin.register(Appropriation)
class AppropriationAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "total_amount", "is_demo"]


class ExpenditureInline(admin.TabularInline):
    model = Expenditure
    extra = 0
    raw_id_fields = ["priority"]


class CoFinancingInline(admin.TabularInline):
    model = CoFinancing
    extra = 0


class ResultIndicatorInline(admin.TabularInline):
    model = ResultIndicator
    extra = 0
    raw_id_fields = ["priority"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["region", "appropriation", "frame_amount", "is_demo"]
    list_filter = ["appropriation__year", "region"]
    list_select_related = ["region", "appropriation"]
    inlines = [ExpenditureInline, CoFinancingInline, ResultIndicatorInline]
