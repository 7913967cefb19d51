"""Files attached to a county's submission and to the agency's brief (core.attachments_views)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.attachments_views import AttachmentAddView, AttachmentDownloadView, AttachmentRemoveView

from .. import services
from ..models import Brief, Submission
from ..selectors import briefs_visible_to
from .base import SubmissionObjectMixin


def submission_attachment_is_submitted(submission: Submission, attachment) -> bool:
    """The file went in with a submitted version (uploaded before the latest submission)."""
    return submission.submitted_at is not None and attachment.uploaded_at <= submission.submitted_at


class _SubmissionAttachmentRules:
    permission_required = "dialogues.add_submission_attachment"

    def check(self, submission, attachment=None) -> None:
        """Only while the county may edit the submission; a submitted file stays with its version."""
        services.submission_check_editable(submission)
        if attachment is not None and submission_attachment_is_submitted(submission, attachment):
            raise ValidationError(
                _("The file was sent in with a submitted version of the submission and cannot be removed.")
            )


class SubmissionAttachmentAddView(_SubmissionAttachmentRules, SubmissionObjectMixin, AttachmentAddView):
    def load(self) -> None:
        super().load()
        self.parent = self.submission


class SubmissionAttachmentView(AttachmentDownloadView):
    parent_model = Submission


class SubmissionAttachmentRemoveView(_SubmissionAttachmentRules, AttachmentRemoveView):
    parent_model = Submission


class _BriefAttachmentRules:
    permission_required = "dialogues.add_brief_attachment"

    def parent_url(self) -> str:
        return self.parent.dialogue.get_absolute_url() + "#brief-heading"

    def check(self, brief, attachment=None) -> None:
        """A file of a final brief is an official document: it may be added (and is registered), not removed."""
        if attachment is not None:
            services.brief_check_attachment_removable(brief, attachment)


class BriefAttachmentAddView(_BriefAttachmentRules, AttachmentAddView):
    """The agency attaches a file to its brief (written first: the brief is what it is attached to);
    to a final brief the file is registered as an official document at once."""

    def load(self) -> None:
        self.parent = get_object_or_404(briefs_visible_to(self.request.user), dialogue_id=self.kwargs["pk"])

    def perform(self, form):
        return services.brief_attachment_add(
            brief=self.parent,
            upload=form.cleaned_data["file"],
            user=self.request.user,
            description=form.cleaned_data["description"],
        )


class BriefAttachmentView(AttachmentDownloadView):
    parent_model = Brief


class BriefAttachmentRemoveView(_BriefAttachmentRules, AttachmentRemoveView):
    parent_model = Brief
