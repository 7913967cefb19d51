from django.contrib import admin

from .models import AgendaItem, Attendance, CalendarSubscription, Forum, Meeting, MeetingDocument, Membership


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "start_year", "end_year", "chair")
    list_select_related = ("chair",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("contact", "forum", "region", "role", "valid_from", "valid_to")
    list_filter = ("forum", "role", "region")
    list_select_related = ("contact", "forum", "region")
    search_fields = ("contact__name",)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ("position", "title", "topic", "presenter")
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "start", "status", "reminder_sent_at")
    list_filter = ("forum", "status")
    list_select_related = ("forum",)
    inlines = [AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("meeting", "contact", "status")
    list_select_related = ("meeting", "contact")


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "meeting", "content_type", "size", "uploaded_at")
    list_select_related = ("meeting",)
    readonly_fields = ("file", "content_type", "size", "uploaded_by")


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(admin.ModelAdmin):
    """Who has a secret calendar address: an administrator can stop one (delete) if it leaked.
    The address itself is never stored, so there is nothing else to see or change."""

    list_display = ("user", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__full_name")
    fields = ("user", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
