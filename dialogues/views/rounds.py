"""Dialogue rounds: list, planning, opening, closing, conclusions and the overview table."""

from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Count, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from accounts.rules import is_national_staff
from core.views import PermissionMixin, ServiceFormMixin
from regions.models import Region

from .. import services
from ..choices import DialogueKind
from ..filters import RoundOverviewFilter
from ..forms import (
    RoundCloseForm,
    RoundConclusionsForm,
    RoundForm,
    RoundOpenForm,
)
from ..models import DialogueRound
from ..selectors import (
    round_close_checklist,
    round_overview,
    round_progress,
    rounds_visible_to,
    rounds_with_county_deadline,
)
from .base import RoundObjectMixin, previous_round

# --- Rounds ---------------------------------------------------------------------------------


class RoundListView(ListView):
    template_name = "dialogues/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        user = self.request.user
        # A county counts only its own dialogues: the others' do not exist for it.
        if is_national_staff(user):
            return rounds_visible_to(user).annotate(dialogue_count=Count("dialogues"))
        return rounds_with_county_deadline(user).annotate(
            dialogue_count=Count("dialogues", filter=Q(dialogues__region_id=user.region_id))
        )


class RoundCreateView(PermissionMixin, SuccessMessageMixin, CreateView):
    permission_required = "dialogues.add_dialogueround"
    model = DialogueRound
    form_class = RoundForm
    template_name = "dialogues/round_form.html"
    success_message = gettext_lazy("The round has been created. Open it when the planning is done.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(previous_round=previous_round(None), **kwargs)


class RoundUpdateView(RoundObjectMixin, UpdateView):
    permission_required = "dialogues.change_dialogueround"
    form_class = RoundForm
    template_name = "dialogues/round_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(previous_round=previous_round(self.round), **kwargs)


class RoundConclusionsView(RoundObjectMixin, UpdateView):
    permission_required = "dialogues.change_dialogueround"
    form_class = RoundConclusionsForm
    template_name = "dialogues/round_conclusions_form.html"


class RoundDetailView(RoundObjectMixin, DetailView):
    """The round at a glance: one row per dialogue (for a county, only its own)."""

    template_name = "dialogues/round_detail.html"
    context_object_name = "round"

    def get_context_data(self, **kwargs):
        user = self.request.user
        national = is_national_staff(user)
        dialogues = round_overview(user, self.round)
        # The filter, its results and the previous round show only in the page's cached part:
        # they are made when that part is rendered again.
        overview_filter = (
            SimpleLazyObject(lambda: RoundOverviewFilter(self.request.GET or None, queryset=dialogues))
            if national
            else None
        )
        return super().get_context_data(
            national=national,
            filter=overview_filter,
            dialogues=SimpleLazyObject(lambda: overview_filter.qs) if overview_filter is not None else dialogues,
            previous_round=SimpleLazyObject(lambda: previous_round(self.round)) if national else None,
            progress=SimpleLazyObject(lambda: round_progress(self.round)) if national else None,
            # A county sees its own deadline (the round's, or its extension) wherever the round's is shown.
            county_deadline=None if national else SimpleLazyObject(lambda: county_deadline(dialogues, self.round)),
            **kwargs,
        )


def county_deadline(dialogues, dialogue_round):
    """The deadline of the county's annual dialogue among `dialogues` (the round's if it has none)."""
    for dialogue in dialogues:
        submission = getattr(dialogue, "submission", None)
        if dialogue.kind == DialogueKind.ANNUAL and submission is not None:
            return submission.deadline
    return dialogue_round.submission_deadline


class RoundOpenView(RoundObjectMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.open_dialogueround"
    form_class = RoundOpenForm
    template_name = "dialogues/round_open.html"

    def get_initial(self):
        return {"regions": Region.objects.all()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def perform(self, form):
        self.created = services.round_open(dialogue_round=self.round, regions=form.cleaned_data["regions"])

    def get_success_message(self) -> str:
        return _("The round is open: {count} new dialogues, and the counties have been told by e-mail.").format(
            count=len(self.created)
        )

    def get_success_url(self) -> str:
        return self.round.get_absolute_url()


class RoundCloseView(RoundObjectMixin, ServiceFormMixin, FormView):
    """What is still undone in the round, and below it the form that closes the round."""

    permission_required = "dialogues.close_dialogueround"
    form_class = RoundCloseForm
    template_name = "dialogues/round_close.html"
    success_message = gettext_lazy("The round is closed.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, checklist=round_close_checklist(self.round), **kwargs)

    def perform(self, form):
        return services.round_close(
            dialogue_round=self.round, close_despite_running_deadlines=form.cleaned_data["close_anyway"]
        )

    def get_success_url(self) -> str:
        return self.round.get_absolute_url()
