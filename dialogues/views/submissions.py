"""A county's submission: edit, submit, return, accept, versions side by side."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accounts.rules import is_national_staff
from core.concurrency import StaleEditError

from .. import services
from ..forms import (
    PriorityFormSet,
    ResultFormSet,
    ReturnForm,
    SubmissionForm,
    VersionCompareForm,
    priority_choices,
)
from ..selectors import (
    submission_snapshot,
)
from .base import SubmissionObjectMixin, error_text

# --- Submissions ----------------------------------------------------------------------------


class SubmissionDetailView(SubmissionObjectMixin, TemplateView):
    """A county sees its current text; the ministry and the agency the latest submitted version."""

    template_name = "dialogues/submission_detail.html"

    def get_context_data(self, **kwargs):
        national = is_national_staff(self.request.user)
        versions = list(self.submission.versions.select_related("submitted_by").order_by("-number"))
        # National staff read what was submitted, never the county's unsent edits.
        data = (versions[0].data if versions else None) if national else submission_snapshot(self.submission)
        return super().get_context_data(national=national, data=data, versions=versions, **kwargs)


class SubmissionEditView(SubmissionObjectMixin, FormView):
    """The county's draft: resource use, ranked priorities from its RUS, and results."""

    template_name = "dialogues/submission_form.html"

    def refusal(self):
        if is_national_staff(self.request.user):
            raise PermissionDenied
        # The county sees why it cannot edit (deadline passed, already submitted or accepted).
        try:
            services.submission_check_editable(self.submission)
        except ValidationError as error:
            messages.error(self.request, error_text(error))
            return redirect(self.submission)
        return None

    def get_form(self, form_class=None):
        data = self.request.POST if self.request.method == "POST" else None
        return SubmissionForm(data, instance=self.submission)

    def get_formsets(self):
        data = self.request.POST if self.request.method == "POST" else None
        region = self.dialogue.region
        priority_kwargs = {"region": region, "priority_choices": priority_choices(region)}
        if data is not None:
            return (
                PriorityFormSet(data, prefix="priorities", form_kwargs=priority_kwargs),
                ResultFormSet(data, prefix="results"),
            )
        snapshot = submission_snapshot(self.submission)
        priorities = [
            {"rank": p["rank"], "strategy_priority": p["strategy_priority_id"], "rationale": p["rationale"]}
            for p in snapshot["priorities"]
        ]
        return (
            PriorityFormSet(initial=priorities, prefix="priorities", form_kwargs=priority_kwargs),
            ResultFormSet(initial=snapshot["results"], prefix="results"),
        )

    def get_context_data(self, **kwargs):
        if "priority_formset" not in kwargs:
            kwargs["priority_formset"], kwargs["result_formset"] = self.get_formsets()
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        priority_formset, result_formset = self.get_formsets()
        context = {"form": form, "priority_formset": priority_formset, "result_formset": result_formset}
        if not (form.is_valid() and priority_formset.is_valid() and result_formset.is_valid()):
            return self.render_to_response(self.get_context_data(**context))
        submit = "submit" in request.POST
        try:
            with transaction.atomic():
                services.submission_save_draft(
                    submission=self.submission,
                    expected_version=form.cleaned_data["version"],
                    resource_use=form.cleaned_data["resource_use"],
                    priorities=priority_formset.kept(),
                    results=result_formset.kept(),
                )
                if submit:
                    services.submission_submit(
                        submission=self.submission, user=request.user, base_url=request.build_absolute_uri("/")[:-1]
                    )
        except StaleEditError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(**context))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(**context))
        if submit:
            messages.success(request, _("Your submission has been sent to the ministry."))
        else:
            messages.success(request, _("Your draft has been saved."))
        return redirect(self.submission)


class SubmissionReturnView(SubmissionObjectMixin, FormView):
    permission = "dialogues.review_submission"
    form_class = ReturnForm
    template_name = "dialogues/submission_return.html"

    def form_valid(self, form):
        try:
            services.submission_return(submission=self.submission, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The submission has been returned to the county."))
        return redirect(self.submission)


class SubmissionAcceptView(SubmissionObjectMixin, View):
    permission = "dialogues.review_submission"

    def post(self, request, pk):
        try:
            services.submission_accept(submission=self.submission)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The submission has been accepted."))
        return redirect(self.submission)


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
