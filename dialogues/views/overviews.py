"""Across a round or a county: observation matrix, calendar and .ics, CSV/XLSX export, a county's
dialogues, search."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.rules import is_national_staff
from core.views import PermissionMixin
from regions.models import Region

from ..exports import action_table, csv_response, observation_table, round_table, xlsx_response
from ..forms import CalendarMonthForm
from ..ics import dialogues_ics
from ..month_grid import month_days, month_step, month_weeks
from ..selectors import (
    SEARCH_HITS,
    actions_visible_to,
    dialogue_search,
    dialogues_visible_to,
    observation_matrix,
    observations_visible_to,
    region_dialogues,
    round_calendar,
    round_calendar_first_month,
    round_overview,
)
from .base import DialogueObjectMixin, RoundObjectMixin

# --- Overviews, exports, calendar and search ------------------------------------------------


class ObservationMatrixView(RoundObjectMixin, TemplateView):
    """Observations per county and category across a round; each count opens its texts."""

    template_name = "dialogues/observation_matrix.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        region, category = self.request.GET.get("region"), self.request.GET.get("category")
        chosen = None
        if region or category:
            chosen = observations_visible_to(user).filter(dialogue__round=self.round).select_related("dialogue__region")
            if region:
                chosen = chosen.filter(dialogue__region__code=region)
            if category:
                chosen = chosen.filter(category=category)
        return super().get_context_data(
            round=self.round,
            # (rows, categories), computed only when the page's cached part is rendered again
            matrix=SimpleLazyObject(lambda: observation_matrix(user, self.round)),
            chosen=chosen,
            national=is_national_staff(user),
            **kwargs,
        )


class RoundExportView(RoundObjectMixin, View):
    """The round overview as CSV; as XLSX also with the observations and actions the user may see."""

    def get(self, request, pk, fmt):
        user = request.user
        header, rows = round_table(round_overview(user, self.round), national=is_national_staff(user))
        filename = slugify(self.round.title)
        if fmt == "csv":
            return csv_response(filename, header, rows)
        in_round = {"dialogue__round": self.round}
        return xlsx_response(
            filename,
            [
                (_("Dialogues"), header, rows),
                (_("Observations"), *observation_table(observations_visible_to(user).filter(**in_round))),
                (_("Follow-up actions"), *action_table(actions_visible_to(user).filter(**in_round))),
            ],
        )


class RoundCalendarView(RoundObjectMixin, TemplateView):
    """The round's scheduled dialogues as a list by month and week (the agenda)."""

    template_name = "dialogues/round_calendar.html"

    def get_context_data(self, **kwargs):
        dialogues = round_calendar(self.request.user, self.round)
        return super().get_context_data(round=self.round, dialogues=dialogues, **kwargs)


class RoundMonthView(RoundObjectMixin, TemplateView):
    """One month of the round's calendar as a grid of weeks, with the previous and next month a link away."""

    template_name = "dialogues/round_month.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = CalendarMonthForm(self.request.GET or None)
        chosen = form.cleaned_data["month"] if form.is_valid() else None
        # Without a month (none asked for, or one the form says it cannot show): the round's next.
        month = chosen or round_calendar_first_month(user, self.round)
        if not form.data.get("month"):  # the month input shows the month on the page
            form = CalendarMonthForm(initial={"month": month})
        first, last = month_days(month)
        dialogues = round_calendar(user, self.round).filter(start__date__range=(first, last))
        return super().get_context_data(
            round=self.round,
            form=form,
            month=month,
            weeks=month_weeks(month, dialogues, timezone.localdate()),
            weekdays=[WEEKDAYS[day] for day in range(7)],
            previous_month=month_step(month, -1),
            next_month=month_step(month, 1),
            **kwargs,
        )


class RoundIcsView(RoundObjectMixin, View):
    def get(self, request, pk):
        dialogues = dialogues_visible_to(request.user).filter(round=self.round)
        return dialogues_ics(dialogues, uid_domain=request.get_host(), name=slugify(self.round.title))


class DialogueIcsView(DialogueObjectMixin, View):
    def get(self, request, pk):
        return dialogues_ics([self.dialogue], uid_domain=request.get_host(), name=slugify(str(self.dialogue)))


class SearchView(TemplateView):
    """Search submissions, observations, actions, briefs, forum agendas and minutes, and attached files;
    only what the user may see is searched."""

    template_name = "dialogues/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        found = {key: list(hits) for key, hits in dialogue_search(self.request.user, query).items()} if query else {}
        return super().get_context_data(
            query=query,
            results={key: hits[:SEARCH_HITS] for key, hits in found.items()},
            more={key for key, hits in found.items() if len(hits) > SEARCH_HITS},
            limit=SEARCH_HITS,
            national=is_national_staff(self.request.user),
            **kwargs,
        )


class RegionDialoguesView(PermissionMixin, TemplateView):
    """One county's dialogues across the rounds (another county's do not exist for a regional user)."""

    permission_required = "dialogues.view_region_dialogues"
    existence_private = True
    template_name = "dialogues/region_dialogues.html"

    def load(self) -> None:
        self.region = get_object_or_404(Region, slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.region

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            region=self.region,
            dialogues=region_dialogues(user, self.region),
            national=is_national_staff(user),
            **kwargs,
        )
