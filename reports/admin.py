from django.contrib import admin

from .models import FeedbackReport, ReportComment


class ReportCommentInline(admin.TabularInline):
    model = ReportComment
    extra = 0
    readonly_fields = ("author", "created_at")


@admin.register(FeedbackReport)
class FeedbackReportAdmin(admin.ModelAdmin):
    """Generated files are written by the workers only; the admin can correct states and read errors."""

    list_display = ("round", "region", "language", "version", "is_current", "status", "attempts", "review_state")
    list_filter = ("round", "status", "review_state", "language")
    list_select_related = ("round", "region")
    readonly_fields = (
        "file",
        "checksum",
        "version",
        "is_current",
        "started_at",
        "finished_at",
        "published_at",
        "claim_task_id",
    )
    inlines = [ReportCommentInline]
