"""One dialogue: its page, schedule, status, observations, follow-up actions and brief."""

import rules
from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, UpdateView

from accounts.rules import is_national_staff
from core.attachments import attachments_of
from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin

from .. import services
from ..choices import DialogueStatus, SubmissionStatus
from ..forms import (
    ActionForm,
    ActionProgressForm,
    BriefForm,
    DeadlineExtensionForm,
    DialogueForm,
    ObservationForm,
    ParticipantFormSet,
    ScheduleForm,
    contact_choices,
)
from ..models import Brief
from ..selectors import (
    actions_visible_to,
    dialogue_for_page,
    dialogue_with_detail,
    observations_visible_to,
    previous_dialogue,
)
from .base import DialogueObjectMixin, RoundObjectMixin

# --- Dialogues ------------------------------------------------------------------------------


class DialogueCreateView(RoundObjectMixin, CreateView):
    """Bilateral talks or a deep dive with one county, in a round."""

    permission_required = "dialogues.add_dialogue"
    form_class = DialogueForm
    template_name = "dialogues/dialogue_form.html"

    def get_object(self, queryset=None):
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def form_valid(self, form):
        form.instance.round = self.round
        return super().form_valid(form)


class DialogueDetailView(DetailView):
    """The dialogue, and beside it what has developed since the county's previous dialogue."""

    template_name = "dialogues/dialogue_detail.html"
    context_object_name = "dialogue"

    def get_queryset(self):
        return dialogue_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        dialogue = self.object
        user = self.request.user
        national = is_national_staff(user)
        submission = getattr(dialogue, "submission", None)
        brief = getattr(dialogue, "brief", None) if national else None
        return super().get_context_data(
            national=national,
            submission=submission,
            brief=brief,
            **self.brief_attachment_context(brief),
            # Loaded only when the page's cached part has to be rendered again.
            detail=SimpleLazyObject(lambda: dialogue_with_detail(user, dialogue)),
            previous=SimpleLazyObject(lambda: previous_dialogue(user, dialogue)),
            submission_visible=submission is not None and (not national or submission.status != SubmissionStatus.DRAFT),
            **kwargs,
        )

    def brief_attachment_context(self, brief) -> dict:
        """The brief's files (loaded with the page's cached part); the agency adds and removes them."""
        if brief is None:
            return {}
        user = self.request.user
        can_add = rules.has_perm("dialogues.add_brief_attachment", user, brief)
        attached = SimpleLazyObject(lambda: list(attachments_of([brief], user=user)))
        return {
            "attachments": attached,
            "add_url": reverse("dialogues:brief_attachment_add", kwargs={"pk": brief.dialogue_id}) if can_add else "",
            # A final brief's files are official documents: they stay.
            "removable": SimpleLazyObject(lambda: {a.pk for a in attached})
            if can_add and not brief.is_final
            else set(),
        }


class BriefFinalView(DialogueObjectMixin, ServiceActionView):
    """The agency marks its brief final: the text is frozen and the brief registered (records)."""

    permission_required = "dialogues.finalise_brief"
    success_message = gettext_lazy("The brief is final and has been registered as an official document.")

    @property
    def existence_private(self) -> bool:
        return not self.request.user.has_perm("dialogues.view_brief", self.dialogue)

    def perform(self):
        brief = get_object_or_404(Brief, dialogue=self.dialogue)
        version = self.request.POST.get("version", "")
        return services.brief_mark_final(
            brief=brief, user=self.request.user, expected_version=int(version) if version.isdigit() else None
        )

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url() + "#brief-heading"


