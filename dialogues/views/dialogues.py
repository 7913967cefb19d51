"""One dialogue: its page, schedule, status, observations, follow-up actions and brief."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, FormView, UpdateView, View

from accounts.rules import is_national_staff
from core.concurrency import StaleEditError

from .. import services
from ..choices import DialogueStatus, SubmissionStatus
from ..forms import (
    ActionForm,
    ActionProgressForm,
    BriefForm,
    DialogueForm,
    ObservationForm,
    ParticipantFormSet,
    ScheduleForm,
    contact_choices,
)
from ..selectors import (
    actions_visible_to,
    dialogue_for_page,
    dialogue_with_detail,
    observations_visible_to,
    previous_dialogue,
)
from .base import DialogueObjectMixin, RoundObjectMixin, error_text, require

# --- Dialogues ------------------------------------------------------------------------------


class DialogueCreateView(RoundObjectMixin, CreateView):
    """Bilateral talks or a deep dive with one county, in a round."""

    permission = "dialogues.add_dialogue"
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
        return super().get_context_data(
            national=national,
            submission=submission,
            brief=getattr(dialogue, "brief", None) if national else None,
            # Loaded only when the page's cached part has to be rendered again.
            detail=SimpleLazyObject(lambda: dialogue_with_detail(user, dialogue)),
            previous=SimpleLazyObject(lambda: previous_dialogue(user, dialogue)),
            submission_visible=submission is not None and (not national or submission.status != SubmissionStatus.DRAFT),
            **kwargs,
        )


class DialogueScheduleView(DialogueObjectMixin, FormView):
    permission = "dialogues.schedule_dialogue"
    form_class = ScheduleForm
    template_name = "dialogues/dialogue_schedule.html"

    def get_initial(self):
        d = self.dialogue
        return {"start": d.start, "end": d.end, "place": d.place, "video_link": d.video_link}

    def get_formset(self):
        kwargs = {"form_kwargs": {"contact_choices": contact_choices()}, "prefix": "participants"}
        if self.request.method == "POST":
            return ParticipantFormSet(self.request.POST, **kwargs)
        initial = [{"contact": p.contact_id, "side": p.side} for p in self.dialogue.participants.all()]
        return ParticipantFormSet(initial=initial, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            warnings = services.dialogue_schedule(
                dialogue=self.dialogue, participants=formset.participants(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("The dialogue has been scheduled."))
        for warning in warnings:
            messages.warning(request, warning)
        return redirect(self.dialogue)


class DialogueStatusView(DialogueObjectMixin, View):
    permission = "dialogues.schedule_dialogue"

    def post(self, request, pk):
        status = request.POST.get("status")
        if status not in (DialogueStatus.HELD, DialogueStatus.CANCELLED):
            messages.error(request, _("Unknown status."))
            return redirect(self.dialogue)
        try:
            services.dialogue_status_set(dialogue=self.dialogue, status=status)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("The dialogue is now marked as {status}.").format(status=DialogueStatus(status).label.lower()),
            )
        return redirect(self.dialogue)


# --- Observations, actions, briefs ----------------------------------------------------------


class ObservationCreateView(DialogueObjectMixin, FormView):
    permission = "dialogues.add_observation"
    form_class = ObservationForm
    template_name = "dialogues/observation_form.html"

    def form_valid(self, form):
        services.observation_create(dialogue=self.dialogue, author=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The observation has been recorded."))
        return redirect(self.dialogue)


class ObservationUpdateView(FormView):
    form_class = ObservationForm
    template_name = "dialogues/observation_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.observation = get_object_or_404(
            observations_visible_to(request.user).select_related("dialogue__round", "dialogue__region", "good_example"),
            pk=kwargs["pk"],
        )
        require(request.user, "dialogues.change_observation", self.observation)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.observation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.observation.dialogue, observation=self.observation, **kwargs)

    def form_valid(self, form):
        services.observation_update(observation=self.observation, **form.cleaned_data)
        messages.success(self.request, _("The observation has been saved."))
        return redirect(self.observation.dialogue)


class ActionCreateView(DialogueObjectMixin, CreateView):
    permission = "dialogues.add_followupaction"
    form_class = ActionForm
    template_name = "dialogues/action_form.html"

    def form_valid(self, form):
        form.instance.dialogue = self.dialogue
        form.save()
        messages.success(self.request, _("The follow-up action has been added."))
        return redirect(self.dialogue)


class ActionUpdateView(UpdateView):
    """The ministry changes the whole action; the county reports its progress."""

    template_name = "dialogues/action_form.html"
    context_object_name = "action"

    def get_queryset(self):
        return actions_visible_to(self.request.user).select_related("dialogue__round", "dialogue__region")

    def get_object(self, queryset=None):
        action = super().get_object(queryset)
        require(self.request.user, "dialogues.update_followupaction_progress", action)
        return action

    def get_form_class(self):
        if self.request.user.has_perm("dialogues.change_followupaction", self.object):
            return ActionForm
        return ActionProgressForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(dialogue=self.object.dialogue, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The follow-up action has been saved."))
        return redirect(self.object.dialogue)


class BriefEditView(DialogueObjectMixin, FormView):
    permission = "dialogues.change_brief"
    form_class = BriefForm
    template_name = "dialogues/brief_form.html"

    def dispatch(self, request, *args, **kwargs):
        # For a county a brief does not exist at all.
        if not is_national_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        brief = getattr(self.dialogue, "brief", None)
        return {**super().get_form_kwargs(), "instance": brief}

    def form_valid(self, form):
        try:
            services.brief_save(
                dialogue=self.dialogue,
                text=form.cleaned_data["text"],
                author=self.request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The brief has been saved."))
        return redirect(self.dialogue)
