"""A county's submission: edit, submit, return, accept, versions side by side."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView

from accounts.rules import is_national_staff
from accounts.selectors import county_directors
from core.attachments import attachments_of
from core.views import ServiceActionView, ServiceFormMixin, error_text

from .. import services
from ..forms import (
    PriorityFormSet,
    ResultFormSet,
    ResultsFetchForm,
    ReturnForm,
    SubmissionForm,
    VersionCompareForm,
    priority_choices,
)
from ..selectors import (
    submission_has_followup_results,
    submission_results_from_followup,
    submission_snapshot,
)
from .attachments import submission_attachment_is_submitted
from .base import SubmissionObjectMixin

# --- Submissions ----------------------------------------------------------------------------


class SubmissionDetailView(SubmissionObjectMixin, TemplateView):
    """A county sees its current text; the ministry and the agency the latest submitted version."""

    template_name = "dialogues/submission_detail.html"

    def get_context_data(self, **kwargs):
        national = is_national_staff(self.request.user)
        versions = list(self.submission.versions.select_related("submitted_by").order_by("-number"))
        # National staff read what was submitted, never the county's unsent edits.
        data = (versions[0].data if versions else None) if national else submission_snapshot(self.submission)
        return super().get_context_data(
            national=national, data=data, versions=versions, **self.attachment_context(), **kwargs
        )

    def attachment_context(self) -> dict:
        """The files the user may see (national staff: those sent in), and what the county may do."""
        user, submission = self.request.user, self.submission
        attached = list(attachments_of([submission], user=user))
        can_add = rules.has_perm("dialogues.add_submission_attachment", user, submission)
        return {
            "attachments": attached,
            "add_url": reverse("dialogues:submission_attachment_add", kwargs={"pk": self.dialogue.pk})
            if can_add
            else "",
            "removable": {a.pk for a in attached if not submission_attachment_is_submitted(submission, a)}
            if can_add
            else set(),
        }


class SubmissionEditView(SubmissionObjectMixin, ServiceFormMixin, FormView):
    """The county's draft: resource use, ranked priorities from its RUS, and results."""

    permission_required = "dialogues.write_submission"
    template_name = "dialogues/submission_form.html"

    def has_permission(self) -> bool:
        # The rule itself, not user.has_perm: an administrator passes every has_perm, yet only the
        # county writes its submission.
        return rules.has_perm(self.permission_required, self.request.user, self.submission)

    def not_editable(self):
        """The county sees why it cannot edit (deadline passed, already submitted or accepted)."""
        try:
            services.submission_check_editable(self.submission)
        except ValidationError as error:
            messages.error(self.request, error_text(error))
            return redirect(self.submission)
        return None

    def get(self, request, *args, **kwargs):
        return self.not_editable() or super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return SubmissionForm(data, instance=self.submission)

    def get_formsets(self):
        if hasattr(self, "_formsets"):
            return self._formsets
        data = self.request.POST if self.request.method == "POST" else None
        region = self.dialogue.region
        year = self.dialogue.round.year  # the county's strategy in force that year
        priority_kwargs = {"region": region, "year": year, "priority_choices": priority_choices(region, year=year)}
        if data is not None:
            self._formsets = (
                PriorityFormSet(data, prefix="priorities", form_kwargs=priority_kwargs),
                ResultFormSet(data, prefix="results"),
            )
            return self._formsets
        snapshot = submission_snapshot(self.submission)
        priorities = [
            {"rank": p["rank"], "strategy_priority": p["strategy_priority_id"], "rationale": p["rationale"]}
            for p in snapshot["priorities"]
        ]
        self._formsets = (
            PriorityFormSet(initial=priorities, prefix="priorities", form_kwargs=priority_kwargs),
            ResultFormSet(initial=snapshot["results"], prefix="results"),
        )
        return self._formsets

    def get_context_data(self, **kwargs):
        if "priority_formset" not in kwargs:
            kwargs["priority_formset"], kwargs["result_formset"] = self.get_formsets()
        kwargs["followup_has_results"] = submission_has_followup_results(self.submission)
        kwargs["may_submit"] = rules.has_perm("dialogues.submit_submission", self.request.user, self.submission)
        if not kwargs["may_submit"]:
            kwargs["directors"] = list(county_directors(region_id=self.dialogue.region_id))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        refused = self.not_editable()
        if refused:
            return refused
        form = self.get_form()
        priority_formset, result_formset = self.get_formsets()
        if form.is_valid() and priority_formset.is_valid() and result_formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def perform(self, form):
        priority_formset, result_formset = self.get_formsets()
        self.submitted = "submit" in self.request.POST
        services.submission_edit(
            submission=self.submission,
            user=self.request.user,
            expected_version=form.cleaned_data["version"],
            resource_use=form.cleaned_data["resource_use"],
            priorities=priority_formset.kept(),
            results=result_formset.kept(),
            submit=self.submitted,
            base_url=self.request.build_absolute_uri("/")[:-1],
        )

    def get_success_message(self) -> str:
        if self.submitted:
            return _("Your submission has been sent to the ministry.")
        return _("Your draft has been saved.")

    def get_success_url(self) -> str:
        return self.submission.get_absolute_url()


