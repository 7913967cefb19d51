"""Feedback reports: the round's reports with live progress, reading, review, publication and download.

Built on core/views.py: a page looks its round or report up through the visibility selectors in
`load()` (a 404 outside them), then `PermissionMixin` asks the rule of it (a 403: once the object
is visible its existence is no secret). Buttons are `ServiceActionView`s: one service call, a
message, back to the page.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View

from accounts.rules import is_national_staff
from core.attachments import attachments_of
from core.attachments_views import AttachmentAddView, AttachmentDownloadView, AttachmentRemoveView
from core.fragments import cached_fragment
from core.views import PermissionMixin, ServiceActionView, ServiceFormMixin
from dialogues.choices import DialogueKind
from dialogues.selectors import rounds_visible_to
from regions.models import Region

from . import services as report_services
from .choices import ReportStatus
from .forms import CommentResolveForm, CoveringLetterForm, LetterTemplateForm, ReportCommentForm, ReportRequestForm
from .models import FeedbackReport
from .rendering import report_body_html, report_title
from .rules import report_is_published_any, same_report
from .selectors import (
    comments_visible_to,
    covering_letter_for,
    letter_template_for,
    report_comments,
    report_for_detail,
    report_versions,
    round_letters,
    round_reports,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _cleaned(form) -> dict:
    """The form's cleaned data, or its errors as the ValidationError a button reports."""
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    return form.cleaned_data


class RoundMixin(PermissionMixin):
    """The round among those the user may see (404 otherwise)."""

    def load(self) -> None:
        self.round = get_object_or_404(rounds_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.round


class ReportMixin(PermissionMixin):
    """The report among those the user may see (404 otherwise), with its comments."""

    def load(self) -> None:
        self.report = get_object_or_404(report_for_detail(self.request.user, self.kwargs["pk"]))

    def get_permission_object(self):
        return self.report


class RoundReportsView(RoundMixin, TemplateView):
    """The round's reports, newest version of each; the table refreshes itself while any is in progress."""

    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        reports = round_reports(self.request.user, self.round)
        # the rule itself, not has_perm: Django's model backend would query the permission tables
        can_request = rules.has_perm("reports.request_feedbackreports", self.request.user)
        form = ReportRequestForm(dialogue_round=self.round) if can_request else None
        return super().get_context_data(
            round=self.round,
            reports=reports,
            in_progress=any(r.in_progress for r in reports),
            national=is_national_staff(self.request.user),
            request_form=form,
            can_request=can_request,
            **kwargs,
        )


class RoundReportsStatusView(RoundReportsView):
    """The table alone, for htmx polling."""

    template_name = "reports/_report_rows.html"


class ReportsRequestView(RoundMixin, ServiceActionView):
    permission_required = "reports.request_feedbackreports"

    def perform(self):
        try:
            data = _cleaned(ReportRequestForm(self.request.POST, dialogue_round=self.round))
        except ValidationError as error:
            raise ValidationError(_("Choose a county of the round.")) from error
        region = data["region"]
        return report_services.reports_request(
            dialogue_round=self.round,
            regions=[region] if region else None,
            summary=region is None,
            language=data["language"],
        )

    def get_success_message(self, reports) -> str:
        if not reports:
            messages.warning(self.request, _("The reports are already being generated."))
            return ""
        return ngettext(
            "{count} report is being generated.", "{count} reports are being generated.", len(reports)
        ).format(count=len(reports))

    def get_success_url(self) -> str:
        return reverse("reports:report_list", kwargs={"pk": self.round.pk})


class ReportDetailView(ReportMixin, TemplateView):
    """The report as a page (the same partials as the PDF), its versions, comments and review buttons."""

    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.report
        can_publish = rules.has_perm("reports.publish_feedbackreport", user, report)
        comments = list(report_comments(report)) if is_national_staff(user) else []
        can_resolve = rules.has_perm("reports.resolve_reportcomment", user)
        return super().get_context_data(
            report=report,
            round=report.round,
            title=report_title(report),
            body=cached_fragment(self.request, "report-body", lambda: report_body_html(report)),
            versions=report_versions(user, report),
            comments=comments,
            show_comments=is_national_staff(user),
            comment_form=ReportCommentForm() if rules.has_perm("reports.review_feedbackreport", user) else None,
            resolve_form=CommentResolveForm() if can_resolve else None,
            can_publish=can_publish,
            publish_refusal=report_services.publish_refusal(report) if can_publish else "",
            can_edit_letter=rules.has_perm("reports.edit_letters", user),
            **self.attachment_context(),
            **kwargs,
        )

    def attachment_context(self) -> dict:
        """The files of the report (every version and language of it) the user may see."""
        user, report = self.request.user, self.report
        attached = list(attachments_of(same_report(report), user=user))
        can_add = rules.has_perm("reports.add_report_attachment", user, report)
        return {
            "attachments": attached,
            "add_url": reverse("reports:attachment_add", kwargs={"pk": report.pk}) if can_add else "",
            "removable": {a.pk for a in attached} if can_add else set(),
        }


class ReportDownloadView(ReportMixin, View):
    def get(self, request, pk):
        report = self.report
        if report.status != ReportStatus.DONE or not report.file:
            raise Http404
        return FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=report.file.name.rsplit("/", 1)[-1],
            content_type="application/pdf",
        )