class DialogueScheduleView(DialogueObjectMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.schedule_dialogue"
    form_class = ScheduleForm
    template_name = "dialogues/dialogue_schedule.html"
    success_message = gettext_lazy("The dialogue has been scheduled.")

    def get_initial(self):
        d = self.dialogue
        return {"start": d.start, "end": d.end, "place": d.place, "video_link": d.video_link}

    def get_formset(self):
        if not hasattr(self, "_formset"):
            kwargs = {"form_kwargs": {"contact_choices": contact_choices()}, "prefix": "participants"}
            if self.request.method == "POST":
                self._formset = ParticipantFormSet(self.request.POST, **kwargs)
            else:
                initial = [{"contact": p.contact_id, "side": p.side} for p in self.dialogue.participants.all()]
                self._formset = ParticipantFormSet(initial=initial, **kwargs)
        return self._formset

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self.get_formset()
        if form.is_valid() and formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def perform(self, form):
        self.warnings = services.dialogue_schedule(
            dialogue=self.dialogue, participants=self.get_formset().participants(), **form.cleaned_data
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        for warning in getattr(self, "warnings", ()):
            messages.warning(self.request, warning)
        return response

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url()


class DialogueStatusView(DialogueObjectMixin, ServiceActionView):
    """The buttons "Mark as held" and "Cancel the dialogue"."""

    permission_required = "dialogues.schedule_dialogue"

    def perform(self):
        status = self.request.POST.get("status")
        if status not in (DialogueStatus.HELD, DialogueStatus.CANCELLED):
            raise ValidationError(_("Unknown status."))
        return services.dialogue_status_set(dialogue=self.dialogue, status=status)

    def get_success_message(self, result) -> str:
        return _("The dialogue is now marked as {status}.").format(status=result.get_status_display().lower())

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url()


# --- Observations, actions, briefs ----------------------------------------------------------


class ObservationCreateView(DialogueObjectMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.add_observation"
    form_class = ObservationForm
    template_name = "dialogues/observation_form.html"
    success_message = gettext_lazy("The observation has been recorded.")

    def perform(self, form):
        services.observation_create(dialogue=self.dialogue, author=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url()


class ObservationUpdateView(PermissionMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.change_observation"
    form_class = ObservationForm
    template_name = "dialogues/observation_form.html"
    success_message = gettext_lazy("The observation has been saved.")

    def load(self) -> None:
        self.observation = get_object_or_404(
            observations_visible_to(self.request.user).select_related(
                "dialogue__round", "dialogue__region", "good_example"
            ),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.observation

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.observation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.observation.dialogue, observation=self.observation, **kwargs)

    def perform(self, form):
        services.observation_update(observation=self.observation, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.observation.dialogue.get_absolute_url()


class ActionCreateView(DialogueObjectMixin, SuccessMessageMixin, CreateView):
    permission_required = "dialogues.add_followupaction"
    form_class = ActionForm
    template_name = "dialogues/action_form.html"
    success_message = gettext_lazy("The follow-up action has been added.")

    def form_valid(self, form):
        form.instance.dialogue = self.dialogue
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url()


class ActionUpdateView(PermissionMixin, SuccessMessageMixin, UpdateView):
    """The ministry changes the whole action; the county reports its progress."""

    permission_required = "dialogues.update_followupaction_progress"
    template_name = "dialogues/action_form.html"
    context_object_name = "action"
    success_message = gettext_lazy("The follow-up action has been saved.")

    def load(self) -> None:
        self.object = get_object_or_404(
            actions_visible_to(self.request.user).select_related("dialogue__round", "dialogue__region"),
            pk=self.kwargs["pk"],
        )

    def get_permission_object(self):
        return self.object

    def get_object(self, queryset=None):
        return self.object

    def get_form_class(self):
        if self.request.user.has_perm("dialogues.change_followupaction", self.object):
            return ActionForm
        return ActionProgressForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.object.dialogue, **kwargs)

    def get_success_url(self) -> str:
        return self.object.dialogue.get_absolute_url()


class SubmissionDeadlineView(DialogueObjectMixin, ServiceFormMixin, FormView):
    """The ministry gives the dialogue's county a later deadline than the round's."""

    permission_required = "dialogues.extend_deadline"
    form_class = DeadlineExtensionForm
    template_name = "dialogues/submission_deadline.html"
    success_message = gettext_lazy("The county's deadline has been extended, and the county has been told.")

    def get_initial(self):
        submission = getattr(self.dialogue, "submission", None)
        if submission is None or submission.deadline_extended_to is None:
            return {}
        return {"deadline": submission.deadline_extended_to, "reason": submission.deadline_extension_reason}

    def get_context_data(self, **kwargs):
        return super().get_context_data(submission=getattr(self.dialogue, "submission", None), **kwargs)

    def perform(self, form):
        services.submission_deadline_extend(dialogue=self.dialogue, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("dialogues:round_close", args=[self.dialogue.round_id])


class BriefEditView(DialogueObjectMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.change_brief"
    form_class = BriefForm
    template_name = "dialogues/brief_form.html"
    success_message = gettext_lazy("The brief has been saved.")

    @property
    def existence_private(self) -> bool:
        # For a county a brief does not exist at all (404); the ministry reads it but may not write (403).
        return not self.request.user.has_perm("dialogues.view_brief", self.dialogue)

    def get_form_kwargs(self):
        brief = getattr(self.dialogue, "brief", None)
        return {**super().get_form_kwargs(), "instance": brief}

    def perform(self, form):
        services.brief_save(
            dialogue=self.dialogue,
            text=form.cleaned_data["text"],
            author=self.request.user,
            expected_version=form.cleaned_data.get("version"),
        )

    def get_success_url(self) -> str:
        return self.dialogue.get_absolute_url()
