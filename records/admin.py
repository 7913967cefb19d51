from django.contrib import admin

from .models import Case, DisposalLog, DisposalRun, Record, RecordSeries, RetentionRule, SecrecyMarking


@admin.register(RecordSeries)
class RecordSeriesAdmin(admin.ModelAdmin):
    """Read-only: a counter changed by hand would give a number twice or leave a gap."""

    list_display = ("prefix", "year", "last_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "number", "parent", "created_at")
    search_fields = ("title", "number")
    readonly_fields = ("parent", "subject_type", "subject_id", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Record)
class RecordAdmin(admin.ModelAdmin):
    """Read-only: records are made by the events that make a document official, and kept."""

    list_display = ("number", "title", "document_type", "direction", "document_date", "registered_at")
    list_filter = ("document_type", "direction")
    search_fields = ("number", "title", "sender_name", "recipient_name")
    list_select_related = ("case",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecrecyMarking)
class SecrecyMarkingAdmin(admin.ModelAdmin):
    list_display = ("osl_reference", "target_type", "target_id", "decided_by", "decided_at", "lifted_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """The administrator's table of retention rules: one row per kind (arkivlagen 10 §)."""

    list_display = ("kind", "action", "period", "unit", "delete_content", "decision", "updated_at")
    list_filter = ("action",)
    readonly_fields = ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False  # a kind without a rule is kept; say KEEP instead, so the change is logged


@admin.register(DisposalRun)
class DisposalRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "trigger", "user", "disposed_count", "finished_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalLog)
class DisposalLogAdmin(admin.ModelAdmin):
    """Read-only and append-only: the log of what was disposed of is never changed or disposed of."""

    list_display = ("disposed_at", "kind", "identifier", "title", "basis_date", "rule", "run")
    list_filter = ("kind",)
    search_fields = ("identifier", "title")
    list_select_related = ("run",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
