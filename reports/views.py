"""Feedback reports: the round's reports with live progress, reading, review, publication and download."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from accounts.rules import is_national_staff
from core.fragments import cached_fragment
from dialogues.views.base import RoundObjectMixin, error_text, require

from . import services as report_services
from .choices import ReportStatus
from .forms import ReportCommentForm, ReportRequestForm
from .rendering import report_body_html, report_title
from .selectors import report_for_detail, report_versions, round_reports


class RoundReportsView(RoundObjectMixin, TemplateView):
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


class ReportsRequestView(RoundObjectMixin, View):
    permission = "reports.request_feedbackreports"

    def post(self, request, pk):
        form = ReportRequestForm(request.POST, dialogue_round=self.round)
        if not form.is_valid():
            messages.error(request, _("Choose a county of the round."))
            return redirect("reports:report_list", pk=self.round.pk)
        region = form.cleaned_data["region"]
        reports = report_services.reports_request(
            dialogue_round=self.round,
            regions=[region] if region else None,
            summary=region is None,
            language=form.cleaned_data["language"],
        )
        if reports:
            messages.success(request, _("{count} report(s) are being generated.").format(count=len(reports)))
        else:
            messages.warning(request, _("The reports are already being generated."))
        return redirect("reports:report_list", pk=self.round.pk)


class ReportObjectMixin:
    """Looks the report up among those the user may see (404 otherwise), then checks `permission`."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        self.report = get_object_or_404(report_for_detail(request.user, kwargs["pk"]))
        if self.permission:
            require(request.user, self.permission, self.report)
        return super().dispatch(request, *args, **kwargs)


class ReportDetailView(ReportObjectMixin, TemplateView):
    """The report as a page (the same partials as the PDF), its versions, comments and review buttons."""

    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.report
        return super().get_context_data(
            report=report,
            round=report.round,
            title=report_title(report),
            body=cached_fragment(self.request, "report-body", lambda: report_body_html(report)),
            versions=report_versions(user, report),
            comment_form=ReportCommentForm() if rules.has_perm("reports.review_feedbackreport", user) else None,
            **kwargs,
        )


class ReportDownloadView(ReportObjectMixin, View):
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


class ReportCommentView(ReportObjectMixin, View):
    permission = "reports.review_feedbackreport"

    def post(self, request, pk):
        form = ReportCommentForm(request.POST)
        if form.is_valid():
            report_services.report_comment_add(report=self.report, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your comment has been saved."))
        else:
            messages.error(request, _("Write a comment first."))
        return redirect(self.report)


class ReportApproveView(ReportObjectMixin, View):
    permission = "reports.approve_feedbackreport"

    def post(self, request, pk):
        try:
            report_services.report_approve(report=self.report)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The report is approved; the ministry can publish it."))
        return redirect(self.report)


class ReportPublishView(ReportObjectMixin, View):
    permission = "reports.publish_feedbackreport"

    def post(self, request, pk):
        try:
            report_services.report_publish(report=self.report, base_url=request.build_absolute_uri("/")[:-1])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The report is published and the county has been told by e-mail."))
        return redirect(self.report)


class ReportRetryView(ReportObjectMixin, View):
    """A new version of one report (after a failure, or to pick up changed content)."""

    permission = "reports.request_feedbackreports"

    def post(self, request, pk):
        if report_services.report_regenerate(report=self.report):
            messages.success(request, _("A new version of the report is being generated."))
        else:
            messages.warning(request, _("This report is already being generated."))
        return redirect("reports:report_list", pk=self.report.round_id)
