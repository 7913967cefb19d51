"""The agency's dialogue days (with sessions) and joint commitments."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from core.views import PermissionMixin, ServiceFormMixin

from .. import services
from ..forms import (
    DialogueDayForm,
    JointCommitmentForm,
    SessionForm,
)
from ..models import DialogueDay, JointCommitment, Session
from ..selectors import (
    commitments_visible_to,
    dialogue_day_for_detail,
)

# --- The agency's dialogue days and joint commitments ---------------------------------------


class AgencyWriteMixin(PermissionMixin, ServiceFormMixin):
    """Create and edit pages of the agency's own records; a refusal (ValidationError) of `save`
    is shown on the form and nothing changes."""

    heading = ""
    success_message = gettext_lazy("Saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def save(self, form):
        return form.save()

    def perform(self, form):
        return self.save(form)


class _DialogueDaySave:
    def save(self, form):
        data = form.cleaned_data
        return services.dialogue_day_save(day=form.instance, regions=data["regions"], agencies=data["agencies"])


class _SessionSave:
    def save(self, form):
        data = form.cleaned_data
        return services.session_save(session=form.instance, regions=data["regions"], agencies=data["agencies"])


class DialogueDayListView(ListView):
    template_name = "dialogues/dialogueday_list.html"
    context_object_name = "days"

    def get_queryset(self):
        return DialogueDay.objects.annotate(session_count=Count("sessions"))


class DialogueDayDetailView(DetailView):
    template_name = "dialogues/dialogueday_detail.html"
    context_object_name = "day"

    def get_queryset(self):
        return dialogue_day_for_detail(self.kwargs["pk"])


class DialogueDayCreateView(_DialogueDaySave, AgencyWriteMixin, CreateView):
    heading = gettext_lazy("New dialogue day")
    permission_required = "dialogues.change_dialogueday"
    model = DialogueDay
    form_class = DialogueDayForm
    template_name = "dialogues/agency_form.html"


class DialogueDayUpdateView(_DialogueDaySave, AgencyWriteMixin, UpdateView):
    heading = gettext_lazy("Edit the dialogue day")
    permission_required = "dialogues.change_dialogueday"
    model = DialogueDay
    form_class = DialogueDayForm
    template_name = "dialogues/agency_form.html"


class SessionCreateView(_SessionSave, AgencyWriteMixin, CreateView):
    heading = gettext_lazy("New dialogue session")
    permission_required = "dialogues.change_dialogueday"
    form_class = SessionForm
    template_name = "dialogues/agency_form.html"

    def load(self) -> None:
        self.day = get_object_or_404(DialogueDay, pk=self.kwargs["pk"])

    def form_valid(self, form):
        form.instance.day = self.day
        return super().form_valid(form)


class SessionUpdateView(_SessionSave, AgencyWriteMixin, UpdateView):
    heading = gettext_lazy("Edit the dialogue session")
    permission_required = "dialogues.change_dialogueday"
    model = Session
    form_class = SessionForm
    template_name = "dialogues/agency_form.html"


class CommitmentListView(ListView):
    template_name = "dialogues/jointcommitment_list.html"
    context_object_name = "commitments"

    def get_queryset(self):
        return commitments_visible_to(self.request.user)


class CommitmentCreateView(AgencyWriteMixin, CreateView):
    heading = gettext_lazy("New joint commitment")
    permission_required = "dialogues.change_jointcommitment"
    model = JointCommitment
    form_class = JointCommitmentForm
    template_name = "dialogues/agency_form.html"


class CommitmentUpdateView(AgencyWriteMixin, UpdateView):
    heading = gettext_lazy("Edit the joint commitment")
    permission_required = "dialogues.change_jointcommitment"
    form_class = JointCommitmentForm
    template_name = "dialogues/agency_form.html"

    def load(self) -> None:
        # Another county's commitment does not exist for a county (404 before the permission).
        self.object = get_object_or_404(commitments_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object

    def get_object(self, queryset=None):
        return self.object
