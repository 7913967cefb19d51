"""The agency's dialogue days (with sessions) and joint commitments."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

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


class AgencyWriteMixin(PermissionRequiredMixin):
    """Plain create and edit pages of the agency's own records (no side effects)."""

    raise_exception = True
    heading = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)


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


class DialogueDayCreateView(AgencyWriteMixin, CreateView):
    heading = gettext_lazy("New dialogue day")
    permission_required = "dialogues.change_dialogueday"
    model = DialogueDay
    form_class = DialogueDayForm
    template_name = "dialogues/agency_form.html"


class DialogueDayUpdateView(AgencyWriteMixin, UpdateView):
    heading = gettext_lazy("Edit the dialogue day")
    permission_required = "dialogues.change_dialogueday"
    model = DialogueDay
    form_class = DialogueDayForm
    template_name = "dialogues/agency_form.html"


class SessionCreateView(AgencyWriteMixin, CreateView):
    heading = gettext_lazy("New dialogue session")
    permission_required = "dialogues.change_dialogueday"
    form_class = SessionForm
    template_name = "dialogues/agency_form.html"

    def form_valid(self, form):
        form.instance.day = get_object_or_404(DialogueDay, pk=self.kwargs["pk"])
        return super().form_valid(form)


class SessionUpdateView(AgencyWriteMixin, UpdateView):
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

    def get_queryset(self):
        return commitments_visible_to(self.request.user)
