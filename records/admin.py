from django.contrib import admin

from .models import Case, Record, RecordSeries, SecrecyMarking


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