class SubmissionResultsFetchView(SubmissionObjectMixin, ServiceFormMixin, FormView):
    """The county fetches its 1:1 results of the round's year into its draft: the page shows what
    would change, and only the confirmation copies."""

    permission_required = "dialogues.write_submission"
    form_class = ResultsFetchForm
    template_name = "dialogues/submission_results_fetch.html"

    has_permission = SubmissionEditView.has_permission
    not_editable = SubmissionEditView.not_editable

    def get(self, request, *args, **kwargs):
        return self.not_editable() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.not_editable() or super().post(request, *args, **kwargs)

    def plan(self):
        if not hasattr(self, "_plan"):
            self._plan = submission_results_from_followup(self.submission)
        return self._plan

    def get_initial(self):
        allocation, _rows = self.plan()
        return {"version": self.submission.version, "allocation_version": allocation.version if allocation else 1}

    def get_context_data(self, **kwargs):
        allocation, rows = self.plan()
        changes = sum(row["change"] != "same" for row in rows)
        return super().get_context_data(
            allocation=allocation, rows=rows, changes=changes, year=self.dialogue.round.year, **kwargs
        )

    def form_invalid(self, form):
        # Nothing was fetched: the preview again, worked out afresh, with the reason.
        messages.error(self.request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(self.request.path)

    def perform(self, form):
        self.fetched = services.submission_results_fetch(
            submission=self.submission,
            expected_version=form.cleaned_data["version"],
            expected_allocation_version=form.cleaned_data["allocation_version"],
        )

    def get_success_message(self) -> str:
        return ngettext(
            "{count} result was fetched from the 1:1 results into your draft. Check it, then save or submit.",
            "{count} results were fetched from the 1:1 results into your draft. Check them, then save or submit.",
            self.fetched,
        ).format(count=self.fetched)

    def get_success_url(self) -> str:
        return reverse("dialogues:submission_edit", kwargs={"pk": self.dialogue.pk})


class SubmissionReturnView(SubmissionObjectMixin, ServiceFormMixin, FormView):
    permission_required = "dialogues.review_submission"
    form_class = ReturnForm
    template_name = "dialogues/submission_return.html"
    success_message = gettext_lazy("The submission has been returned to the county.")

    def perform(self, form):
        services.submission_return(submission=self.submission, comment=form.cleaned_data["comment"])

    def get_success_url(self) -> str:
        return self.submission.get_absolute_url()


class SubmissionAcceptView(SubmissionObjectMixin, ServiceActionView):
    permission_required = "dialogues.review_submission"
    success_message = gettext_lazy("The submission has been accepted.")

    def perform(self):
        return services.submission_accept(submission=self.submission)

    def get_success_url(self) -> str:
        return self.submission.get_absolute_url()


class SubmissionVersionsView(SubmissionObjectMixin, FormView):
    """Every submitted version, and two of them side by side."""

    form_class = VersionCompareForm
    template_name = "dialogues/submission_versions.html"
    http_method_names = ["get", "head", "options"]  # the comparison form is sent with GET

    def get_form_kwargs(self):
        return {"data": self.request.GET or None, "prefix": None, "initial": {}}

    def get_context_data(self, **kwargs):
        versions = {v.number: v for v in self.submission.versions.select_related("submitted_by")}
        form = kwargs.get("form") or self.get_form()
        left = right = None
        if form.is_valid():
            left, right = versions.get(form.cleaned_data["a"]), versions.get(form.cleaned_data["b"])
            if left is None or right is None:
                form.add_error(None, _("There is no such version."))
        elif not form.is_bound and len(versions) >= 2:
            numbers = sorted(versions)
            left, right = versions[numbers[-2]], versions[numbers[-1]]
        rows = _compare(left.data, right.data) if left and right else None
        return super().get_context_data(
            form=form,
            versions=sorted(versions.values(), key=lambda v: v.number),
            left=left,
            right=right,
            rows=rows,
            **kwargs,
        )


def _compare(a: dict, b: dict) -> dict:
    """Pair up the two versions' sections row by row, marking what changed."""

    def pairs(key):
        left, right = a.get(key, []), b.get(key, [])
        length = max(len(left), len(right))
        padded_left = left + [None] * (length - len(left))
        padded_right = right + [None] * (length - len(right))
        return [(x, y, x != y) for x, y in zip(padded_left, padded_right, strict=True)]

    return {
        "resource_use": (a["resource_use"], b["resource_use"], a["resource_use"] != b["resource_use"]),
        "priorities": pairs("priorities"),
        "results": pairs("results"),
    }