class ReportActionView(ReportMixin, ServiceActionView):
    """A review button on a report page: back to the report afterwards."""

    def get_success_url(self) -> str:
        return self.report.get_absolute_url()


class ReportCommentView(ReportActionView):
    permission_required = "reports.review_feedbackreport"
    success_message = gettext_lazy("Your comment has been saved.")

    def perform(self):
        try:
            data = _cleaned(ReportCommentForm(self.request.POST))
        except ValidationError as error:
            raise ValidationError(_("Write a comment first.")) from error
        return report_services.report_comment_add(
            report=self.report, author=self.request.user, text=data["text"], base_url=_base_url(self.request)
        )


class ReportApproveView(ReportActionView):
    permission_required = "reports.approve_feedbackreport"
    success_message = gettext_lazy("The report is approved; the ministry can publish it.")

    def perform(self):
        return report_services.report_approve(report=self.report, base_url=_base_url(self.request))


class ReportPublishView(ReportActionView):
    permission_required = "reports.publish_feedbackreport"
    success_message = gettext_lazy("The report is published and the county has been told by e-mail.")

    def perform(self):
        return report_services.report_publish(report=self.report, base_url=_base_url(self.request))


class ReportRetryView(ReportActionView):
    """A new version of one report (after a failure, or to pick up changed content)."""

    permission_required = "reports.request_feedbackreports"

    def perform(self):
        return report_services.report_regenerate(report=self.report)

    def get_success_message(self, report) -> str:
        if report is None:
            messages.warning(self.request, _("This report is already being generated."))
            return ""
        return _("A new version of the report is being generated.")

    def get_success_url(self) -> str:
        return reverse("reports:report_list", kwargs={"pk": self.report.round_id})


class CommentResolveView(ServiceActionView):
    """The ministry marks a reviewer's comment worked in, or answers it."""

    permission_required = "reports.resolve_reportcomment"

    def load(self) -> None:
        self.comment = get_object_or_404(comments_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.comment

    def perform(self):
        form = CommentResolveForm(self.request.POST)
        data = _cleaned(form)
        return report_services.report_comment_resolve(
            comment=self.comment, user=self.request.user, resolution=data["resolution"], answer=data["answer"]
        )

    def get_success_message(self, comment) -> str:
        if comment.resolution == "answered":
            return _("The comment is answered.")
        return _("The comment is marked as worked in. Generate the report again to show the changed text.")

    def get_success_url(self) -> str:
        return self.comment.report.get_absolute_url() + f"#comment-{self.comment.pk}"


class LetterTemplateView(RoundMixin, ServiceFormMixin, FormView):
    """The round's letter template, sender and contact person, and the list of the county letters."""

    permission_required = "reports.edit_letters"
    form_class = LetterTemplateForm
    template_name = "reports/letter_template.html"
    success_message = gettext_lazy("The letter template is saved.")

    def get_initial(self):
        template = letter_template_for(self.round)
        fields = ("sender_unit", "contact_name", "contact_email", "contact_phone", "introduction", "closing")
        return {name: getattr(template, name) for name in fields} | {"version": template.version}

    def perform(self, form):
        return report_services.letter_template_save(
            dialogue_round=self.round, expected_version=form.cleaned_data.pop("version"), **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("reports:letter_template", kwargs={"pk": self.round.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, letters=round_letters(self.round), **kwargs)


class CoveringLetterView(RoundMixin, ServiceFormMixin, FormView):
    """One county's (without a county: the round summary's) covering letter and registration number."""

    permission_required = "reports.edit_letters"
    form_class = CoveringLetterForm
    template_name = "reports/letter_edit.html"
    success_message = gettext_lazy("The covering letter is saved. The next generated version of the report carries it.")

    def load(self) -> None:
        super().load()
        self.region = None
        if "slug" in self.kwargs:
            regions = Region.objects.filter(
                slug=self.kwargs["slug"], dialogues__round=self.round, dialogues__kind=DialogueKind.ANNUAL
            )
            self.region = get_object_or_404(regions.distinct())

    def get_initial(self):
        letter = covering_letter_for(self.round, self.region)
        fields = ("registration_number", "introduction", "closing")
        return {name: getattr(letter, name) for name in fields} | {"version": letter.version}

    def perform(self, form):
        return report_services.covering_letter_save(
            dialogue_round=self.round,
            region=self.region,
            expected_version=form.cleaned_data.pop("version"),
            **form.cleaned_data,
        )

    def get_success_url(self) -> str:
        return reverse("reports:letter_template", kwargs={"pk": self.round.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, region=self.region, **kwargs)


# --- Files attached to a report ---------------------------------------------------------------


class _ReportAttachmentRules:
    permission_required = "reports.add_report_attachment"

    def check(self, report, attachment=None) -> None:
        """Only until the report (any version or language of it) is published."""
        if report_is_published_any(report):
            raise ValidationError(_("The report is published: its files can no longer be changed."))


class ReportAttachmentAddView(_ReportAttachmentRules, ReportMixin, AttachmentAddView):
    def load(self) -> None:
        super().load()
        self.parent = self.report


class ReportAttachmentView(AttachmentDownloadView):
    parent_model = FeedbackReport


class ReportAttachmentRemoveView(_ReportAttachmentRules, AttachmentRemoveView):
    parent_model = FeedbackReport
