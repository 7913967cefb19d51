from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _submission_version_title(version) -> str:
    from .rendering import submission_version_title

    return submission_version_title(version)


def _submission_version_pdf(version) -> bytes:
    from .rendering import submission_version_pdf

    return submission_version_pdf(version)


def _submission_version_url(version) -> str:
    from django.urls import reverse

    return reverse("dialogues:submission_versions", kwargs={"pk": version.submission.dialogue_id})


def _brief_title(brief) -> str:
    from .rendering import brief_title

    return brief_title(brief)


def _brief_pdf(brief) -> bytes | None:
    from .rendering import brief_pdf

    return brief_pdf(brief)


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Development dialogues")

    def ready(self):
        from records.documents import case_subject_register, document_kind_register

        from .choices import RoundStatus
        from .retention import register as retention_register

        retention_register()

        # A submitted version is an official document once received (records, issue 17); its PDF
        # is made from the version's frozen data.
        document_kind_register(
            self.get_model("SubmissionVersion"),
            title=_submission_version_title,
            url=_submission_version_url,
            pdf=_submission_version_pdf,
        )
        # A closed round's case (with its dialogues' cases) is what is delivered to an archive.
        case_subject_register(
            self.get_model("DialogueRound"),
            is_closed=lambda round_: round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED),
            year=lambda round_: round_.year,
        )
        # The agency's brief is an official document once marked final.
        document_kind_register(
            self.get_model("Brief"),
            title=_brief_title,
            url=lambda brief: brief.get_absolute_url(),
            pdf=_brief_pdf,
        )
