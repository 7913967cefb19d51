from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _minutes_title(meeting) -> str:
    from .rendering import minutes_title

    return minutes_title(meeting)


def _minutes_pdf(meeting) -> bytes:
    """The approved minutes as the PDF the meeting page gives (rendered on request, no longer a draft)."""
    from .rendering import minutes_pdf
    from .selectors import meeting_for_minutes

    return minutes_pdf(meeting_for_minutes(meeting.pk).get())


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("National forum")

    def ready(self):
        from records.documents import document_kind_register

        # A meeting's minutes are an official document once approved (records, issue 17).
        document_kind_register(
            self.get_model("Meeting"),
            title=_minutes_title,
            url=lambda meeting: meeting.get_absolute_url(),
            pdf=_minutes_pdf,
        )
