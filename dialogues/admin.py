"""Django's admin for administrators. Everyday work goes through the portal's own pages, whose
services keep the rules (deadlines, versions, carried actions); the admin is for corrections."""

from django.contrib import admin

from . import services
from .models import (
    Brief,
    Dialogue,
    DialogueDay,
    DialogueRound,
    FollowUpAction,
    JointCommitment,
    Observation,
    Participant,
    Session,
    Submission,
    SubmissionPriority,
    SubmissionResult,
    SubmissionVersion,
)


@admin.register(DialogueRound)
class DialogueRoundAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "status", "submission_deadline", "ends_on")
    list_filter = ("status",)
    filter_horizontal = ("themes",)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("contact",)


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ("region", "round", "kind", "start", "status")
    list_filter = ("round", "kind", "status")
    list_select_related = ("region", "round")
    search_fields = ("region__name", "topic", "place")
    inlines = [ParticipantInline]


class SubmissionPriorityInline(admin.TabularInline):
    model = SubmissionPriority
    extra = 0


class SubmissionResultInline(admin.TabularInline):
    model = SubmissionResult
    extra = 0


class SubmissionVersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    fields = ("number", "submitted_at", "submitted_by")
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("dialogue", "status", "submitted_at", "updated_at")
    list_filter = ("status", "dialogue__round")
    list_select_related = ("dialogue__region", "dialogue__round")
    readonly_fields = ("version",)
    inlines = [SubmissionPriorityInline, SubmissionResultInline, SubmissionVersionInline]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Saves and removals go through the services, so that the good example on the county's profile
    (read by every county) follows the observation: only while it is shared, and never after it."""

    list_display = ("title", "dialogue", "category", "shared_with_region", "is_good_example")
    list_filter = ("category", "shared_with_region", "is_good_example", "dialogue__round")
    list_select_related = ("dialogue__region", "dialogue__round")
    search_fields = ("title", "text")
    exclude = ("good_example",)

    def save_model(self, request, obj, form, change):
        services.observation_update(observation=obj)

    def delete_model(self, request, obj):
        services.observations_delete(observations=Observation.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.observations_delete(observations=queryset)


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ("what", "dialogue", "owner", "due_date", "status")
    list_filter = ("status", "dialogue__round")
    list_select_related = ("dialogue__region", "dialogue__round")
    search_fields = ("what", "owner")
    raw_id_fields = ("carried_from",)


@admin.register(Brief)
class BriefAdmin(admin.ModelAdmin):
    list_display = ("dialogue", "author", "updated_at")
    list_select_related = ("dialogue__region", "dialogue__round", "author")
    readonly_fields = ("version",)


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0
    filter_horizontal = ("regions", "agencies")


@admin.register(DialogueDay)
class DialogueDayAdmin(admin.ModelAdmin):
    list_display = ("title", "date", "place")
    filter_horizontal = ("regions", "agencies")
    inlines = [SessionInline]


@admin.register(JointCommitment)
class JointCommitmentAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "kind", "amount", "status", "due_date")
    list_filter = ("kind", "status", "region")
    list_select_related = ("region",)
