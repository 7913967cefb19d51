"""Dialogue rounds: list, planning, opening, closing, conclusions and the overview table."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView, View
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import is_national_staff
from regions.models import Region

from .. import services
from ..filters import RoundOverviewFilter
from ..forms import (
    RoundConclusionsForm,
    RoundForm,
    RoundOpenForm,
)
from ..models import DialogueRound
from ..selectors import (
    round_overview,
    rounds_visible_to,
)
from .base import RoundObjectMixin, error_text, previous_round

# --- Rounds ---------------------------------------------------------------------------------


class RoundListView(ListView):
    template_name = "dialogues/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        user = self.request.user
        # A county counts only its own dialogues: the others' do not exist for it.
        own = None if is_national_staff(user) else Q(dialogues__region_id=user.region_id)
        return rounds_visible_to(user).annotate(dialogue_count=Count("dialogues", filter=own))


class RoundCreateView(PermissionRequiredMixin, CreateView):
    permission_required = "dialogues.add_dialogueround"
    raise_exception = True
    model = DialogueRound
    form_class = RoundForm
    template_name = "dialogues/round_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(previous_round=previous_round(None), **kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("The round has been created. Open it when the planning is done."))
        return super().form_valid(form)


class RoundUpdateView(RoundObjectMixin, UpdateView):
    permission = "dialogues.change_dialogueround"
    form_class = RoundForm
    template_name = "dialogues/round_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(previous_round=previous_round(self.round), **kwargs)


class RoundConclusionsView(RoundObjectMixin, UpdateView):
    permission = "dialogues.change_dialogueround"
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
            **kwargs,
        )


class RoundOpenView(RoundObjectMixin, FormView):
    permission = "dialogues.open_dialogueround"
    form_class = RoundOpenForm
    template_name = "dialogues/round_open.html"

    def get_initial(self):
        return {"regions": Region.objects.all()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def form_valid(self, form):
        try:
            created = services.round_open(dialogue_round=self.round, regions=form.cleaned_data["regions"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The round is open: {count} new dialogues, and the counties have been told by e-mail.").format(
                count=len(created)
            ),
        )
        return redirect(self.round)


class RoundCloseView(RoundObjectMixin, View):
    permission = "dialogues.close_dialogueround"

    def post(self, request, pk):
        try:
            services.round_close(dialogue_round=self.round)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The round is closed."))
        return redirect(self.round)
