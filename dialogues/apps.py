from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _submission_version_title(version) -> str:
    dialogue = version.submission.dialogue
    return _("Submission from {region}, {round}, version {number}").format(
        region=dialogue.region.name, round=dialogue.round.title, number=version.number
    )


def _submission_version_url(version) -> str:
    from django.urls import reverse

    return reverse("dialogues:submission_versions", kwargs={"pk": version.submission.dialogue_id})


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Development dialogues")

    def ready(self):
        from records.documents import document_kind_register

        # A submitted version is an official document once received (records, issue 17); the
        # portal makes no PDF of it yet.
        document_kind_register(
            self.get_model("SubmissionVersion"),
            title=_submission_version_title,
            url=_submission_version_url,
            pdf=None,
        )
        # The agency's brief is an official document once marked final; the portal makes no PDF of it.
        document_kind_register(
            self.get_model("Brief"),
            title=lambda brief: _("Brief from the agency: {dialogue}").format(dialogue=brief.dialogue),
            url=lambda brief: brief.get_absolute_url(),
            pdf=None,
        )
